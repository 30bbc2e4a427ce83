package dev.roster.sandbox.orgs;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One AWS organization: a root, OUs below it, member accounts placed in the root or an OU, and
 * service control policies attached to any of them. Like AWS, the AWS-managed {@code FullAWSAccess}
 * SCP is attached to the root and to every OU and account that joins; an SCP attached to a target
 * is refused twice; a parent that still has children cannot be deleted. Callers synchronize on the
 * instance.
 */
public final class Organization {
  public static final String FULL_AWS_ACCESS = "p-FullAWSAccess";
  public static final String SCP = "SERVICE_CONTROL_POLICY";
  private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A root or an OU. */
  public record Parent(String id, String arn, String name, String parentId) {
    public boolean root() {
      return id.startsWith("r-");
    }
  }

  /** A member account. */
  public record Member(
      String id, String arn, String name, String email, String joinedMethod, Instant joined) {}

  /** A policy; {@code content} is the JSON document as given. */
  public record Policy(
      String id, String arn, String name, String description, String content, boolean awsManaged) {
    Policy with(String name, String description, String content) {
      return new Policy(id, arn, name, description, content, awsManaged);
    }
  }

  final String id;
  final String arn;
  final String managementAccount;
  final String managementEmail;
  final String featureSet;
  final Parent root;
  final Map<String, Parent> parents = new LinkedHashMap<>();
  final Map<String, Member> accounts = new LinkedHashMap<>();
  final Map<String, String> placement = new LinkedHashMap<>();
  final Map<String, Policy> policies = new LinkedHashMap<>();
  final Map<String, Set<String>> attachments = new LinkedHashMap<>();

  Organization(String managementAccount, String featureSet) {
    this.id = "o-" + random(10);
    this.managementAccount = managementAccount;
    this.managementEmail = "management@" + managementAccount + ".example.com";
    this.featureSet = featureSet;
    this.arn = "arn:aws:organizations::" + managementAccount + ":organization/" + id;
    String rootId = "r-" + random(4);
    this.root =
        new Parent(
            rootId,
            "arn:aws:organizations::" + managementAccount + ":root/" + id + "/" + rootId,
            "Root",
            null);
    parents.put(rootId, root);
    policies.put(
        FULL_AWS_ACCESS,
        new Policy(
            FULL_AWS_ACCESS,
            "arn:aws:organizations::aws:policy/service_control_policy/" + FULL_AWS_ACCESS,
            "FullAWSAccess",
            "Allows access to every operation",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
            true));
    attach(FULL_AWS_ACCESS, rootId);
    join(managementAccount, "management", managementEmail, "CREATED");
  }

  public String id() {
    return id;
  }

  public String managementAccount() {
    return managementAccount;
  }

  public Parent root() {
    return root;
  }

  Parent parent(String parentId) {
    Parent p = parents.get(parentId);
    if (p == null) {
      throw new OrgsException(
          "ParentNotFoundException",
          "We can't find a root or OU with the ParentId that you specified.");
    }
    return p;
  }

  Parent createUnit(String parentId, String name) {
    parent(parentId);
    for (Parent p : parents.values()) {
      if (parentId.equals(p.parentId()) && p.name().equals(name)) {
        throw new OrgsException(
            "DuplicateOrganizationalUnitException", "An OU with the same name already exists.");
      }
    }
    String ouId = "ou-" + root.id().substring(2) + "-" + random(8);
    Parent ou =
        new Parent(
            ouId,
            "arn:aws:organizations::" + managementAccount + ":ou/" + id + "/" + ouId,
            name,
            parentId);
    parents.put(ouId, ou);
    attach(FULL_AWS_ACCESS, ouId);
    return ou;
  }

  void deleteUnit(String ouId) {
    Parent ou = parents.get(ouId);
    if (ou == null || ou.root()) {
      throw new OrgsException(
          "OrganizationalUnitNotFoundException",
          "We can't find an OU with the OrganizationalUnitId that you specified.");
    }
    if (!children(ouId).isEmpty() || placement.containsValue(ouId)) {
      throw new OrgsException(
          "OrganizationalUnitNotEmptyException", "The specified OU is not empty.");
    }
    parents.remove(ouId);
    attachments.remove(ouId);
  }

  List<Parent> children(String parentId) {
    List<Parent> out = new ArrayList<>();
    for (Parent p : parents.values()) {
      if (parentId.equals(p.parentId())) {
        out.add(p);
      }
    }
    return out;
  }

