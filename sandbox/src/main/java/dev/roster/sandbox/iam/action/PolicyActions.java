package dev.roster.sandbox.iam.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.model.Group;
import dev.roster.sandbox.iam.model.InlinePolicy;
import dev.roster.sandbox.iam.model.ManagedPolicy;
import dev.roster.sandbox.iam.model.User;
import dev.roster.sandbox.iam.protocol.IamException;
import dev.roster.sandbox.iam.protocol.Pages;
import dev.roster.sandbox.iam.protocol.Params;
import dev.roster.sandbox.iam.protocol.Xml;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Inline and attached policies of users and groups, and customer managed policies. */
final class PolicyActions {
  static final int ATTACHED_PER_ENTITY = 10;
  static final int USER_INLINE_SIZE = 2048;
  static final int GROUP_INLINE_SIZE = 5120;
  static final int MANAGED_POLICY_SIZE = 6144;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern VERSION_ID = Pattern.compile("v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?");

  private PolicyActions() {}

  static void register(Map<String, Handler> r) {
    r.put("PutUserPolicy", PolicyActions::putUserPolicy);
    r.put("GetUserPolicy", PolicyActions::getUserPolicy);
    r.put("ListUserPolicies", PolicyActions::listUserPolicies);
    r.put("DeleteUserPolicy", PolicyActions::deleteUserPolicy);
    r.put("AttachUserPolicy", PolicyActions::attachUserPolicy);
    r.put("DetachUserPolicy", PolicyActions::detachUserPolicy);
    r.put("ListAttachedUserPolicies", PolicyActions::listAttachedUserPolicies);
    r.put("PutGroupPolicy", PolicyActions::putGroupPolicy);
    r.put("GetGroupPolicy", PolicyActions::getGroupPolicy);
    r.put("ListGroupPolicies", PolicyActions::listGroupPolicies);
    r.put("DeleteGroupPolicy", PolicyActions::deleteGroupPolicy);
    r.put("AttachGroupPolicy", PolicyActions::attachGroupPolicy);
    r.put("DetachGroupPolicy", PolicyActions::detachGroupPolicy);
    r.put("ListAttachedGroupPolicies", PolicyActions::listAttachedGroupPolicies);
    r.put("CreatePolicy", PolicyActions::createPolicy);
    r.put("GetPolicy", PolicyActions::getPolicy);
    r.put("GetPolicyVersion", PolicyActions::getPolicyVersion);
    r.put("ListPolicies", PolicyActions::listPolicies);
    r.put("DeletePolicy", PolicyActions::deletePolicy);
  }

  // ---- documents ----

  /** Parses a policy document the way IAM checks one, before it is stored. */
  static String document(Params p) {
    String doc = p.text("PolicyDocument", 1, 131072);
    JsonNode root;
    try {
      root = JSON.readTree(doc);
    } catch (IOException e) {
      throw IamException.malformedPolicy("Syntax errors in policy.");
    }
    if (root == null || !root.isObject()) {
      throw IamException.malformedPolicy("Syntax errors in policy.");
    }
    JsonNode version = root.get("Version");
    if (version != null
        && !version.asText().equals("2012-10-17")
        && !version.asText().equals("2008-10-17")) {
      throw IamException.malformedPolicy("The policy failed legacy parsing");
    }
    JsonNode statements = root.get("Statement");
    if (statements == null) {
      throw IamException.malformedPolicy("Missing required field Statement");
    }
    for (JsonNode s : statements.isArray() ? statements : List.of(statements)) {
      String effect = s.path("Effect").asText("");
      if (!effect.equals("Allow") && !effect.equals("Deny")) {
        throw IamException.malformedPolicy("Invalid effect: " + effect);
      }
      if (!s.has("Action") && !s.has("NotAction")) {
        throw IamException.malformedPolicy("Policy statement must contain actions.");
      }
    }
    return doc;
  }

  /** IAM counts policy size without whitespace. */
  static int size(String document) {
    return (int) document.chars().filter(ch -> !Character.isWhitespace(ch)).count();
  }

