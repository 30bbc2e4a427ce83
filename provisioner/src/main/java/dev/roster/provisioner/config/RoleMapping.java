package dev.roster.provisioner.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The validated role mapping: which IAM groups an employee must hold in which account. Built only
 * by {@link RoleMappingLoader}, so every account name in it is known and every group name valid.
 *
 * @param accounts accounts by name, in file order (the order events are applied in)
 * @param birthright groups every active employee gets, by account name
 * @param roles groups of each HR role, by role then account name
 * @param ignoredGroups memberships Roster never adds or removes, by account name
 * @param privileged groups that may be granted although membership allows IAM escalation, by
 *     account name then group name, with the reason the mapping gives
 * @param organization the organization's management account and expected layout, when the mapping
 *     names them (the review then reads AWS Organizations)
 */
public record RoleMapping(
    Map<String, Account> accounts,
    Map<String, Set<String>> birthright,
    Map<String, Map<String, Set<String>>> roles,
    Map<String, Set<String>> ignoredGroups,
    Map<String, Map<String, String>> privileged,
    Optional<Organization> organization) {

  /** One AWS account: its name in the mapping, its 12-digit id and the role to assume, if any. */
  public record Account(String name, String id, Optional<String> assumeRole) {}

  /**
   * {@code organization: {management: <account name>, ous: {Production: {accounts: [prod], scps:
   * [deny-iam-user-creation]}}}}: the account whose credentials read AWS Organizations, and per OU
   * name the mapped accounts directly in it and the SCPs attached to it, by name.
   */
  public record Organization(String management, Map<String, Ou> ous) {
    public Organization {
      ous = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ous));
    }
  }

  /** One OU of the expected layout: account names of the mapping, SCP names. */
  public record Ou(List<String> accounts, List<String> scps) {
    public Ou {
      accounts = List.copyOf(accounts);
      scps = List.copyOf(scps);
    }
  }

  public RoleMapping {
    accounts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(accounts));
    birthright = Map.copyOf(birthright);
    roles = Map.copyOf(roles);
    ignoredGroups = Map.copyOf(ignoredGroups);
    privileged = Map.copyOf(privileged);
    java.util.Objects.requireNonNull(organization, "organization");
  }

  /** A mapping without an organization. */
  public RoleMapping(
      Map<String, Account> accounts,
      Map<String, Set<String>> birthright,
      Map<String, Map<String, Set<String>>> roles,
      Map<String, Set<String>> ignoredGroups,
      Map<String, Map<String, String>> privileged) {
    this(accounts, birthright, roles, ignoredGroups, privileged, Optional.empty());
  }

  /** The expected layout with account names resolved to their 12-digit ids (none: empty). */
  public dev.roster.policy.review.ExpectedLayout expectedLayout() {
    if (organization.isEmpty()) {
      return dev.roster.policy.review.ExpectedLayout.none();
    }
    Map<String, dev.roster.policy.review.ExpectedLayout.Ou> ous = new LinkedHashMap<>();
    organization
        .get()
        .ous()
        .forEach(
            (name, ou) ->
                ous.put(
                    name,
                    new dev.roster.policy.review.ExpectedLayout.Ou(
                        ou.accounts().stream()
                            .map(a -> accounts.get(a).id())
                            .collect(java.util.stream.Collectors.toSet()),
                        ou.scps())));
    return new dev.roster.policy.review.ExpectedLayout(ous);
  }

  /** Why the mapping allows granting an escalating group, if it marks it privileged. */
  public Optional<String> privilegedReason(String account, String group) {
    return privileged.getOrDefault(account, Map.of()).entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(group))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /**
   * Why the provisioner's own credentials do not fit the mapping, or empty: every account without
   * {@code assumeRole} is reached with them, so each must be the account they belong to ({@code
   * callerAccount}, from STS GetCallerIdentity); else its changes would land in another account.
   */
  public Optional<String> homeAccountMismatch(String callerAccount) {
    List<String> wrong =
        accounts.values().stream()
            .filter(a -> a.assumeRole().isEmpty() && !a.id().equals(callerAccount))
            .map(a -> "account " + a.name() + " is mapped as " + a.id())
            .toList();
    if (wrong.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        String.join("; ", wrong)
            + " and is reached without assumeRole, but the provisioner's own credentials belong to"
            + " account "
            + callerAccount
            + ": its changes would land in the wrong account");
  }

  /** Roles of an event that the mapping does not know. */
  public List<String> unknownRoles(List<String> hrRoles) {
    return hrRoles.stream().filter(r -> !roles.containsKey(r)).distinct().toList();
  }

  /**
   * An active employee's groups in one account: birthright plus the groups of each role. Sorted, so
   * that plans (and their order of operations) are deterministic.
   */
  public Set<String> desiredGroups(String account, List<String> hrRoles) {
    Set<String> groups = new TreeSet<>(birthright.getOrDefault(account, Set.of()));
    for (String role : hrRoles) {
      groups.addAll(roles.getOrDefault(role, Map.of()).getOrDefault(account, Set.of()));
    }
    return groups;
  }

  /** Memberships that are never touched in an account (compared case-insensitively, like IAM). */
  public Set<String> ignored(String account) {
    return ignoredGroups.getOrDefault(account, Set.of());
  }

  /** Every group the mapping may grant in an account. */
  public Set<String> managedGroups(String account) {
    Set<String> groups = new LinkedHashSet<>(birthright.getOrDefault(account, Set.of()));
    roles.values().forEach(r -> groups.addAll(r.getOrDefault(account, Set.of())));
    return groups;
  }
}
