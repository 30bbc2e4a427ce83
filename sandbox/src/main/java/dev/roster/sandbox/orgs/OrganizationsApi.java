package dev.roster.sandbox.orgs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * AWS Organizations' actions as its JSON protocol carries them ({@code X-Amz-Target:
 * AWSOrganizationsV20161128.<Action>}, body and answer JSON, timestamps as epoch seconds): the
 * structure (roots, OUs, accounts, invitations) and service control policies. Only the management
 * account may read or change its organization, as in AWS; a member may accept an invitation and
 * describe the organization. One instance serves every organization of the sandbox.
 */
public final class OrganizationsApi {
  public static final String TARGET_PREFIX = "AWSOrganizationsV20161128.";
  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
  private static final int MAX_RESULTS = 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ObjectMapper json;
  private final Map<String, Organization> byAccount = new HashMap<>();
  private final Map<String, Handshake> handshakes = new HashMap<>();
  private final Map<String, ObjectNode> createStatuses = new HashMap<>();
  private final Map<String, Function<Call, JsonNode>> actions = new HashMap<>();

  private record Handshake(String id, Organization org, String accountId, Instant requested) {}

  private record Call(String account, JsonNode in, Organization org) {
    String text(String field) {
      JsonNode v = in.get(field);
      if (v == null || !v.isTextual() || v.asText().isEmpty()) {
        throw new OrgsException(
            "InvalidInputException", "You provided an invalid value for parameter " + field + ".");
      }
      return v.asText();
    }

    String optional(String field) {
      JsonNode v = in.get(field);
      return v == null || v.isNull() ? null : v.asText();
    }
  }

  public OrganizationsApi(ObjectMapper json) {
    this.json = json;
    actions.put("CreateOrganization", this::createOrganization);
    actions.put("DescribeOrganization", c -> obj().set("Organization", organization(member(c))));
    actions.put("ListRoots", c -> page(c, "Roots", List.of(root(mgmt(c)))));
    actions.put("CreateOrganizationalUnit", this::createUnit);
    actions.put(
        "DescribeOrganizationalUnit",
        c -> obj().set("OrganizationalUnit", unit(unitOf(c, "OrganizationalUnitId"))));
    actions.put(
        "DeleteOrganizationalUnit",
        c -> {
          mgmt(c).deleteUnit(c.text("OrganizationalUnitId"));
          return obj();
        });
    actions.put("ListOrganizationalUnitsForParent", this::listUnits);
    actions.put("ListChildren", this::listChildren);
    actions.put("ListParents", this::listParents);
    actions.put("ListAccounts", c -> page(c, "Accounts", accounts(mgmt(c).accounts.values())));
    actions.put(
        "ListAccountsForParent",
        c -> page(c, "Accounts", accounts(mgmt(c).accountsIn(c.text("ParentId")))));
    actions.put(
        "DescribeAccount",
        c -> obj().set("Account", account(mgmt(c).account(c.text("AccountId")))));
    actions.put(
        "MoveAccount",
        c -> {
          mgmt(c)
              .move(c.text("AccountId"), c.text("SourceParentId"), c.text("DestinationParentId"));
          return obj();
        });
    actions.put("CreateAccount", this::createAccount);
    actions.put("DescribeCreateAccountStatus", this::describeCreateAccountStatus);
    actions.put("InviteAccountToOrganization", this::invite);
    actions.put("AcceptHandshake", this::accept);
    actions.put("CreatePolicy", this::createPolicy);
    actions.put("UpdatePolicy", this::updatePolicy);
    actions.put(
        "DeletePolicy",
        c -> {
          mgmt(c).deletePolicy(c.text("PolicyId"));
          return obj();
        });
    actions.put(
        "DescribePolicy", c -> obj().set("Policy", policy(mgmt(c).policy(c.text("PolicyId")))));
    actions.put(
        "ListPolicies",
        c -> {
          scpFilter(c);
          return page(c, "Policies", summaries(mgmt(c).policies.values()));
        });
    actions.put(
        "ListPoliciesForTarget",
        c -> {
          scpFilter(c);
          return page(c, "Policies", summaries(mgmt(c).policiesFor(c.text("TargetId"))));
        });
    actions.put(
        "AttachPolicy",
        c -> {
          mgmt(c).attach(c.text("PolicyId"), c.text("TargetId"));
          return obj();
        });
    actions.put(
        "DetachPolicy",
        c -> {
          mgmt(c).detach(c.text("PolicyId"), c.text("TargetId"));
          return obj();
        });
  }

