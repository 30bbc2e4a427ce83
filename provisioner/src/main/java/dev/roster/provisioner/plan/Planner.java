package dev.roster.provisioner.plan;

import static dev.roster.provisioner.plan.IamAction.ADD_USER_TO_GROUP;
import static dev.roster.provisioner.plan.IamAction.DEACTIVATE_MFA_DEVICE;
import static dev.roster.provisioner.plan.IamAction.DELETE_LOGIN_PROFILE;
import static dev.roster.provisioner.plan.IamAction.DELETE_USER_POLICY;
import static dev.roster.provisioner.plan.IamAction.DETACH_USER_POLICY;
import static dev.roster.provisioner.plan.IamAction.PUT_USER_POLICY;
import static dev.roster.provisioner.plan.IamAction.REMOVE_USER_FROM_GROUP;
import static dev.roster.provisioner.plan.IamAction.UPDATE_ACCESS_KEY;
import static dev.roster.provisioner.plan.IamAction.UPDATE_SERVICE_SPECIFIC_CREDENTIAL;
import static dev.roster.provisioner.plan.IamAction.UPDATE_SIGNING_CERTIFICATE;
import static dev.roster.provisioner.plan.IamAction.UPDATE_SSH_PUBLIC_KEY;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The pure heart of the provisioner: from the desired and the current state of one user in one
 * account to the exact, ordered IAM mutations that make IAM so. No I/O; planning a converged user
 * yields no operations, which is what makes redelivery harmless.
 */
public final class Planner {
  private Planner() {}

  /**
   * Whether the desired state ends with the user deactivated, given what IAM holds: a role change
   * never lifts a leaver's deactivation. The caller reads credentials only then.
   */
  public static boolean deactivates(Desired desired, UserState current) {
    return !desired.active() || (current != null && !desired.reactivate() && current.deactivated());
  }

  /** As {@link #plan(Desired, UserState, Set, Instant)} with no bound on the watermark. */
  public static Plan plan(Desired desired, UserState current, Set<String> ignored) {
    return plan(desired, current, ignored, Instant.MAX);
  }

  /**
   * Whether the employee's users, across accounts, say the last thing that happened was a leave: no
   * user carrying the latest watermark is active. A leave that failed in one account leaves that
   * user active with an older watermark (still a leaver); a rehire re-tags every user it touches
   * (not a leaver, even if a user it did not need stays deactivated).
   */
  public static boolean leaver(Collection<UserState> users) {
    Instant latest =
        users.stream().map(u -> orMin(watermark(u))).max(Instant::compareTo).orElse(null);
    return latest != null
        && users.stream().anyMatch(UserState::deactivated)
        && users.stream()
            .filter(u -> orMin(watermark(u)).equals(latest))
            .allMatch(UserState::deactivated);
  }

  private static Instant orMin(Instant instant) {
    return instant == null ? Instant.MIN : instant;
  }

  /**
   * @param current the user as IAM holds it, or null when there is no user of that name
   * @param ignored groups never added or removed in this account
   * @param latestTrusted a watermark tag after this instant is not believed (no event may be dated
   *     that far ahead, so the tag was forged or hand-edited): it never makes an event stale
   */
  public static Plan plan(
      Desired desired, UserState current, Set<String> ignored, Instant latestTrusted) {
    if (current != null) {
      String rejection = rejection(desired, current);
      if (rejection != null) {
        return Plan.rejected(rejection);
      }
      String stale = staleness(desired, current, latestTrusted);
      if (stale != null) {
        return Plan.stale(stale);
      }
    }
    if (deactivates(desired, current)) {
      return Plan.apply(current == null ? List.of() : deactivate(desired, current, ignored));
    }
    return Plan.apply(activate(desired, current, ignored));
  }

  private static String rejection(Desired desired, UserState current) {
    if (!Tags.MANAGED_BY_ROSTER.equals(current.tags().get(Tags.MANAGED_BY))) {
      return "user " + current.userName() + " exists and is not managed by Roster";
    }
    String owner = current.tags().get(Tags.EMPLOYEE_ID);
    if (!desired.employeeId().equals(owner)) {
      return "user " + current.userName() + " belongs to employee " + owner;
    }
    return null;
  }

  /**
   * Why the event is older than the user's last one, or null. Equal timestamps: a hire does not
   * lift a deactivation of the same instant (the leave wins the tie), everything else applies.
   */
  private static String staleness(Desired desired, UserState current, Instant latestTrusted) {
    Instant last = watermark(current);
    if (last == null || last.isAfter(latestTrusted)) {
      return null;
    }
    boolean older = desired.watermark().isBefore(last);
    boolean tieLost =
        desired.watermark().equals(last) && desired.reactivate() && current.deactivated();
    if (!older && !tieLost) {
      return null;
    }
    String later = current.tags().get(Tags.LAST_EVENT_ID);
    return "later event "
        + (later == null ? "(id unknown)" : later)
        + " (occurred at "
        + last
        + ") already applied; this one occurred at "
        + desired.watermark();
  }

  /**
   * The cut-off alone: the deny-all on a user whose full state could not be read. Ownership and
   * staleness are checked as for any plan; nothing else is planned, so the watermark stays and a
   * later delivery of the event plans the rest.
   */
  public static Plan cutOff(Desired desired, UserState current, Instant latestTrusted) {
    String rejection = rejection(desired, current);
    if (rejection != null) {
      return Plan.rejected(rejection);
    }
    String stale = staleness(desired, current, latestTrusted);
    if (stale != null) {
      return Plan.stale(stale);
    }
    return Plan.apply(
        current.inlinePolicies().contains(Tags.DENY_ALL_POLICY)
            ? List.of()
            : List.of(Operation.of(PUT_USER_POLICY, current.userName(), Tags.DENY_ALL_POLICY)));
  }

