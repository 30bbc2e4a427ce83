package dev.roster.sandbox.iam.action;

import dev.roster.sandbox.iam.model.AccessKey;
import dev.roster.sandbox.iam.model.LoginProfile;
import dev.roster.sandbox.iam.model.ServiceCredential;
import dev.roster.sandbox.iam.model.User;
import dev.roster.sandbox.iam.protocol.IamException;
import dev.roster.sandbox.iam.protocol.Pages;
import dev.roster.sandbox.iam.protocol.Params;
import dev.roster.sandbox.iam.protocol.Status;
import dev.roster.sandbox.iam.protocol.Xml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Console passwords, access keys and service-specific credentials. */
final class CredentialActions {
  static final int ACCESS_KEYS_PER_USER = 2;
  static final int SERVICE_CREDENTIALS_PER_SERVICE = 2;
  static final Set<String> CREDENTIAL_SERVICES =
      Set.of("codecommit.amazonaws.com", "cassandra.amazonaws.com", "bedrock.amazonaws.com");

  private CredentialActions() {}

  static void register(Map<String, Handler> r) {
    r.put("CreateLoginProfile", CredentialActions::createLoginProfile);
    r.put("GetLoginProfile", CredentialActions::getLoginProfile);
    r.put("UpdateLoginProfile", CredentialActions::updateLoginProfile);
    r.put("DeleteLoginProfile", CredentialActions::deleteLoginProfile);
    r.put("CreateAccessKey", CredentialActions::createAccessKey);
    r.put("ListAccessKeys", CredentialActions::listAccessKeys);
    r.put("UpdateAccessKey", CredentialActions::updateAccessKey);
    r.put("DeleteAccessKey", CredentialActions::deleteAccessKey);
    r.put("GetAccessKeyLastUsed", CredentialActions::getAccessKeyLastUsed);
    r.put("CreateServiceSpecificCredential", CredentialActions::createServiceCredential);
    r.put("ListServiceSpecificCredentials", CredentialActions::listServiceCredentials);
    r.put("UpdateServiceSpecificCredential", CredentialActions::updateServiceCredential);
    r.put("DeleteServiceSpecificCredential", CredentialActions::deleteServiceCredential);
  }

  /**
   * The user a credential action is about. IAM defaults to the calling IAM user; the sandbox's
   * callers are account roots or assumed roles, which IAM would not let through here either.
   */
  static User subject(Call c) {
    String name = c.params().optionalName("UserName", 128);
    if (name == null) {
      throw IamException.validation("Must specify userName when calling with non-User credentials");
    }
    return Entities.user(c.account(), name);
  }

  // ---- login profile ----

  private static void createLoginProfile(Call c, Xml x) {
    Params p = c.params();
    User u = Entities.user(c.account(), p.name("UserName", 64));
    String password = p.text("Password", 1, 128);
    boolean reset = p.bool("PasswordResetRequired", false);
    if (u.loginProfile != null) {
      throw IamException.alreadyExists("Login Profile for user " + u.name + " already exists.");
    }
    checkPassword(u, password);
    LoginProfile lp = new LoginProfile();
    lp.createDate = c.now();
    lp.passwordLastSet = c.now();
    lp.passwordResetRequired = reset;
    u.loginProfile = lp;
    loginProfile(x, u);
  }

  /** IAM's default password policy: 8+ characters, three of four character classes. */
  static void checkPassword(User u, String password) {
    int classes = 0;
    classes += password.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
    classes += password.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
    classes += password.chars().anyMatch(Character::isDigit) ? 1 : 0;
    classes += password.chars().anyMatch(ch -> !Character.isLetterOrDigit(ch)) ? 1 : 0;
    if (password.length() < 8 || classes < 3 || password.equalsIgnoreCase(u.name)) {
      throw new IamException(
          "PasswordPolicyViolation",
          400,
          true,
          "Password should have a minimum length of 8 and contain at least three of: upper-case"
              + " letters, lower-case letters, numbers, symbols");
    }
  }

  private static LoginProfile loginProfile(User u) {
    if (u.loginProfile == null) {
      throw IamException.noSuchEntity("Login Profile for User " + u.name + " cannot be found.");
    }
    return u.loginProfile;
  }

  private static void loginProfile(Xml x, User u) {
    x.start("LoginProfile")
        .el("UserName", u.name)
        .el("CreateDate", u.loginProfile.createDate)
        .el("PasswordResetRequired", u.loginProfile.passwordResetRequired)
        .end("LoginProfile");
  }

  private static void getLoginProfile(Call c, Xml x) {
    User u = subject(c);
    loginProfile(u);
    loginProfile(x, u);
  }

  private static void updateLoginProfile(Call c, Xml x) {
    Params p = c.params();
    User u = Entities.user(c.account(), p.name("UserName", 64));
    String password = p.optional("Password");
    LoginProfile lp = loginProfile(u);
    if (password != null) {
      checkPassword(u, password);
      lp.passwordLastSet = c.now();
    }
    lp.passwordResetRequired = p.bool("PasswordResetRequired", lp.passwordResetRequired);
  }

  private static void deleteLoginProfile(Call c, Xml x) {
    User u = subject(c);
    loginProfile(u);
    u.loginProfile = null;
  }

  // ---- access keys ----