  /** Whether {@code action} is one this emulator implements. */
  public boolean knows(String action) {
    return actions.containsKey(action);
  }

  /** Whether {@code action} only reads. */
  public static boolean readOnly(String action) {
    return action.startsWith("List") || action.startsWith("Describe");
  }

  /**
   * Runs {@code action} for a caller of {@code account} with the request body {@code in}; throws
   * {@link OrgsException} for what AWS refuses.
   */
  public synchronized JsonNode handle(String action, String account, JsonNode in) {
    Function<Call, JsonNode> handler = actions.get(action);
    if (handler == null) {
      throw new OrgsException(
          "UnknownOperationException", "The action " + action + " is not valid for this endpoint.");
    }
    JsonNode body = in == null || in.isNull() || in.isMissingNode() ? obj() : in;
    return handler.apply(new Call(account, body, byAccount.get(account)));
  }

  /** Forgets every organization. */
  public synchronized void clear() {
    byAccount.clear();
    handshakes.clear();
    createStatuses.clear();
  }

  /** The organization whose management account is {@code account}, if any (for the admin API). */
  public synchronized Organization managedBy(String account) {
    Organization org = byAccount.get(account);
    return org != null && org.managementAccount().equals(account) ? org : null;
  }

  private JsonNode createOrganization(Call c) {
    if (c.org() != null) {
      throw new OrgsException(
          "AlreadyInOrganizationException", "This account is already a member of an organization.");
    }
    String featureSet = c.optional("FeatureSet") == null ? "ALL" : c.optional("FeatureSet");
    if (!featureSet.equals("ALL") && !featureSet.equals("CONSOLIDATED_BILLING")) {
      throw new OrgsException("InvalidInputException", "Invalid FeatureSet: " + featureSet);
    }
    Organization org = new Organization(c.account(), featureSet);
    byAccount.put(c.account(), org);
    return obj().set("Organization", organization(org));
  }

  private JsonNode createUnit(Call c) {
    Organization org = mgmt(c);
    String name = c.text("Name");
    if (name.length() > 128) {
      throw new OrgsException("InvalidInputException", "Name must be at most 128 characters.");
    }
    return obj().set("OrganizationalUnit", unit(org.createUnit(c.text("ParentId"), name)));
  }

  private Organization.Parent unitOf(Call c, String field) {
    Organization.Parent ou = mgmt(c).parents.get(c.text(field));
    if (ou == null || ou.root()) {
      throw new OrgsException(
          "OrganizationalUnitNotFoundException",
          "We can't find an OU with the OrganizationalUnitId that you specified.");
    }
    return ou;
  }

  private JsonNode listUnits(Call c) {
    Organization org = mgmt(c);
    List<JsonNode> units = new ArrayList<>();
    for (Organization.Parent ou : org.children(org.parent(c.text("ParentId")).id())) {
      units.add(unit(ou));
    }
    return page(c, "OrganizationalUnits", units);
  }

  private JsonNode listChildren(Call c) {
    Organization org = mgmt(c);
    String parentId = org.parent(c.text("ParentId")).id();
    String type = c.text("ChildType");
    List<JsonNode> children = new ArrayList<>();
    switch (type) {
      case "ORGANIZATIONAL_UNIT" ->
          org.children(parentId).forEach(ou -> children.add(child(ou.id(), type)));
      case "ACCOUNT" -> org.accountsIn(parentId).forEach(a -> children.add(child(a.id(), type)));
      default -> throw new OrgsException("InvalidInputException", "Invalid ChildType: " + type);
    }
    return page(c, "Children", children);
  }