  private static Instant watermark(UserState current) {
    String value = current.tags().get(Tags.LAST_EVENT_AT);
    try {
      return value == null ? null : Instant.parse(value);
    } catch (DateTimeParseException e) {
      return null; // A hand-edited tag must not block the employee forever.
    }
  }

  private static List<Operation> activate(Desired d, UserState current, Set<String> ignored) {
    String user = current == null ? d.userName() : current.userName();
    List<Operation> ops = new ArrayList<>();
    if (current == null) {
      ops.add(Operation.createUser(user, d.tags()));
    }
    Set<String> have = current == null ? Set.of() : lower(current.groups());
    sorted(d.groups()).stream()
        .filter(g -> !have.contains(lc(g)))
        .forEach(g -> ops.add(Operation.of(ADD_USER_TO_GROUP, user, g)));
    if (current == null) {
      return ops;
    }
    Set<String> keep = lower(d.groups());
    keep.addAll(lower(ignored));
    sorted(current.groups()).stream()
        .filter(g -> !keep.contains(lc(g)))
        .forEach(g -> ops.add(Operation.of(REMOVE_USER_FROM_GROUP, user, g)));
    // Access comes through groups only: a policy put on the user by hand is removed (the deny-all
    // of a leaver is lifted last, below, and only by a hire).
    each(ops, DETACH_USER_POLICY, user, current.attachedPolicies());
    each(
        ops,
        DELETE_USER_POLICY,
        user,
        current.inlinePolicies().stream().filter(p -> !p.equals(Tags.DENY_ALL_POLICY)).toList());
    Map<String, String> changed = changedTags(d.tags(), current.tags());
    if (!changed.isEmpty()) {
      ops.add(Operation.tagUser(user, changed));
    }
    if (current.tags().containsKey(Tags.DEACTIVATED_AT)) {
      ops.add(Operation.untagUser(user, List.of(Tags.DEACTIVATED_AT)));
    }
    // Last: access comes back only once the memberships are right.
    if (current.inlinePolicies().contains(Tags.DENY_ALL_POLICY)) {
      ops.add(Operation.of(DELETE_USER_POLICY, user, Tags.DENY_ALL_POLICY));
    }
    return ops;
  }

  private static List<Operation> deactivate(Desired d, UserState current, Set<String> ignored) {
    if (!current.credentialsRead()) {
      throw new IllegalArgumentException(
          "deactivating needs the full state of " + current.userName());
    }
    String user = current.userName();
    List<Operation> ops = new ArrayList<>();
    // First: the deny-all stops every way in at once (session credentials included), so a
    // failure later in the list still leaves the leaver locked out.
    if (!current.inlinePolicies().contains(Tags.DENY_ALL_POLICY)) {
      ops.add(Operation.of(PUT_USER_POLICY, user, Tags.DENY_ALL_POLICY));
    }
    if (current.loginProfile()) {
      ops.add(Operation.of(DELETE_LOGIN_PROFILE, user, user));
    }
    each(ops, UPDATE_ACCESS_KEY, user, current.activeAccessKeys());
    each(ops, UPDATE_SSH_PUBLIC_KEY, user, current.activeSshKeys());
    each(ops, UPDATE_SERVICE_SPECIFIC_CREDENTIAL, user, current.activeServiceCredentials());
    each(ops, UPDATE_SIGNING_CERTIFICATE, user, current.activeSigningCertificates());
    each(ops, DEACTIVATE_MFA_DEVICE, user, current.mfaDevices());
    Set<String> keep = lower(ignored);
    each(
        ops,
        REMOVE_USER_FROM_GROUP,
        user,
        current.groups().stream().filter(g -> !keep.contains(lc(g))).toList());
    each(ops, DETACH_USER_POLICY, user, current.attachedPolicies());
    each(
        ops,
        DELETE_USER_POLICY,
        user,
        current.inlinePolicies().stream().filter(p -> !p.equals(Tags.DENY_ALL_POLICY)).toList());
    Map<String, String> wanted = new TreeMap<>(d.tags());
    wanted.put(Tags.STATUS, Tags.STATUS_DEACTIVATED);
    if (current.tags().containsKey(Tags.DEACTIVATED_AT)) {
      wanted.remove(Tags.DEACTIVATED_AT); // keep when it first happened
    } else {
      wanted.putIfAbsent(Tags.DEACTIVATED_AT, d.watermark().toString());
    }
    Map<String, String> changed = changedTags(wanted, current.tags());
    if (!changed.isEmpty()) {
      ops.add(Operation.tagUser(user, changed));
    }
    return ops;
  }

  private static void each(
      List<Operation> ops, IamAction action, String user, Collection<String> ids) {
    sorted(ids).forEach(id -> ops.add(Operation.of(action, user, id)));
  }

  private static Map<String, String> changedTags(
      Map<String, String> wanted, Map<String, String> have) {
    return wanted.entrySet().stream()
        .filter(e -> !e.getValue().equals(have.get(e.getKey())))
        .collect(
            Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
  }

  private static List<String> sorted(Collection<String> values) {
    return values.stream().sorted().toList();
  }

  private static Set<String> lower(Collection<String> values) {
    return values.stream()
        .map(Planner::lc)
        .collect(Collectors.toCollection(java.util.HashSet::new));
  }

  private static String lc(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