  private static void createAccessKey(Call c, Xml x) {
    User u = subject(c);
    if (u.accessKeys.size() >= ACCESS_KEYS_PER_USER) {
      throw IamException.quota("AccessKeysPerUser", ACCESS_KEYS_PER_USER);
    }
    AccessKey k = new AccessKey();
    k.id = Ids.accessKeyId("AKIA");
    k.createDate = c.now();
    u.accessKeys.add(k);
    x.start("AccessKey")
        .el("UserName", u.name)
        .el("AccessKeyId", k.id)
        .el("Status", k.status)
        .el("SecretAccessKey", Ids.secret(30))
        .el("CreateDate", k.createDate)
        .end("AccessKey");
  }

  private static void listAccessKeys(Call c, Xml x) {
    User u = subject(c);
    Pages.write(
        c.params(),
        u.accessKeys,
        k -> k.id,
        x,
        "AccessKeyMetadata",
        (w, k) ->
            w.el("UserName", u.name)
                .el("AccessKeyId", k.id)
                .el("Status", k.status)
                .el("CreateDate", k.createDate));
  }

  private static AccessKey accessKey(User u, String id) {
    for (AccessKey k : u.accessKeys) {
      if (k.id.equals(id)) {
        return k;
      }
    }
    throw IamException.noSuchEntity("The Access Key with id " + id + " cannot be found.");
  }

  private static void updateAccessKey(Call c, Xml x) {
    User u = subject(c);
    String id = c.params().text("AccessKeyId", 16, 128);
    Status status = c.params().status("Status");
    accessKey(u, id).status = status;
  }

  private static void deleteAccessKey(Call c, Xml x) {
    User u = subject(c);
    String id = c.params().text("AccessKeyId", 16, 128);
    u.accessKeys.remove(accessKey(u, id));
  }

  private static void getAccessKeyLastUsed(Call c, Xml x) {
    String id = c.params().text("AccessKeyId", 16, 128);
    for (User u : c.account().users.values()) {
      for (AccessKey k : u.accessKeys) {
        if (k.id.equals(id)) {
          x.el("UserName", u.name).start("AccessKeyLastUsed");
          x.el("LastUsedDate", k.lastUsedDate)
              .el("ServiceName", k.lastUsedService == null ? "N/A" : k.lastUsedService)
              .el("Region", k.lastUsedRegion == null ? "N/A" : k.lastUsedRegion);
          x.end("AccessKeyLastUsed");
          return;
        }
      }
    }
    throw IamException.noSuchEntity("The Access Key with id " + id + " cannot be found.");
  }

  // ---- service-specific credentials ----

  private static void createServiceCredential(Call c, Xml x) {
    Params p = c.params();
    User u = Entities.user(c.account(), p.name("UserName", 64));
    String service = p.required("ServiceName");
    if (!CREDENTIAL_SERVICES.contains(service)) {
      throw new IamException(
          "NotSupportedService",
          404,
          true,
          "No such service " + service + " is supported for Service Specific Credentials");
    }
    long sameService =
        u.serviceCredentials.stream().filter(s -> s.serviceName.equals(service)).count();
    if (sameService >= SERVICE_CREDENTIALS_PER_SERVICE) {
      throw IamException.quota(
          "ServiceSpecificCredentialsPerUserPerService", SERVICE_CREDENTIALS_PER_SERVICE);
    }
    ServiceCredential s = new ServiceCredential();
    s.id = Ids.uniqueId("ACCA");
    s.serviceName = service;
    s.serviceUserName = u.name + "-at-" + c.account().id;
    s.createDate = c.now();
    u.serviceCredentials.add(s);
    x.start("ServiceSpecificCredential");
    serviceCredential(x, u, s);
    x.el("ServicePassword", Ids.secret(33));
    x.end("ServiceSpecificCredential");
  }

  private static void serviceCredential(Xml x, User u, ServiceCredential s) {
    x.el("CreateDate", s.createDate)
        .el("ServiceName", s.serviceName)
        .el("ServiceUserName", s.serviceUserName)
        .el("ServiceSpecificCredentialId", s.id)
        .el("UserName", u.name)
        .el("Status", s.status);
  }

  private record Owned(User user, ServiceCredential credential) {}

  private static void listServiceCredentials(Call c, Xml x) {
    Params p = c.params();
    String service = p.optional("ServiceName");
    boolean allUsers = p.bool("AllUsers", false);
    List<User> users = allUsers ? new ArrayList<>(c.account().users.values()) : List.of(subject(c));
    List<Owned> found = new ArrayList<>();
    for (User u : users) {
      for (ServiceCredential s : u.serviceCredentials) {
        if (service == null || service.equals(s.serviceName)) {
          found.add(new Owned(u, s));
        }
      }
    }
    Pages.write(
        p,
        found,
        o -> o.credential().id,
        x,
        "ServiceSpecificCredentials",
        (w, o) -> serviceCredential(w, o.user(), o.credential()));
  }

  private static ServiceCredential serviceCredential(User u, String id) {
    for (ServiceCredential s : u.serviceCredentials) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw IamException.noSuchEntity(
        "The Service-Specific Credential with id " + id + " cannot be found.");
  }

  private static void updateServiceCredential(Call c, Xml x) {
    User u = subject(c);
    String id = c.params().text("ServiceSpecificCredentialId", 20, 128);
    Status status = c.params().status("Status");
    serviceCredential(u, id).status = status;
  }

  private static void deleteServiceCredential(Call c, Xml x) {
    User u = subject(c);
    String id = c.params().text("ServiceSpecificCredentialId", 20, 128);
    u.serviceCredentials.remove(serviceCredential(u, id));
  }
}
