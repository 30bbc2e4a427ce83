package dev.roster.sandbox.iam.action;

import dev.roster.sandbox.iam.eval.EvalDecision;
import dev.roster.sandbox.iam.eval.IamPolicy;
import dev.roster.sandbox.iam.eval.PolicyEngine;
import dev.roster.sandbox.iam.eval.Principals;
import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.model.Group;
import dev.roster.sandbox.iam.model.InlinePolicy;
import dev.roster.sandbox.iam.model.ManagedPolicy;
import dev.roster.sandbox.iam.model.Role;
import dev.roster.sandbox.iam.model.User;
import dev.roster.sandbox.iam.protocol.IamException;
import dev.roster.sandbox.iam.protocol.Markers;
import dev.roster.sandbox.iam.protocol.Pages;
import dev.roster.sandbox.iam.protocol.Params;
import dev.roster.sandbox.iam.protocol.Xml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a principal may do: SimulatePrincipalPolicy (evaluated by the sandbox's own {@link
 * PolicyEngine}) and GetAccountAuthorizationDetails (the account's users, groups, roles and managed
 * policies with their relationships).
 */
final class AuthorizationActions {
  private static final Pattern PRINCIPAL_ARN =
      Pattern.compile("arn:aws:iam::(\\d{12}):(user|group|role)(/.*)?/([\\w+=,.@-]+)");
  private static final List<String> FILTERS =
      List.of("User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy");

  private AuthorizationActions() {}

  static void register(Map<String, Handler> r) {
    r.put("SimulatePrincipalPolicy", AuthorizationActions::simulatePrincipalPolicy);
    r.put("GetAccountAuthorizationDetails", AuthorizationActions::getAccountAuthorizationDetails);
  }

  // ---- SimulatePrincipalPolicy ----

  private record Outcome(String action, List<String> resources, List<PolicyEngine.Result> results) {
    EvalDecision decision() {
      EvalDecision d = EvalDecision.ALLOWED;
      for (PolicyEngine.Result r : results) {
        d = d.strictest(r.decision());
      }
      return d;
    }
  }

