package dev.roster.sandbox.iam.action;

import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.model.Group;
import dev.roster.sandbox.iam.model.User;
import dev.roster.sandbox.iam.protocol.IamException;
import dev.roster.sandbox.iam.protocol.Xml;
import java.util.Map;

/** Look-ups with IAM's not-found messages, and the XML shapes shared by several actions. */
public final class Entities {
  private Entities() {}

  public static User user(Account account, String name) {
    User user = account.users.get(Account.key(name));
    if (user == null) {
      throw IamException.noSuchEntity("The user with name " + name + " cannot be found.");
    }
    return user;
  }

  public static Group group(Account account, String name) {
    Group group = account.groups.get(Account.key(name));
    if (group == null) {
      throw IamException.noSuchEntity("The group with name " + name + " cannot be found.");
    }
    return group;
  }

  public static void user(Xml x, Account account, User user, boolean withTags) {
    x.el("Path", user.path)
        .el("UserName", user.name)
        .el("UserId", user.id)
        .el("Arn", account.arn("user", user.path, user.name))
        .el("CreateDate", user.createDate);
    if (user.permissionsBoundary != null) {
      x.start("PermissionsBoundary")
          .el("PermissionsBoundaryType", "PermissionsBoundaryPolicy")
          .el("PermissionsBoundaryArn", user.permissionsBoundary)
          .end("PermissionsBoundary");
    }
    if (withTags && !user.tags.isEmpty()) {
      tags(x, user.tags);
    }
  }

  public static void group(Xml x, Account account, Group group) {
    x.el("Path", group.path)
        .el("GroupName", group.name)
        .el("GroupId", group.id)
        .el("Arn", account.arn("group", group.path, group.name))
        .el("CreateDate", group.createDate);
  }

  public static void tags(Xml x, Map<String, String> tags) {
    x.start("Tags");
    tags.forEach((k, v) -> tag(x, k, v));
    x.end("Tags");
  }

  public static void tag(Xml x, String key, String value) {
    x.start("member").el("Key", key).el("Value", value).end("member");
  }

  /** Puts tags into {@code target}, replacing keys that match regardless of case. */
  public static void mergeTags(Map<String, String> target, Map<String, String> tags) {
    tags.forEach(
        (k, v) -> {
          target.keySet().removeIf(existing -> existing.equalsIgnoreCase(k));
          target.put(k, v);
        });
  }
}