  Member join(String accountId, String name, String email, String method) {
    if (accounts.containsKey(accountId)) {
      throw new OrgsException(
          "DuplicateAccountException", "That account is already a member of an organization.");
    }
    Member m =
        new Member(
            accountId,
            "arn:aws:organizations::" + managementAccount + ":account/" + id + "/" + accountId,
            name,
            email,
            method,
            Instant.now().truncatedTo(ChronoUnit.SECONDS));
    accounts.put(accountId, m);
    placement.put(accountId, root.id());
    attach(FULL_AWS_ACCESS, accountId);
    return m;
  }

  Member account(String accountId) {
    Member m = accounts.get(accountId);
    if (m == null) {
      throw new OrgsException(
          "AccountNotFoundException",
          "We can't find an account with the AccountId that you specified.");
    }
    return m;
  }

  List<Member> accountsIn(String parentId) {
    parent(parentId);
    List<Member> out = new ArrayList<>();
    placement.forEach(
        (account, parent) -> {
          if (parent.equals(parentId)) {
            out.add(accounts.get(account));
          }
        });
    return out;
  }

  String placementOf(String accountId) {
    account(accountId);
    return placement.get(accountId);
  }

  void move(String accountId, String source, String destination) {
    account(accountId);
    if (!parents.containsKey(source)) {
      throw new OrgsException(
          "SourceParentNotFoundException",
          "We can't find a source root or OU with the ParentId that you specified.");
    }
    if (!parents.containsKey(destination)) {
      throw new OrgsException(
          "DestinationParentNotFoundException",
          "We can't find a destination root or OU with the ParentId that you specified.");
    }
    if (!placement.get(accountId).equals(source)) {
      throw new OrgsException(
          "AccountNotFoundException",
          "The account is not in the source parent that you specified.");
    }
    placement.put(accountId, destination);
  }

  Policy createPolicy(String name, String description, String content) {
    for (Policy p : policies.values()) {
      if (p.name().equals(name)) {
        throw new OrgsException(
            "DuplicatePolicyException", "A policy with the same name already exists.");
      }
    }
    String policyId = "p-" + random(8);
    Policy p =
        new Policy(
            policyId,
            "arn:aws:organizations::"
                + managementAccount
                + ":policy/"
                + id
                + "/service_control_policy/"
                + policyId,
            name,
            description == null ? "" : description,
            content,
            false);
    policies.put(policyId, p);
    return p;
  }

  Policy policy(String policyId) {
    Policy p = policies.get(policyId);
    if (p == null) {
      throw new OrgsException(
          "PolicyNotFoundException",
          "We can't find a policy with the PolicyId that you specified.");
    }
    return p;
  }

  Policy updatePolicy(String policyId, String name, String description, String content) {
    Policy p = policy(policyId);
    if (p.awsManaged()) {
      throw new OrgsException("AccessDeniedException", "You can't modify an AWS managed policy.");
    }
    Policy updated =
        p.with(
            name == null ? p.name() : name,
            description == null ? p.description() : description,
            content == null ? p.content() : content);
    policies.put(policyId, updated);
    return updated;
  }

  void deletePolicy(String policyId) {
    Policy p = policy(policyId);
    if (p.awsManaged()) {
      throw new OrgsException("AccessDeniedException", "You can't delete an AWS managed policy.");
    }
    for (Set<String> attached : attachments.values()) {
      if (attached.contains(policyId)) {
        throw new OrgsException(
            "PolicyInUseException", "The policy is attached to one or more entities.");
      }
    }
    policies.remove(policyId);
  }

  void target(String targetId) {
    if (!parents.containsKey(targetId) && !accounts.containsKey(targetId)) {
      throw new OrgsException(
          "TargetNotFoundException",
          "We can't find a root, OU, or account with the TargetId that you specified.");
    }
  }

  void attach(String policyId, String targetId) {
    policy(policyId);
    target(targetId);
    if (!attachments.computeIfAbsent(targetId, t -> new LinkedHashSet<>()).add(policyId)) {
      throw new OrgsException(
          "DuplicatePolicyAttachmentException",
          "The selected policy is already attached to the specified target.");
    }
  }

  void detach(String policyId, String targetId) {
    policy(policyId);
    target(targetId);
    Set<String> attached = attachments.get(targetId);
    if (attached == null || !attached.remove(policyId)) {
      throw new OrgsException(
          "PolicyNotAttachedException",
          "The policy isn't attached to the target that you specified.");
    }
  }

  List<Policy> policiesFor(String targetId) {
    target(targetId);
    List<Policy> out = new ArrayList<>();
    for (String policyId : attachments.getOrDefault(targetId, Set.of())) {
      out.add(policies.get(policyId));
    }
    return out;
  }

  private static String random(int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
    }
    return out.toString();
  }
}