  /** IAM returns documents URL-encoded (RFC 3986); callers decode them. */
  static String encoded(String document) {
    return URLEncoder.encode(document, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  // ---- inline ----

  private static void putInline(
      Map<String, InlinePolicy> policies, String name, String doc, int limit, String owner) {
    int total = size(doc);
    for (InlinePolicy p : policies.values()) {
      if (!p.name.equalsIgnoreCase(name)) {
        total += size(p.document);
      }
    }
    if (total > limit) {
      throw IamException.limitExceeded(
          "Maximum policy size of " + limit + " bytes exceeded for " + owner);
    }
    policies.put(Account.key(name), new InlinePolicy(name, doc));
  }

  private static InlinePolicy inline(Map<String, InlinePolicy> policies, String name, String what) {
    InlinePolicy p = policies.get(Account.key(name));
    if (p == null) {
      throw IamException.noSuchEntity(
          "The " + what + " policy with name " + name + " cannot be found.");
    }
    return p;
  }

  private static void putUserPolicy(Call c, Xml x) {
    Params p = c.params();
    User u = Entities.user(c.account(), p.name("UserName", 128));
    String name = p.name("PolicyName", 128);
    String doc = document(p);
    putInline(u.inlinePolicies, name, doc, USER_INLINE_SIZE, "user " + u.name);
  }

  private static void getUserPolicy(Call c, Xml x) {
    Params p = c.params();
    User u = Entities.user(c.account(), p.name("UserName", 128));
    InlinePolicy policy = inline(u.inlinePolicies, p.name("PolicyName", 128), "user");
    x.el("UserName", u.name)
        .el("PolicyName", policy.name)
        .el("PolicyDocument", encoded(policy.document));
  }

  private static void listUserPolicies(Call c, Xml x) {
    User u = Entities.user(c.account(), c.params().name("UserName", 128));
    listNames(c, x, u.inlinePolicies);
  }

  private static void listNames(Call c, Xml x, Map<String, InlinePolicy> policies) {
    Pages.write(
        c.params(),
        new ArrayList<>(policies.values()),
        p -> Account.key(p.name),
        x,
        "PolicyNames",
        (w, p) -> w.text(p.name));
  }

  private static void deleteUserPolicy(Call c, Xml x) {
    Params p = c.params();
    User u = Entities.user(c.account(), p.name("UserName", 128));
    InlinePolicy policy = inline(u.inlinePolicies, p.name("PolicyName", 128), "user");
    u.inlinePolicies.remove(Account.key(policy.name));
  }

  private static void putGroupPolicy(Call c, Xml x) {
    Params p = c.params();
    Group g = Entities.group(c.account(), p.name("GroupName", 128));
    String name = p.name("PolicyName", 128);
    String doc = document(p);
    putInline(g.inlinePolicies, name, doc, GROUP_INLINE_SIZE, "group " + g.name);
  }

  private static void getGroupPolicy(Call c, Xml x) {
    Params p = c.params();
    Group g = Entities.group(c.account(), p.name("GroupName", 128));
    InlinePolicy policy = inline(g.inlinePolicies, p.name("PolicyName", 128), "group");
    x.el("GroupName", g.name)
        .el("PolicyName", policy.name)
        .el("PolicyDocument", encoded(policy.document));
  }

  private static void listGroupPolicies(Call c, Xml x) {
    Group g = Entities.group(c.account(), c.params().name("GroupName", 128));
    listNames(c, x, g.inlinePolicies);
  }

  private static void deleteGroupPolicy(Call c, Xml x) {
    Params p = c.params();
    Group g = Entities.group(c.account(), p.name("GroupName", 128));
    InlinePolicy policy = inline(g.inlinePolicies, p.name("PolicyName", 128), "group");
    g.inlinePolicies.remove(Account.key(policy.name));
  }

  // ---- attached ----

  private static String policyArn(Params p) {
    return p.text("PolicyArn", 20, 2048);
  }

  private static void attach(Account a, List<String> attached, String arn, String quota) {
    String resolved;
    try {
      resolved = Policies.resolve(a, arn);
    } catch (IamException e) {
      throw IamException.noSuchEntity("Policy " + arn + " does not exist or is not attachable.");
    }
    if (attached.contains(resolved)) {
      return;
    }
    if (attached.size() >= ATTACHED_PER_ENTITY) {
      throw IamException.quota(quota, ATTACHED_PER_ENTITY);
    }
    attached.add(resolved);
  }

  private static void detach(List<String> attached, String arn) {
    if (!attached.removeIf(a -> a.equalsIgnoreCase(arn))) {
      throw IamException.noSuchEntity("Policy " + arn + " was not found.");
    }
  }

  /** An attached managed policy as ListAttached*Policies shows it. */
  private record Attached(String name, String path, String arn) {}

  private static void listAttached(Call c, Xml x, Account a, List<String> attached) {
    String prefix = c.params().pathPrefix("PathPrefix");
    List<Attached> policies = new ArrayList<>();
    for (String arn : attached) {
      Attached p = attached(a, arn);
      if (p != null && p.path().startsWith(prefix)) {
        policies.add(p);
      }
    }
    Pages.write(
        c.params(),
        policies,
        Attached::arn,
        x,
        "AttachedPolicies",
        (w, p) -> w.el("PolicyName", p.name()).el("PolicyArn", p.arn()));
  }

  /** An existing managed policy by ARN, or null. */
  private static Attached attached(Account a, String arn) {
    ManagedPolicy p = Policies.customer(a, arn);
    if (p != null) {
      return new Attached(p.name, p.path, p.arn);
    }
    AwsManagedPolicies.Entry e = AwsManagedPolicies.byArn(arn);
    return e == null ? null : new Attached(e.name(), e.path(), e.arn());
  }

  private static void attachUserPolicy(Call c, Xml x) {
    Params p = c.params();
    User u = Entities.user(c.account(), p.name("UserName", 128));
    attach(c.account(), u.attachedPolicies, policyArn(p), "PoliciesPerUser");
  }

  private static void detachUserPolicy(Call c, Xml x) {
    Params p = c.params();
    User u = Entities.user(c.account(), p.name("UserName", 128));
    detach(u.attachedPolicies, policyArn(p));
  }

  private static void listAttachedUserPolicies(Call c, Xml x) {
    User u = Entities.user(c.account(), c.params().name("UserName", 128));
    listAttached(c, x, c.account(), u.attachedPolicies);
  }

  private static void attachGroupPolicy(Call c, Xml x) {
    Params p = c.params();
    Group g = Entities.group(c.account(), p.name("GroupName", 128));
    attach(c.account(), g.attachedPolicies, policyArn(p), "PoliciesPerGroup");
  }

  private static void detachGroupPolicy(Call c, Xml x) {
    Params p = c.params();
    Group g = Entities.group(c.account(), p.name("GroupName", 128));
    detach(g.attachedPolicies, policyArn(p));
  }

  private static void listAttachedGroupPolicies(Call c, Xml x) {
    Group g = Entities.group(c.account(), c.params().name("GroupName", 128));
    listAttached(c, x, c.account(), g.attachedPolicies);
  }

  // ---- managed ----

  /** How many users and groups each managed policy is attached to. */
  static Map<String, Integer> attachmentCounts(Account a) {
    Map<String, Integer> counts = new HashMap<>();
    for (User u : a.users.values()) {
      u.attachedPolicies.forEach(arn -> counts.merge(arn, 1, Integer::sum));
    }
    for (Group g : a.groups.values()) {
      g.attachedPolicies.forEach(arn -> counts.merge(arn, 1, Integer::sum));
    }
    return counts;
  }

  private static void createPolicy(Call c, Xml x) {
    Params p = c.params();
    String name = p.name("PolicyName", 128);
    String path = p.path("Path");
    String doc = document(p);
    String description = p.optional("Description");
    if (description != null && description.length() > 1000) {
      throw IamException.validation(
          "1 validation error detected: Value at 'description' failed to satisfy constraint:"
              + " Member must have length less than or equal to 1000");
    }
    Map<String, String> tags = p.tags("Tags");
    if (size(doc) > MANAGED_POLICY_SIZE) {
      throw IamException.quota("PolicySize", MANAGED_POLICY_SIZE);
    }
    ManagedPolicy policy =
        Policies.create(c.account(), name, path, doc, description, tags, c.now());
    x.start("Policy");
    policy(x, policy, 0, true);
    x.end("Policy");
  }

  private static void policy(Xml x, ManagedPolicy p, int attachments, boolean full) {
    x.el("PolicyName", p.name)
        .el("PolicyId", p.id)
        .el("Arn", p.arn)
        .el("Path", p.path)
        .el("DefaultVersionId", p.defaultVersionId)
        .el("AttachmentCount", attachments)
        .el("PermissionsBoundaryUsageCount", 0)
        .el("IsAttachable", true)
        .el("CreateDate", p.createDate)
        .el("UpdateDate", p.updateDate);
    if (full) {
      x.el("Description", p.description);
      if (!p.tags.isEmpty()) {
        Entities.tags(x, p.tags);
      }
    }
  }

  static ManagedPolicy awsPolicy(AwsManagedPolicies.Entry e) {
    ManagedPolicy p = new ManagedPolicy();
    p.name = e.name();
    p.path = e.path();
    p.id = e.id();
    p.arn = e.arn();
    p.createDate = AwsManagedPolicies.CREATED;
    p.updateDate = AwsManagedPolicies.CREATED;
    p.versions.add(new ManagedPolicy.PolicyVersion("v1", e.document(), AwsManagedPolicies.CREATED));
    return p;
  }

  private static ManagedPolicy managed(Account a, String arn) {
    ManagedPolicy p = Policies.customer(a, arn);
    if (p != null) {
      return p;
    }
    AwsManagedPolicies.Entry e = AwsManagedPolicies.byArn(arn);
    if (e != null) {
      return awsPolicy(e);
    }
    throw IamException.noSuchEntity("Policy " + arn + " was not found.");
  }

  private static void getPolicy(Call c, Xml x) {
    Account a = c.account();
    ManagedPolicy p = managed(a, policyArn(c.params()));
    x.start("Policy");
    policy(x, p, attachmentCounts(a).getOrDefault(p.arn, 0), true);
    x.end("Policy");
  }

  private static void getPolicyVersion(Call c, Xml x) {
    Params params = c.params();
    ManagedPolicy p = managed(c.account(), policyArn(params));
    String versionId = params.required("VersionId");
    if (!VERSION_ID.matcher(versionId).matches()) {
      throw IamException.validation(
          "1 validation error detected: Value '"
              + versionId
              + "' at 'versionId' failed to satisfy constraint: Member must satisfy regular"
              + " expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?");
    }
    ManagedPolicy.PolicyVersion v = p.version(versionId);
    if (v == null) {
      throw IamException.noSuchEntity(
          "Policy " + p.arn + " version " + versionId + " does not exist or is not attachable.");
    }
    x.start("PolicyVersion")
        .el("Document", encoded(v.document))
        .el("VersionId", v.versionId)
        .el("IsDefaultVersion", v.versionId.equals(p.defaultVersionId))
        .el("CreateDate", v.createDate)
        .end("PolicyVersion");
  }

  private static void listPolicies(Call c, Xml x) {
    Params p = c.params();
    String scope = p.optional("Scope");
    if (scope == null) {
      scope = "All";
    }
    if (!List.of("All", "AWS", "Local").contains(scope)) {
      throw IamException.validation(
          "1 validation error detected: Value '"
              + scope
              + "' at 'scope' failed to satisfy constraint: Member must satisfy enum value set:"
              + " [All, AWS, Local]");
    }
    boolean onlyAttached = p.bool("OnlyAttached", false);
    String prefix = p.pathPrefix("PathPrefix");
    Account a = c.account();
    Map<String, Integer> counts = attachmentCounts(a);
    List<ManagedPolicy> policies = new ArrayList<>();
    if (!scope.equals("AWS")) {
      policies.addAll(a.policies.values());
    }
    if (!scope.equals("Local")) {
      AwsManagedPolicies.all().forEach(e -> policies.add(awsPolicy(e)));
    }
    policies.removeIf(
        m -> !m.path.startsWith(prefix) || (onlyAttached && counts.getOrDefault(m.arn, 0) == 0));
    Pages.write(
        p,
        policies,
        m -> m.arn,
        x,
        "Policies",
        (w, m) -> policy(w, m, counts.getOrDefault(m.arn, 0), false));
  }

  private static void deletePolicy(Call c, Xml x) {
    Account a = c.account();
    String arn = policyArn(c.params());
    ManagedPolicy p = Policies.customer(a, arn);
    if (p == null) {
      if (AwsManagedPolicies.byArn(arn) != null) {
        throw IamException.accessDenied("AWS managed policies cannot be deleted.");
      }
      throw IamException.noSuchEntity("Policy " + arn + " was not found.");
    }
    if (attachmentCounts(a).getOrDefault(p.arn, 0) > 0) {
      throw IamException.deleteConflict("Cannot delete a policy attached to entities.");
    }
    a.policies.remove(Account.key(p.name));
  }
}
