package dev.roster.sandbox.iam.action;

import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.model.User;
import dev.roster.sandbox.iam.protocol.IamException;
import dev.roster.sandbox.iam.protocol.Pages;
import dev.roster.sandbox.iam.protocol.Params;
import dev.roster.sandbox.iam.protocol.Xml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Users and their tags. */
final class UserActions {
  static final int USERS_PER_ACCOUNT = 5000;
  static final int TAGS_PER_USER = 50;

  private UserActions() {}

  static void register(Map<String, Handler> r) {
    r.put("CreateUser", UserActions::createUser);
    r.put("GetUser", UserActions::getUser);
    r.put("ListUsers", UserActions::listUsers);
    r.put("DeleteUser", UserActions::deleteUser);
    r.put("TagUser", UserActions::tagUser);
    r.put("UntagUser", UserActions::untagUser);
    r.put("ListUserTags", UserActions::listUserTags);
  }

  private static void createUser(Call c, Xml x) {
    Params p = c.params();
    String name = p.name("UserName", 64);
    String path = p.path("Path");
    Map<String, String> tags = p.tags("Tags");
    String boundary = p.optional("PermissionsBoundary");
    Account a = c.account();
    if (boundary != null && !Policies.exists(a, boundary)) {
      throw IamException.noSuchEntity(
          "Scope ARN: " + boundary + " does not exist or is not attachable.");
    }
    if (a.users.containsKey(Account.key(name))) {
      throw IamException.alreadyExists("User with name " + name + " already exists.");
    }
    if (a.users.size() >= USERS_PER_ACCOUNT) {
      throw IamException.quota("UsersPerAccount", USERS_PER_ACCOUNT);
    }
    User u = new User();
    u.name = name;
    u.path = path;
    u.id = Ids.uniqueId("AIDA");
    u.createDate = c.now();
    u.tags.putAll(tags);
    u.permissionsBoundary = boundary == null ? null : Policies.resolve(a, boundary);
    a.users.put(Account.key(name), u);
    x.start("User");
    Entities.user(x, a, u, true);
    x.end("User");
  }

  private static void getUser(Call c, Xml x) {
    String name = c.params().optionalName("UserName", 128);
    Account a = c.account();
    x.start("User");
    if (name == null) {
      if (c.caller().session() != null) {
        throw IamException.validation(
            "Must specify userName when calling with non-User credentials");
      }
      // The account's root user, as IAM answers GetUser for root credentials.
      x.el("UserId", a.id).el("Arn", "arn:aws:iam::" + a.id + ":root").el("CreateDate", c.now());
    } else {
      Entities.user(x, a, Entities.user(a, name), true);
    }
    x.end("User");
  }

  private static void listUsers(Call c, Xml x) {
    String prefix = c.params().pathPrefix("PathPrefix");
    Account a = c.account();
    List<User> users = new ArrayList<>();
    for (User u : a.users.values()) {
      if (u.path.startsWith(prefix)) {
        users.add(u);
      }
    }
    Pages.write(
        c.params(),
        users,
        u -> Account.key(u.name),
        x,
        "Users",
        (w, u) -> Entities.user(w, a, u, false));
  }

  private static void deleteUser(Call c, Xml x) {
    String name = c.params().name("UserName", 128);
    Account a = c.account();
    User u = Entities.user(a, name);
    String blocker = deleteBlocker(a, u);
    if (blocker != null) {
      throw IamException.deleteConflict("Cannot delete entity, must " + blocker + " first.");
    }
    a.users.remove(Account.key(u.name));
  }

  /** What IAM makes you remove before DeleteUser, or null when nothing is left. */
  static String deleteBlocker(Account a, User u) {
    if (u.loginProfile != null) {
      return "delete login profile";
    }
    if (!u.accessKeys.isEmpty()) {
      return "delete access keys";
    }
    if (!u.signingCertificates.isEmpty()) {
      return "delete signing certificates";
    }
    if (!u.sshKeys.isEmpty()) {
      return "delete SSH public keys";
    }
    if (!u.serviceCredentials.isEmpty()) {
      return "delete service specific credentials";
    }
    String key = Account.key(u.name);
    if (a.mfaDevices.values().stream().anyMatch(d -> key.equals(d.user))) {
      return "delete MFA device";
    }
    if (!u.inlinePolicies.isEmpty()) {
      return "delete policies";
    }
    if (!u.attachedPolicies.isEmpty()) {
      return "detach all policies";
    }
    if (!u.groups.isEmpty()) {
      return "remove user from all groups";
    }
    return null;
  }

  private static void tagUser(Call c, Xml x) {
    Params p = c.params();
    String name = p.name("UserName", 128);
    Map<String, String> tags = p.tags("Tags");
    User u = Entities.user(c.account(), name);
    Map<String, String> merged = new LinkedHashMap<>(u.tags);
    Entities.mergeTags(merged, tags);
    if (merged.size() > TAGS_PER_USER) {
      throw IamException.limitExceeded("The number of tags has reached the maximum limit.");
    }
    u.tags.clear();
    u.tags.putAll(merged);
  }

  private static void untagUser(Call c, Xml x) {
    Params p = c.params();
    String name = p.name("UserName", 128);
    List<String> keys = p.tagKeys("TagKeys");
    User u = Entities.user(c.account(), name);
    for (String key : keys) {
      u.tags.keySet().removeIf(existing -> existing.equalsIgnoreCase(key));
    }
  }

  private static void listUserTags(Call c, Xml x) {
    String name = c.params().name("UserName", 128);
    User u = Entities.user(c.account(), name);
    Pages.write(
        c.params(),
        new ArrayList<>(u.tags.entrySet()),
        e -> Account.key(e.getKey()),
        x,
        "Tags",
        (w, e) -> w.el("Key", e.getKey()).el("Value", e.getValue()));
  }
}
