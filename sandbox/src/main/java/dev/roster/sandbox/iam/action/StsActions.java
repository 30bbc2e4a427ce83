package dev.roster.sandbox.iam.action;

import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.model.Role;
import dev.roster.sandbox.iam.model.Session;
import dev.roster.sandbox.iam.protocol.IamException;
import dev.roster.sandbox.iam.protocol.Params;
import dev.roster.sandbox.iam.protocol.Xml;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** STS AssumeRole and GetCallerIdentity, served on the same endpoint as IAM. */
final class StsActions {
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws:iam::(\\d{12}):role(/(?:[\\u0021-\\u007E]+/)?)?([\\w+=,.@-]+)");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");

  private StsActions() {}

  static void register(Map<String, Handler> r) {
    r.put("AssumeRole", StsActions::assumeRole);
    r.put("GetCallerIdentity", StsActions::getCallerIdentity);
  }

  /** Creates a role; roles come from seeding only. */
  static Role createRole(Account a, String name, String path, Instant now) {
    Role existing = a.roles.get(Account.key(name));
    if (existing != null) {
      return existing;
    }
    Role role = new Role();
    role.name = name;
    role.path = path;
    role.id = Ids.uniqueId("AROA");
    role.createDate = now;
    a.roles.put(Account.key(name), role);
    return role;
  }

  private static void assumeRole(Call c, Xml x) {
    Params p = c.params();
    String roleArn = p.text("RoleArn", 20, 2048);
    String sessionName = p.text("RoleSessionName", 2, 64);
    if (!SESSION_NAME.matcher(sessionName).matches()) {
      throw IamException.validation(
          "1 validation error detected: Value '"
              + sessionName
              + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular"
              + " expression pattern: [\\w+=,.@-]*");
    }
    int duration = duration(p.optional("DurationSeconds"));
    Matcher m = ROLE_ARN.matcher(roleArn);
    if (!m.matches()) {
      throw IamException.validation(roleArn + " is invalid");
    }
    String accountId = m.group(1);
    String roleName = m.group(3);
    Role role = c.store().role(accountId, roleName);
    if (role == null) {
      throw IamException.accessDenied(
          "User: "
              + c.caller().arn()
              + " is not authorized to perform: sts:AssumeRole on resource: "
              + roleArn);
    }
    Session s = new Session();
    s.accessKeyId = Ids.accessKeyId("ASIA");
    s.accountId = accountId;
    s.roleName = role.name;
    s.roleId = role.id;
    s.sessionName = sessionName;
    s.expiration = c.now().plusSeconds(duration);
    c.store().putSession(s);
    x.start("Credentials")
        .el("AccessKeyId", s.accessKeyId)
        .el("SecretAccessKey", Ids.secret(30))
        .el("SessionToken", "IQoJb3JpZ2luX2VjE" + Ids.secret(96))
        .el("Expiration", s.expiration)
        .end("Credentials");
    x.start("AssumedRoleUser")
        .el("AssumedRoleId", role.id + ":" + sessionName)
        .el("Arn", "arn:aws:sts::" + accountId + ":assumed-role/" + role.name + "/" + sessionName)
        .end("AssumedRoleUser");
  }

  private static int duration(String value) {
    if (value == null) {
      return 3600;
    }
    int seconds;
    try {
      seconds = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw IamException.validation(
          "1 validation error detected: Value '"
              + value
              + "' at 'durationSeconds' failed to satisfy constraint: Member must be an integer");
    }
    if (seconds < 900 || seconds > 43200) {
      throw IamException.validation(
          "1 validation error detected: Value '"
              + seconds
              + "' at 'durationSeconds' failed to satisfy constraint: Member must have value "
              + (seconds < 900 ? "greater than or equal to 900" : "less than or equal to 43200"));
    }
    return seconds;
  }

  private static void getCallerIdentity(Call c, Xml x) {
    Caller caller = c.caller();
    Session s = caller.session();
    x.el("UserId", s == null ? caller.accountId() : s.roleId + ":" + s.sessionName)
        .el("Account", caller.accountId())
        .el("Arn", caller.arn());
  }
}