  private JsonNode listParents(Call c) {
    Organization org = mgmt(c);
    String childId = c.text("ChildId");
    String parentId;
    if (ACCOUNT_ID.matcher(childId).matches()) {
      parentId = org.placementOf(childId);
    } else {
      Organization.Parent ou = org.parents.get(childId);
      if (ou == null || ou.root()) {
        throw new OrgsException(
            "ChildNotFoundException",
            "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
      }
      parentId = ou.parentId();
    }
    String type = org.parents.get(parentId).root() ? "ROOT" : "ORGANIZATIONAL_UNIT";
    return page(c, "Parents", List.of(child(parentId, type)));
  }

  private JsonNode createAccount(Call c) {
    Organization org = mgmt(c);
    String accountId;
    do {
      accountId = String.format("%012d", Math.floorMod(RANDOM.nextLong(), 1_000_000_000_000L));
    } while (byAccount.containsKey(accountId));
    org.join(accountId, c.text("AccountName"), c.text("Email"), "CREATED");
    byAccount.put(accountId, org);
    long now = Instant.now().getEpochSecond();
    String requestId = "car-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
    ObjectNode status =
        obj()
            .put("Id", requestId)
            .put("AccountName", c.text("AccountName"))
            .put("State", "SUCCEEDED")
            .put("AccountId", accountId)
            .put("RequestedTimestamp", now)
            .put("CompletedTimestamp", now);
    createStatuses.put(requestId, status);
    return obj().set("CreateAccountStatus", status);
  }

  private JsonNode describeCreateAccountStatus(Call c) {
    mgmt(c);
    ObjectNode status = createStatuses.get(c.text("CreateAccountRequestId"));
    if (status == null) {
      throw new OrgsException(
          "CreateAccountStatusNotFoundException",
          "We can't find a create account request with the CreateAccountRequestId that you specified.");
    }
    return obj().set("CreateAccountStatus", status);
  }

  private JsonNode invite(Call c) {
    Organization org = mgmt(c);
    JsonNode target = c.in().path("Target");
    String accountId = target.path("Id").asText();
    if (!"ACCOUNT".equals(target.path("Type").asText())
        || !ACCOUNT_ID.matcher(accountId).matches()) {
      throw new OrgsException(
          "InvalidInputException",
          "Target must be {\"Type\":\"ACCOUNT\",\"Id\":<12-digit account id>}.");
    }
    if (byAccount.containsKey(accountId)) {
      throw new OrgsException(
          "DuplicateAccountException", "That account is already a member of an organization.");
    }
    String id = "h-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
    Handshake h = new Handshake(id, org, accountId, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    handshakes.put(id, h);
    return obj().set("Handshake", handshake(h, "OPEN"));
  }

  private JsonNode accept(Call c) {
    Handshake h = handshakes.get(c.text("HandshakeId"));
    if (h == null || !h.accountId().equals(c.account())) {
      throw new OrgsException(
          "HandshakeNotFoundException",
          "We can't find a handshake with the HandshakeId that you specified.");
    }
    if (c.org() != null) {
      throw new OrgsException(
          "AlreadyInOrganizationException", "This account is already a member of an organization.");
    }
    handshakes.remove(h.id());
    h.org()
        .join(h.accountId(), "account-" + h.accountId(), h.accountId() + "@example.com", "INVITED");
    byAccount.put(h.accountId(), h.org());
    return obj().set("Handshake", handshake(h, "ACCEPTED"));
  }

  private JsonNode createPolicy(Call c) {
    Organization org = mgmt(c);
    scpType(c.text("Type"));
    String content = content(c.text("Content"));
    return obj()
        .set(
            "Policy", policy(org.createPolicy(c.text("Name"), c.optional("Description"), content)));
  }

  private JsonNode updatePolicy(Call c) {
    Organization org = mgmt(c);
    String content = c.optional("Content") == null ? null : content(c.optional("Content"));
    return obj()
        .set(
            "Policy",
            policy(
                org.updatePolicy(
                    c.text("PolicyId"), c.optional("Name"), c.optional("Description"), content)));
  }

  private String content(String content) {
    try {
      JsonNode doc = json.readTree(content);
      if (!doc.isObject() || !doc.has("Statement")) {
        throw new OrgsException(
            "MalformedPolicyDocumentException",
            "The provided policy document doesn't meet the requirements of the specified policy type.");
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new OrgsException(
          "MalformedPolicyDocumentException", "The provided policy document is not valid JSON.");
    }
    return content;
  }

  /** Only SCPs are emulated; {@code Filter} is required by AWS on the policy lists. */
  private static void scpFilter(Call c) {
    scpType(c.text("Filter"));
  }

  private static void scpType(String type) {
    if (!Organization.SCP.equals(type)) {
      throw new OrgsException(
          "PolicyTypeNotEnabledException",
          "This sandbox emulates only SERVICE_CONTROL_POLICY; got " + type + ".");
    }
  }

  /** The caller's organization, for anything only the management account may do. */
  private static Organization mgmt(Call c) {
    Organization org = member(c);
    if (!org.managementAccount().equals(c.account())) {
      throw new OrgsException(
          "AccessDeniedException", "You don't have permissions to access this resource.");
    }
    return org;
  }

  private static Organization member(Call c) {
    if (c.org() == null) {
      throw new OrgsException(
          "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
    }
    return c.org();
  }

  private JsonNode page(Call c, String field, List<JsonNode> items) {
    int max = c.in().path("MaxResults").asInt(MAX_RESULTS);
    if (max < 1 || max > MAX_RESULTS) {
      throw new OrgsException(
          "InvalidInputException", "MaxResults must be between 1 and " + MAX_RESULTS + ".");
    }
    int from = 0;
    String token = c.optional("NextToken");
    if (token != null) {
      try {
        from = Integer.parseInt(token.substring("t-".length()));
      } catch (RuntimeException e) {
        throw new OrgsException("InvalidInputException", "The NextToken is not valid.");
      }
    }
    ObjectNode out = obj();
    ArrayNode array = out.putArray(field);
    int to = Math.min(items.size(), from + max);
    for (int i = from; i < to; i++) {
      array.add(items.get(i));
    }
    if (to < items.size()) {
      out.put("NextToken", "t-" + to);
    }
    return out;
  }

  private ObjectNode organization(Organization org) {
    ObjectNode o =
        obj()
            .put("Id", org.id())
            .put("Arn", org.arn)
            .put("FeatureSet", org.featureSet)
            .put("MasterAccountArn", org.accounts.get(org.managementAccount()).arn())
            .put("MasterAccountId", org.managementAccount())
            .put("MasterAccountEmail", org.managementEmail);
    o.putArray("AvailablePolicyTypes").add(policyType());
    return o;
  }

  private ObjectNode root(Organization org) {
    ObjectNode r =
        obj().put("Id", org.root().id()).put("Arn", org.root().arn()).put("Name", "Root");
    r.putArray("PolicyTypes").add(policyType());
    return r;
  }

  private ObjectNode policyType() {
    return obj().put("Type", Organization.SCP).put("Status", "ENABLED");
  }

  private ObjectNode unit(Organization.Parent ou) {
    return obj().put("Id", ou.id()).put("Arn", ou.arn()).put("Name", ou.name());
  }

  private ObjectNode child(String id, String type) {
    return obj().put("Id", id).put("Type", type);
  }

  private List<JsonNode> accounts(Iterable<Organization.Member> members) {
    List<JsonNode> out = new ArrayList<>();
    members.forEach(m -> out.add(account(m)));
    return out;
  }

  private ObjectNode account(Organization.Member m) {
    return obj()
        .put("Id", m.id())
        .put("Arn", m.arn())
        .put("Email", m.email())
        .put("Name", m.name())
        .put("Status", "ACTIVE")
        .put("State", "ACTIVE")
        .put("JoinedMethod", m.joinedMethod())
        .put("JoinedTimestamp", m.joined().getEpochSecond());
  }

  private List<JsonNode> summaries(Iterable<Organization.Policy> policies) {
    List<JsonNode> out = new ArrayList<>();
    policies.forEach(p -> out.add(summary(p)));
    return out;
  }

  private ObjectNode summary(Organization.Policy p) {
    return obj()
        .put("Id", p.id())
        .put("Arn", p.arn())
        .put("Name", p.name())
        .put("Description", p.description())
        .put("Type", Organization.SCP)
        .put("AwsManaged", p.awsManaged());
  }

  private ObjectNode policy(Organization.Policy p) {
    ObjectNode o = obj();
    o.set("PolicySummary", summary(p));
    o.put("Content", p.content());
    return o;
  }

  private ObjectNode handshake(Handshake h, String state) {
    ObjectNode o =
        obj()
            .put("Id", h.id())
            .put(
                "Arn",
                "arn:aws:organizations::"
                    + h.org().managementAccount()
                    + ":handshake/"
                    + h.org().id()
                    + "/invite/"
                    + h.id())
            .put("State", state)
            .put("Action", "INVITE")
            .put("RequestedTimestamp", h.requested().getEpochSecond())
            .put("ExpirationTimestamp", h.requested().plus(15, ChronoUnit.DAYS).getEpochSecond());
    ArrayNode parties = o.putArray("Parties");
    parties.add(obj().put("Id", h.org().id().substring(2)).put("Type", "ORGANIZATION"));
    parties.add(obj().put("Id", h.accountId()).put("Type", "ACCOUNT"));
    return o;
  }

  private ObjectNode obj() {
    return json.createObjectNode();
  }
}