  private static void simulatePrincipalPolicy(Call c, Xml x) {
    Params p = c.params();
    Account a = c.account();
    String source = p.text("PolicySourceArn", 20, 2048);
    List<String> actions = p.list("ActionNames");
    if (actions.isEmpty()) {
      throw IamException.validation(
          "1 validation error detected: Value null at 'actionNames' failed to satisfy"
              + " constraint: Member must not be null");
    }
    Map<String, List<String>> context = context(p);
    List<IamPolicy> identity = new ArrayList<>(principal(a, source, context));
    List<String> inputs = p.list("PolicyInputList");
    for (int i = 0; i < inputs.size(); i++) {
      identity.add(parse("PolicyInputList." + (i + 1), "none", inputs.get(i)));
    }
    List<String> boundaryInputs = p.list("PermissionsBoundaryPolicyInputList");
    List<IamPolicy> boundary = null;
    if (!boundaryInputs.isEmpty()) {
      boundary = new ArrayList<>();
      for (int i = 0; i < boundaryInputs.size(); i++) {
        boundary.add(
            parse("PermissionsBoundaryPolicyInputList." + (i + 1), "none", boundaryInputs.get(i)));
      }
    }
    List<String> resources = p.list("ResourceArns");
    List<Outcome> outcomes = new ArrayList<>();
    for (String action : actions) {
      List<PolicyEngine.Result> results = new ArrayList<>();
      for (String resource : resources.isEmpty() ? List.of("*") : resources) {
        results.add(PolicyEngine.evaluate(identity, boundary, action, resource, context));
      }
      outcomes.add(new Outcome(action, resources, results));
    }
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      indexes.add(i);
    }
    Pages.write(
        p,
        indexes,
        i -> String.format("%05d", i),
        x,
        "EvaluationResults",
        (w, i) -> outcome(w, outcomes.get(i)));
  }

  private static IamPolicy parse(String id, String type, String document) {
    try {
      return IamPolicy.parse(id, type, document);
    } catch (IllegalArgumentException e) {
      throw IamException.malformedPolicy(e.getMessage());
    }
  }

  /** The identity policies of the user, group or role the ARN names, in the caller's account. */
  private static List<IamPolicy> principal(
      Account a, String arn, Map<String, List<String>> context) {
    Matcher m = PRINCIPAL_ARN.matcher(arn);
    if (!m.matches()) {
      throw IamException.invalidInput("ARN " + arn + " is not valid.");
    }
    if (!m.group(1).equals(a.id)) {
      throw IamException.noSuchEntity("The principal " + arn + " cannot be found.");
    }
    String name = m.group(4);
    try {
      switch (m.group(2)) {
        case "user" -> {
          User u = Entities.user(a, name);
          if (context.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("aws:username"))) {
            context.put("aws:username", List.of(u.name));
          }
          return Principals.user(a, u);
        }
        case "group" -> {
          return Principals.group(a, Entities.group(a, name));
        }
        default -> {
          if (!a.roles.containsKey(Account.key(name))) {
            throw IamException.noSuchEntity("The role with name " + name + " cannot be found.");
          }
          // Roles carry no policies in the sandbox.
          return List.of();
        }
      }
    } catch (IllegalArgumentException e) {
      throw IamException.malformedPolicy(e.getMessage());
    }
  }

  private static Map<String, List<String>> context(Params p) {
    Map<String, List<String>> context = new LinkedHashMap<>();
    for (int i = 1; ; i++) {
      String prefix = "ContextEntries.member." + i;
      String key = p.optional(prefix + ".ContextKeyName");
      if (key == null) {
        return context;
      }
      context.put(key, p.list(prefix + ".ContextKeyValues"));
    }
  }

  private static void outcome(Xml w, Outcome o) {
    w.el("EvalActionName", o.action())
        .el("EvalResourceName", o.resources().size() == 1 ? o.resources().get(0) : "*")
        .el("EvalDecision", o.decision().wire());
    List<PolicyEngine.Matched> matched = new ArrayList<>();
    Set<String> missing = new TreeSet<>();
    for (PolicyEngine.Result r : o.results()) {
      if (r.decision() == o.decision()) {
        r.matched().stream().filter(s -> !matched.contains(s)).forEach(matched::add);
      }
      missing.addAll(r.missingContext());
    }
    statements(w, matched);
    strings(w, "MissingContextValues", missing);
    if (!o.resources().isEmpty()) {
      w.start("ResourceSpecificResults");
      for (int i = 0; i < o.resources().size(); i++) {
        PolicyEngine.Result r = o.results().get(i);
        w.start("member")
            .el("EvalResourceName", o.resources().get(i))
            .el("EvalResourceDecision", r.decision().wire());
        statements(w, r.matched());
        strings(w, "MissingContextValues", new TreeSet<>(r.missingContext()));
        w.end("member");
      }
      w.end("ResourceSpecificResults");
    }
  }

  private static void statements(Xml w, List<PolicyEngine.Matched> matched) {
    w.start("MatchedStatements");
    for (PolicyEngine.Matched m : matched) {
      w.start("member")
          .el("SourcePolicyId", m.policy().id())
          .el("SourcePolicyType", m.policy().type());
      position(w, "StartPosition", m.statement().start());
      position(w, "EndPosition", m.statement().end());
      w.end("member");
    }
    w.end("MatchedStatements");
  }

  private static void position(Xml w, String name, IamPolicy.Position p) {
    w.start(name).el("Line", p.line()).el("Column", p.column()).end(name);
  }

  private static void strings(Xml w, String name, Iterable<String> values) {
    w.start(name);
    for (String v : values) {
      w.start("member").text(v).end("member");
    }
    w.end(name);
  }

  // ---- GetAccountAuthorizationDetails ----

  /** One entry of the combined listing; keys order users, groups, roles, then policies. */
  private record Entry(String key, String list, Consumer<Xml> member) {}

  private static void getAccountAuthorizationDetails(Call c, Xml x) {
    Params p = c.params();
    Account a = c.account();
    List<String> filter = p.list("Filter");
    for (int i = 0; i < filter.size(); i++) {
      if (!FILTERS.contains(filter.get(i))) {
        throw IamException.validation(
            "1 validation error detected: Value '"
                + filter.get(i)
                + "' at 'filter."
                + (i + 1)
                + ".member' failed to satisfy constraint: Member must satisfy enum value set: "
                + FILTERS);
      }
    }
    Set<String> wanted = new TreeSet<>(filter.isEmpty() ? FILTERS : filter);
    Map<String, Integer> counts = PolicyActions.attachmentCounts(a);
    List<Entry> entries = new ArrayList<>();
    if (wanted.contains("User")) {
      for (User u : a.users.values()) {
        entries.add(new Entry("1" + Account.key(u.name), "UserDetailList", w -> user(w, a, u)));
      }
    }
    if (wanted.contains("Group")) {
      for (Group g : a.groups.values()) {
        entries.add(new Entry("2" + Account.key(g.name), "GroupDetailList", w -> group(w, a, g)));
      }
    }
    if (wanted.contains("Role")) {
      for (Role r : a.roles.values()) {
        entries.add(new Entry("3" + Account.key(r.name), "RoleDetailList", w -> role(w, a, r)));
      }
    }
    if (wanted.contains("LocalManagedPolicy")) {
      for (ManagedPolicy m : a.policies.values()) {
        int n = counts.getOrDefault(m.arn, 0);
        entries.add(new Entry("4" + m.arn, "Policies", w -> policy(w, m, n)));
      }
    }
    if (wanted.contains("AWSManagedPolicy")) {
      // Like IAM: only the AWS managed policies the account uses.
      for (AwsManagedPolicies.Entry e : AwsManagedPolicies.all()) {
        int n = counts.getOrDefault(e.arn(), 0);
        if (n > 0) {
          entries.add(
              new Entry("4" + e.arn(), "Policies", w -> policy(w, PolicyActions.awsPolicy(e), n)));
        }
      }
    }
    entries.sort((l, r) -> l.key().compareTo(r.key()));
    int max = p.maxItems();
    String after = Markers.decode(p.optional("Marker"));
    Map<String, List<Entry>> page = new LinkedHashMap<>();
    for (String list : List.of("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")) {
      page.put(list, new ArrayList<>());
    }
    int taken = 0;
    String next = null;
    for (Entry e : entries) {
      if (after != null && e.key().compareTo(after) < 0) {
        continue;
      }
      if (taken == max) {
        next = e.key();
        break;
      }
      page.get(e.list()).add(e);
      taken++;
    }
    page.forEach(
        (list, members) -> {
          x.start(list);
          for (Entry e : members) {
            x.start("member");
            e.member().accept(x);
            x.end("member");
          }
          x.end(list);
        });
    x.el("IsTruncated", next != null);
    if (next != null) {
      x.el("Marker", Markers.encode(next));
    }
  }

  private static void user(Xml w, Account a, User u) {
    w.el("Path", u.path)
        .el("UserName", u.name)
        .el("UserId", u.id)
        .el("Arn", a.arn("user", u.path, u.name))
        .el("CreateDate", u.createDate);
    inline(w, "UserPolicyList", u.inlinePolicies);
    w.start("GroupList");
    for (String key : u.groups) {
      Group g = a.groups.get(key);
      if (g != null) {
        w.start("member").text(g.name).end("member");
      }
    }
    w.end("GroupList");
    attached(w, a, u.attachedPolicies);
    if (!u.tags.isEmpty()) {
      Entities.tags(w, u.tags);
    }
  }

  private static void group(Xml w, Account a, Group g) {
    w.el("Path", g.path)
        .el("GroupName", g.name)
        .el("GroupId", g.id)
        .el("Arn", a.arn("group", g.path, g.name))
        .el("CreateDate", g.createDate);
    inline(w, "GroupPolicyList", g.inlinePolicies);
    attached(w, a, g.attachedPolicies);
  }

  private static void role(Xml w, Account a, Role r) {
    w.el("Path", r.path)
        .el("RoleName", r.name)
        .el("RoleId", r.id)
        .el("Arn", a.arn("role", r.path, r.name))
        .el("CreateDate", r.createDate);
    w.start("InstanceProfileList").end("InstanceProfileList");
    w.start("RolePolicyList").end("RolePolicyList");
    w.start("AttachedManagedPolicies").end("AttachedManagedPolicies");
  }

  private static void inline(Xml w, String list, Map<String, InlinePolicy> policies) {
    w.start(list);
    for (InlinePolicy p : policies.values()) {
      w.start("member")
          .el("PolicyName", p.name)
          .el("PolicyDocument", PolicyActions.encoded(p.document))
          .end("member");
    }
    w.end(list);
  }

  private static void attached(Xml w, Account a, List<String> arns) {
    w.start("AttachedManagedPolicies");
    for (String arn : arns) {
      String name = null;
      for (ManagedPolicy m : a.policies.values()) {
        if (m.arn.equalsIgnoreCase(arn)) {
          name = m.name;
        }
      }
      AwsManagedPolicies.Entry e = AwsManagedPolicies.byArn(arn);
      if (name == null && e != null) {
        name = e.name();
      }
      if (name != null) {
        w.start("member").el("PolicyName", name).el("PolicyArn", arn).end("member");
      }
    }
    w.end("AttachedManagedPolicies");
  }

  private static void policy(Xml w, ManagedPolicy m, int attachments) {
    w.el("PolicyName", m.name)
        .el("PolicyId", m.id)
        .el("Arn", m.arn)
        .el("Path", m.path)
        .el("DefaultVersionId", m.defaultVersionId)
        .el("AttachmentCount", attachments)
        .el("PermissionsBoundaryUsageCount", 0)
        .el("IsAttachable", true)
        .el("Description", m.description)
        .el("CreateDate", m.createDate)
        .el("UpdateDate", m.updateDate);
    w.start("PolicyVersionList");
    for (ManagedPolicy.PolicyVersion v : m.versions) {
      w.start("member")
          .el("Document", PolicyActions.encoded(v.document))
          .el("VersionId", v.versionId)
          .el("IsDefaultVersion", v.versionId.equals(m.defaultVersionId))
          .el("CreateDate", v.createDate)
          .end("member");
    }
    w.end("PolicyVersionList");
  }
}
