package dev.roster.provisioner.reconcile;

import dev.roster.events.DifferenceKind;
import dev.roster.events.EmployeeStatus;
import dev.roster.events.EventType;
import dev.roster.events.EventValidator;
import dev.roster.events.SnapshotEmployee;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMapping.Account;
import dev.roster.provisioner.plan.Tags;
import dev.roster.provisioner.plan.UserState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pure heart of a reconciliation: an HR snapshot against the IAM users of every mapped account
 * (as GetAccountAuthorizationDetails gives them, with credentials read for the users that must be
 * cut off and carry the deny-all) to every difference, classified, and the one HR event per
 * employee that corrects them. Desired groups come from {@link RoleMapping#desiredGroups}, as for
 * events. Only users Roster owns (tagged {@code roster:managed-by=roster} with an employee id) are
 * compared; any other user counts only as {@link DifferenceKind#UNOWNED_CONFLICT} when it holds the
 * name of an employee who needs a user. No I/O.
 */
public final class Comparison {
  private Comparison() {}

  /** One account as read: its users, or why it could not be read ({@code users} then empty). */
  public record AccountView(Account account, List<UserState> users, String failure) {
    public AccountView {
      users = List.copyOf(users);
    }

    public static AccountView read(Account account, List<UserState> users) {
      return new AccountView(account, users, null);
    }

    public static AccountView failed(Account account, String failure) {
      return new AccountView(account, List.of(), failure);
    }
  }

  /** One difference in one account. */
  public record Found(
      DifferenceKind kind, Account account, String employeeId, String userName, String detail) {}

  /**
   * The HR event that corrects an employee's differences: a leave for a leaver (never older than
   * the employee's latest watermark, so it is never skipped as stale), else a role change (a hire
   * when the employee has no user anywhere) with the snapshot's roles.
   *
   * @param employee the snapshot's row; null for an employee the snapshot does not list
   * @param notBefore the latest trusted watermark on the employee's users, or null
   */
  public record Repair(
      String employeeId, EventType type, SnapshotEmployee employee, Instant notBefore) {}

  /**
   * @param deactivations employees the snapshot would cut off: not active in it, yet a user of
   *     theirs lacks the deny-all (what the mass-change guard weighs)
   * @param managedEmployees employees with at least one active (not deactivated) Roster user in the
   *     accounts read: what the guard's default limit is a share of
   * @param repairs in employee order
   */
  public record Result(
      List<Found> differences,
      List<Repair> repairs,
      int deactivations,
      int managedEmployees,
      Map<String, String> failedAccounts) {}

  /** Whom the employee list speaks for. */
  public enum Scope {
    /**
     * Every employee (an HR snapshot): a Roster user of an employee not listed is an orphan and a
     * leaver.
     */
    COMPLETE,
    /**
     * Only the employees listed (the state Roster itself last applied, which can miss employees
     * applied before it was kept): a user of an employee not listed is not judged at all, so that
     * absence from the list never cuts anyone off, nor reports them.
     */
    LISTED
  }

  /** Whether Roster owns the user: its tags say so and name an employee. */
  public static boolean owned(UserState user) {
    return Tags.MANAGED_BY_ROSTER.equals(user.tags().get(Tags.MANAGED_BY))
        && user.tags().get(Tags.EMPLOYEE_ID) != null;
  }

  /**
   * Whether the comparison needs the user's credentials: a Roster user the snapshot does not keep
   * active and that carries the deny-all (without it, it is a leaver with access anyway). Five
   * reads per such user; every other user is judged from the account-wide read alone.
   */
  public static boolean needsCredentials(Map<String, SnapshotEmployee> byId, UserState user) {
    return owned(user)
        && !active(byId.get(user.tags().get(Tags.EMPLOYEE_ID)))
        && user.inlinePolicies().contains(Tags.DENY_ALL_POLICY);
  }

  /** Employees by id, for {@link #needsCredentials}. */
  public static Map<String, SnapshotEmployee> byId(Collection<SnapshotEmployee> employees) {
    Map<String, SnapshotEmployee> byId = new HashMap<>();
    employees.forEach(e -> byId.put(e.employeeId(), e));
    return byId;
  }

  /**
   * @param now the provisioner's clock: a watermark further ahead than any event may be is not
   *     believed (as the planner does)
   */
  public static Result compare(
      RoleMapping mapping,
      List<SnapshotEmployee> employees,
      List<AccountView> accounts,
      Instant now) {
    return compare(mapping, employees, accounts, now, Scope.COMPLETE);
  }

  /**
   * @param scope whether an owned user of an employee not in {@code employees} counts (see {@link
   *     Scope})
   */
  public static Result compare(
      RoleMapping mapping,
      List<SnapshotEmployee> employees,
      List<AccountView> accounts,
      Instant now,
      Scope scope) {
    Map<String, SnapshotEmployee> byId = new TreeMap<>();
    employees.forEach(e -> byId.put(e.employeeId(), e));
    Instant trusted = now.plus(EventValidator.MAX_FUTURE_SKEW);
    List<Found> found = new ArrayList<>();
    Set<String> hasUser = new HashSet<>();
    Set<String> deactivating = new TreeSet<>();
    Set<String> managed = new HashSet<>();
    Map<String, Instant> latest = new HashMap<>();
    Map<String, String> failed = new LinkedHashMap<>();
    for (AccountView view : accounts) {
      if (view.failure() != null) {
        failed.put(view.account().name(), view.failure());
        continue;
      }
      Account account = view.account();
      Map<String, UserState> byName = new HashMap<>();
      Map<String, List<UserState>> ownedBy = new TreeMap<>();
      for (UserState u : view.users()) {
        byName.put(lc(u.userName()), u);
        if (owned(u)
            && (scope == Scope.COMPLETE || byId.containsKey(u.tags().get(Tags.EMPLOYEE_ID)))) {
          String id = u.tags().get(Tags.EMPLOYEE_ID);
          ownedBy.computeIfAbsent(id, k -> new ArrayList<>()).add(u);
          hasUser.add(id);
          if (!u.deactivated()) {
            managed.add(id);
          }
          Instant w = watermark(u);
          if (w != null && !w.isAfter(trusted)) {
            latest.merge(id, w, (a, b) -> a.isAfter(b) ? a : b);
          }
        }
      }
      Set<String> ignored = lower(mapping.ignored(account.name()));
      for (SnapshotEmployee e : byId.values()) {
        if (!active(e)) {
          continue;
        }
        List<UserState> mine = ownedBy.getOrDefault(e.employeeId(), List.of());
        Set<String> desired = mapping.desiredGroups(account.name(), e.roles());
        if (mine.isEmpty()) {
          if (desired.isEmpty()) {
            continue;
          }
          UserState other = byName.get(lc(e.username()));
          if (other != null) {
            String owner = other.tags().get(Tags.EMPLOYEE_ID);
            found.add(
                new Found(
                    DifferenceKind.UNOWNED_CONFLICT,
                    account,
                    e.employeeId(),
                    other.userName(),
                    owned(other)
                        ? "user " + other.userName() + " belongs to employee " + owner
                        : "user " + other.userName() + " exists and is not managed by Roster"));
          } else {
            found.add(
                new Found(
                    DifferenceKind.MISSING_USER, account, e.employeeId(), e.username(), null));
          }
          continue;
        }
        for (UserState u : mine) {
          activeUser(account, e, u, desired, ignored, found);
        }
      }
      for (Map.Entry<String, List<UserState>> entry : ownedBy.entrySet()) {
        SnapshotEmployee e = byId.get(entry.getKey());
        if (active(e)) {
          continue;
        }
        for (UserState u : entry.getValue()) {
          if (leaver(account, entry.getKey(), e == null, u, ignored, found)) {
            deactivating.add(entry.getKey());
          }
        }
      }
    }
    Map<String, List<Found>> byEmployee = new TreeMap<>();
    found.forEach(f -> byEmployee.computeIfAbsent(f.employeeId(), k -> new ArrayList<>()).add(f));
    List<Repair> repairs = new ArrayList<>();
    byEmployee.forEach(
        (id, differences) -> {
          if (differences.stream().allMatch(f -> f.kind() == DifferenceKind.UNOWNED_CONFLICT)) {
            return; // only ever reported
          }
          SnapshotEmployee e = byId.get(id);
          EventType type =
              !active(e)
                  ? EventType.LEAVE
                  : hasUser.contains(id) ? EventType.ROLE_CHANGE : EventType.HIRE;
          repairs.add(new Repair(id, type, e, latest.get(id)));
        });
    return new Result(found, repairs, deactivating.size(), managed.size(), failed);
  }

  private static void activeUser(
      Account account,
      SnapshotEmployee e,
      UserState u,
      Set<String> desired,
      Set<String> ignored,
      List<Found> found) {
    String id = e.employeeId();
    Set<String> have = lower(u.groups());
    for (String g : desired) {
      if (!have.contains(lc(g))) {
        found.add(
            new Found(
                DifferenceKind.MISSING_GROUP,
                account,
                id,
                u.userName(),
                u.deactivated() ? g + " (user deactivated: only a hire gives access back)" : g));
      }
    }
    Set<String> keep = lower(desired);
    keep.addAll(ignored);
    extraAndDirect(account, id, u, keep, found);
    tag(account, id, u, Tags.DEPARTMENT, e.department(), found);
    tag(account, id, u, Tags.TITLE, e.title(), found);
  }

  /** The differences of a user that must be cut off; true when it lacks the deny-all. */
  private static boolean leaver(
      Account account,
      String id,
      boolean absent,
      UserState u,
      Set<String> ignored,
      List<Found> found) {
    boolean open = !u.inlinePolicies().contains(Tags.DENY_ALL_POLICY);
    if (absent && !u.deactivated()) {
      found.add(
          new Found(
              DifferenceKind.ORPHAN,
              account,
              id,
              u.userName(),
              "employee " + id + " is not in the snapshot"));
    }
    List<String> ways = new ArrayList<>();
    if (open) {
      ways.add("no " + Tags.DENY_ALL_POLICY);
    }
    if (u.loginProfile()) {
      ways.add("console password");
    }
    new TreeSet<>(u.activeAccessKeys()).forEach(k -> ways.add("active access key " + k));
    new TreeSet<>(u.activeSshKeys()).forEach(k -> ways.add("active SSH key " + k));
    new TreeSet<>(u.activeServiceCredentials())
        .forEach(k -> ways.add("active service credential " + k));
    new TreeSet<>(u.activeSigningCertificates())
        .forEach(k -> ways.add("active signing certificate " + k));
    if (!ways.isEmpty()) {
      found.add(
          new Found(
              DifferenceKind.LEAVER_WITH_ACCESS,
              account,
              id,
              u.userName(),
              (absent ? "absent from the snapshot: " : "terminated: ") + String.join(", ", ways)));
    }
    extraAndDirect(account, id, u, ignored, found);
    return open;
  }

  private static void extraAndDirect(
      Account account, String id, UserState u, Set<String> keep, List<Found> found) {
    new TreeSet<>(u.groups())
        .stream()
            .filter(g -> !keep.contains(lc(g)))
            .forEach(
                g ->
                    found.add(new Found(DifferenceKind.EXTRA_GROUP, account, id, u.userName(), g)));
    new TreeSet<>(u.attachedPolicies())
        .forEach(
            p -> found.add(new Found(DifferenceKind.DIRECT_POLICY, account, id, u.userName(), p)));
    new TreeSet<>(u.inlinePolicies())
        .stream()
            .filter(p -> !p.equals(Tags.DENY_ALL_POLICY))
            .forEach(
                p ->
                    found.add(
                        new Found(DifferenceKind.DIRECT_POLICY, account, id, u.userName(), p)));
  }

  /**
   * A tag HR gives a value for that the user does not carry (HR's value as the planner tags it).
   */
  private static void tag(
      Account account, String id, UserState u, String key, String hr, List<Found> found) {
    if (hr == null || hr.isBlank()) {
      return; // the planner never removes a tag HR leaves out
    }
    String wanted = Tags.value(hr);
    String have = u.tags().get(key);
    if (!wanted.equals(have)) {
      found.add(
          new Found(
              DifferenceKind.TAG_MISMATCH,
              account,
              id,
              u.userName(),
              key + ": " + (have == null ? "(none)" : have) + ", HR: " + wanted));
    }
  }

  static boolean active(SnapshotEmployee e) {
    return e != null && e.status() == EmployeeStatus.ACTIVE;
  }

  private static Instant watermark(UserState u) {
    String value = u.tags().get(Tags.LAST_EVENT_AT);
    try {
      return value == null ? null : Instant.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Set<String> lower(Collection<String> values) {
    Set<String> out = new HashSet<>();
    values.forEach(v -> out.add(lc(v)));
    return out;
  }

  private static String lc(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
