package dev.roster.sandbox.iam.action;

import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.model.Group;
import dev.roster.sandbox.iam.model.User;
import dev.roster.sandbox.iam.protocol.IamException;
import dev.roster.sandbox.iam.protocol.Pages;
import dev.roster.sandbox.iam.protocol.Params;
import dev.roster.sandbox.iam.protocol.Xml;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Groups and membership. */
final class GroupActions {
  static final int GROUPS_PER_ACCOUNT = 300;
  static final int GROUPS_PER_USER = 10;

  private GroupActions() {}

  static void register(Map<String, Handler> r) {
    r.put("CreateGroup", GroupActions::createGroup);
    r.put("GetGroup", GroupActions::getGroup);
    r.put("ListGroups", GroupActions::listGroups);
    r.put("DeleteGroup", GroupActions::deleteGroup);
    r.put("AddUserToGroup", GroupActions::addUserToGroup);
    r.put("RemoveUserFromGroup", GroupActions::removeUserFromGroup);
    r.put("ListGroupsForUser", GroupActions::listGroupsForUser);
  }

  /** Creates a group; shared with seeding. */
  static Group create(Account a, String name, String path, Instant now) {
    if (a.groups.containsKey(Account.key(name))) {
      throw IamException.alreadyExists("Group with name " + name + " already exists.");
    }
    if (a.groups.size() >= GROUPS_PER_ACCOUNT) {
      throw IamException.quota("GroupsPerAccount", GROUPS_PER_ACCOUNT);
    }
    Group g = new Group();
    g.name = name;
    g.path = path;
    g.id = Ids.uniqueId("AGPA");
    g.createDate = now;
    a.groups.put(Account.key(name), g);
    return g;
  }

  private static void createGroup(Call c, Xml x) {
    Params p = c.params();
    String name = p.name("GroupName", 128);
    String path = p.path("Path");
    Group g = create(c.account(), name, path, c.now());
    x.start("Group");
    Entities.group(x, c.account(), g);
    x.end("Group");
  }

  static List<User> members(Account a, Group g) {
    String key = Account.key(g.name);
    List<User> members = new ArrayList<>();
    for (User u : a.users.values()) {
      if (u.groups.contains(key)) {
        members.add(u);
      }
    }
    return members;
  }

  private static void getGroup(Call c, Xml x) {
    String name = c.params().name("GroupName", 128);
    Account a = c.account();
    Group g = Entities.group(a, name);
    x.start("Group");
    Entities.group(x, a, g);
    x.end("Group");
    Pages.write(
        c.params(),
        members(a, g),
        u -> Account.key(u.name),
        x,
        "Users",
        (w, u) -> Entities.user(w, a, u, false));
  }

  private static void listGroups(Call c, Xml x) {
    String prefix = c.params().pathPrefix("PathPrefix");
    Account a = c.account();
    List<Group> groups = new ArrayList<>();
    for (Group g : a.groups.values()) {
      if (g.path.startsWith(prefix)) {
        groups.add(g);
      }
    }
    Pages.write(
        c.params(),
        groups,
        g -> Account.key(g.name),
        x,
        "Groups",
        (w, g) -> Entities.group(w, a, g));
  }

  private static void deleteGroup(Call c, Xml x) {
    String name = c.params().name("GroupName", 128);
    Account a = c.account();
    Group g = Entities.group(a, name);
    if (!members(a, g).isEmpty()) {
      throw IamException.deleteConflict(
          "Cannot delete entity, must remove users from group first.");
    }
    if (!g.inlinePolicies.isEmpty()) {
      throw IamException.deleteConflict("Cannot delete entity, must delete policies first.");
    }
    if (!g.attachedPolicies.isEmpty()) {
      throw IamException.deleteConflict("Cannot delete entity, must detach all policies first.");
    }
    a.groups.remove(Account.key(g.name));
  }

  /** Adds a user to a group (idempotent, like IAM); shared with seeding. */
  static void addMember(Account a, Group g, User u) {
    String key = Account.key(g.name);
    if (u.groups.contains(key)) {
      return;
    }
    if (u.groups.size() >= GROUPS_PER_USER) {
      throw IamException.quota("GroupsPerUser", GROUPS_PER_USER);
    }
    u.groups.add(key);
  }

  private static void addUserToGroup(Call c, Xml x) {
    Params p = c.params();
    String groupName = p.name("GroupName", 128);
    String userName = p.name("UserName", 128);
    Account a = c.account();
    Group g = Entities.group(a, groupName);
    User u = Entities.user(a, userName);
    addMember(a, g, u);
  }

  private static void removeUserFromGroup(Call c, Xml x) {
    Params p = c.params();
    String groupName = p.name("GroupName", 128);
    String userName = p.name("UserName", 128);
    Account a = c.account();
    Group g = Entities.group(a, groupName);
    User u = Entities.user(a, userName);
    if (!u.groups.remove(Account.key(g.name))) {
      throw IamException.noSuchEntity(
          "The user with name " + userName + " cannot be found in group " + groupName + ".");
    }
  }

  private static void listGroupsForUser(Call c, Xml x) {
    String name = c.params().name("UserName", 128);
    Account a = c.account();
    User u = Entities.user(a, name);
    List<Group> groups = new ArrayList<>();
    for (String key : u.groups) {
      Group g = a.groups.get(key);
      if (g != null) {
        groups.add(g);
      }
    }
    Pages.write(
        c.params(),
        groups,
        g -> Account.key(g.name),
        x,
        "Groups",
        (w, g) -> Entities.group(w, a, g));
  }
}
