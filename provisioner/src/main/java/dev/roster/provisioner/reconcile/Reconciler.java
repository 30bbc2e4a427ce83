package dev.roster.provisioner.reconcile;

import dev.roster.events.AccountOutcome;
import dev.roster.events.AccountState;
import dev.roster.events.DifferenceKind;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.Reconciliation;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.SnapshotEmployee;
import dev.roster.events.SnapshotMode;
import dev.roster.provisioner.ChangeRecords;
import dev.roster.provisioner.Provisioner;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMapping.Account;
import dev.roster.provisioner.iam.Fork;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.plan.UserState;
import dev.roster.provisioner.reconcile.Comparison.AccountView;
import dev.roster.provisioner.reconcile.Comparison.Found;
import dev.roster.provisioner.reconcile.Comparison.Repair;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs one reconciliation of an HR snapshot: reads every mapped account (in parallel, each on its
 * own: one that cannot be read fails the run, not the others), compares ({@link Comparison}),
 * weighs the mass-change guard, corrects the differences in {@code apply} mode through the same
 * path as HR events (one synthesized event per employee), and publishes the status, the differences
 * and the final status. Running it again for the same snapshot is harmless: the comparison finds
 * what is left, and the synthesized events are idempotent.
 */
public final class Reconciler {
  /** The reason of every drift correction's event and IAM changes. */
  public static final String REASON_DRIFT = "drift";

  /** Below this many, the guard's default limit is this many. */
  public static final int MIN_GUARD = 25;

  /** Applies one synthesized event through the provisioner and publishes its records. */
  @FunctionalInterface
  public interface Repairs {
    Provisioner.Result apply(HrEvent event);
  }

  private final RoleMapping mapping;
  private final IamGateway iam;
  private final Repairs repairs;
  private final ReconciliationSink sink;
  private final Clock clock;
  private final Executor accounts;
  private final OptionalInt maxDeactivations;

  /**
   * @param maxDeactivations the guard's limit; empty: 10 % of the managed employees, at least
   *     {@link #MIN_GUARD}
   */
  public Reconciler(
      RoleMapping mapping,
      IamGateway iam,
      Repairs repairs,
      ReconciliationSink sink,
      Clock clock,
      Executor accounts,
      OptionalInt maxDeactivations) {
    this.mapping = mapping;
    this.iam = iam;
    this.repairs = repairs;
    this.sink = sink;
    this.clock = clock;
    this.accounts = accounts;
    this.maxDeactivations = maxDeactivations;
  }

  /** The guard's limit for this many managed employees. */
  public int limit(int managedEmployees) {
    return maxDeactivations.orElse(Math.max(MIN_GUARD, managedEmployees / 10));
  }

  /**
   * @param approved an approval arrived for this snapshot: the guard does not hold it
   */
  public ReconciliationStatus run(Snapshot snapshot, boolean approved) {
    String id = snapshot.snapshotId();
    OffsetDateTime started = now();
    List<String> accountIds = mapping.accounts().values().stream().map(Account::id).toList();
    sink.status(
        running(
            id, Reconciliation.SOURCE_SNAPSHOT, snapshot.mode(), snapshot.employees(), started));
    List<AccountView> views = readAll(snapshot.employees());
    Comparison.Result result =
        Comparison.compare(mapping, snapshot.employees(), views, clock.instant());
    int limit = limit(result.managedEmployees());
    Map<Found, Provisioner.Result> applied = new HashMap<>();
    Map<Found, String> eventIds = new HashMap<>();
    String reason = failedReason(result);
    if (snapshot.mode() == SnapshotMode.APPLY && !approved && result.deactivations() > limit) {
      String held =
          "would deactivate "
              + result.deactivations()
              + " employees, more than roster.guard.max-deactivations ("
              + limit
              + (maxDeactivations.isPresent()
                  ? ")"
                  : ": 10 % of "
                      + result.managedEmployees()
                      + " managed employees, at least "
                      + MIN_GUARD
                      + ")")
              + "; nothing changed: approve to apply";
      Log.warnf("reconciliation %s held: %s", id, held);
      sink.differences(differences(id, result.differences(), null, Map.of()), "held");
      sink.status(last(snapshot, started, accountIds, result, ReconciliationStatus.HELD, held));
      return ReconciliationStatus.HELD;
    }
    if (snapshot.mode() == SnapshotMode.APPLY) {
      for (Repair repair : result.repairs()) {
        correct(event(snapshot, repair), repairs, result, applied, eventIds);
      }
    }
    List<Reconciliation.Difference> differences =
        differences(
            id,
            result.differences(),
            snapshot.mode() == SnapshotMode.APPLY ? applied : null,
            eventIds);
    sink.differences(differences, "");
    ReconciliationStatus status =
        reason == null ? ReconciliationStatus.COMPLETED : ReconciliationStatus.FAILED;
    Log.infof(
        "reconciliation %s (%s, %d employees) %s: %d differences %s%s",
        id,
        snapshot.mode().wireName(),
        snapshot.employees().size(),
        status.wireName(),
        result.differences().size(),
        counts(result.differences()),
        reason == null ? "" : "; " + reason);
    sink.status(last(snapshot, started, accountIds, result, status, reason));
    return status;
  }

  /**
   * One drift check: the HR state Roster last applied ({@code employees}, taken before IAM is read)
   * against IAM in every mapped account. Only the employees listed are judged ({@link
   * Comparison.Scope#LISTED}). Every difference is corrected in {@code repair} mode, only leavers'
   * in {@code report} mode (a leaver never keeps access), each through {@code corrections} with a
   * synthesized event {@code drift:<runId>:<employeeId>} (reason {@code drift}) dated at the
   * employee's state ({@code watermarks}; a leave never before IAM's watermark), so that an HR
   * event applied meanwhile makes the correction stale instead of being undone. Published on {@code
   * reconciliations} with source {@code drift}. The mass-change guard does not apply: the state is
   * what Roster itself applied, not a new word from HR.
   *
   * @param corrections applies one correction; null when it was not applied (the employee's state
   *     changed meanwhile, or its partition was handed over)
   */
  public ReconciliationStatus drift(
      String runId,
      List<SnapshotEmployee> employees,
      Map<String, Instant> watermarks,
      boolean repairAll,
      Repairs corrections) {
    OffsetDateTime started = now();
    SnapshotMode mode = repairAll ? SnapshotMode.APPLY : SnapshotMode.REPORT;
    List<String> accountIds = mapping.accounts().values().stream().map(Account::id).toList();
    sink.status(running(runId, Reconciliation.SOURCE_DRIFT, mode, employees, started));
    List<AccountView> views = readAll(employees);
    Comparison.Result result =
        Comparison.compare(mapping, employees, views, clock.instant(), Comparison.Scope.LISTED);
    Map<Found, Provisioner.Result> applied = new HashMap<>();
    Map<Found, String> eventIds = new HashMap<>();
    for (Repair repair : result.repairs()) {
      if (!repairAll && repair.type() != EventType.LEAVE) {
        continue;
      }
      correct(
          driftEvent(runId, repair, watermarks.get(repair.employeeId())),
          corrections,
          result,
          applied,
          eventIds);
    }
    sink.differences(differences(runId, result.differences(), applied, eventIds), "");
    String reason = failedReason(result);
    ReconciliationStatus status =
        reason == null ? ReconciliationStatus.COMPLETED : ReconciliationStatus.FAILED;
    if (!result.differences().isEmpty() || reason != null) {
      Log.infof(
          "drift check %s (%s, %d employees) %s: %d differences %s%s",
          runId,
          repairAll ? "repair" : "report",
          employees.size(),
          status.wireName(),
          result.differences().size(),
          counts(result.differences()),
          reason == null ? "" : "; " + reason);
    }
    sink.status(
        last(
            runId,
            Reconciliation.SOURCE_DRIFT,
            mode,
            employees.size(),
            started,
            accountIds,
            result,
            status,
            reason));
    return status;
  }

  /**
   * The correction of one employee's drift, dated at the state Roster applied (a leave not before
   * the latest watermark IAM shows, so a leaver's correction is never stale).
   */
  static HrEvent driftEvent(String runId, Repair repair, Instant stateAt) {
    Instant at = stateAt == null ? Instant.EPOCH : stateAt;
    if (repair.type() == EventType.LEAVE
        && repair.notBefore() != null
        && repair.notBefore().isAfter(at)) {
      at = repair.notBefore();
    }
    OffsetDateTime when = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    return new HrEvent(
        "drift:" + runId + ":" + repair.employeeId(),
        repair.type(),
        repair.employeeId(),
        when,
        when,
        repair.type() == EventType.LEAVE ? null : repair.employee().employee(),
        REASON_DRIFT);
  }

  /** The first status record of a run. */
  private Reconciliation running(
      String id,
      String source,
      SnapshotMode mode,
      List<SnapshotEmployee> employees,
      OffsetDateTime started) {
    return new Reconciliation(
        id,
        source,
        mode,
        ReconciliationStatus.RUNNING,
        started,
        null,
        employees.size(),
        mapping.accounts().values().stream().map(Account::id).toList(),
        null,
        null,
        null,
        null);
  }

  /**
   * Applies one employee's correction and notes, for each of the employee's differences (an unowned
   * conflict is never corrected), its result and event id.
   */
  private static void correct(
      HrEvent event,
      Repairs repairs,
      Comparison.Result result,
      Map<Found, Provisioner.Result> applied,
      Map<Found, String> eventIds) {
    Provisioner.Result r = repairs.apply(event);
    for (Found f : result.differences()) {
      if (f.employeeId().equals(event.employeeId())
          && f.kind() != DifferenceKind.UNOWNED_CONFLICT) {
        applied.put(f, r);
        eventIds.put(f, event.eventId());
      }
    }
  }

  private List<AccountView> readAll(List<SnapshotEmployee> employees) {
    Map<String, SnapshotEmployee> byId = Comparison.byId(employees);
    List<Supplier<AccountView>> reading = new ArrayList<>();
    for (Account a : mapping.accounts().values()) {
      reading.add(Fork.start(() -> read(a, byId), accounts));
    }
    return reading.stream().map(Supplier::get).toList();
  }

  private AccountView read(Account account, Map<String, SnapshotEmployee> byId) {
    try {
      List<UserState> users = new ArrayList<>();
      for (UserState u : iam.accountUsers(account.name())) {
        if (Comparison.needsCredentials(byId, u)) {
          Optional<UserState> full = iam.readUser(account.name(), u.userName(), true);
          full.ifPresent(f -> users.add(u.withCredentials(f)));
        } else {
          users.add(u);
        }
      }
      return AccountView.read(account, users);
    } catch (RuntimeException e) {
      Log.warnf("reconciliation: account %s could not be read: %s", account.name(), e.getMessage());
      return AccountView.failed(account, ChangeRecords.truncate(String.valueOf(e.getMessage())));
    }
  }

  /**
   * The event that corrects one employee: reason {@code reconcile:<snapshotId>}, event id {@code
   * reconcile:<snapshotId>:<employeeId>}, occurred when HR sent the snapshot; a leave never before
   * the employee's latest watermark (an equal one applies), so a leaver's cut-off is never skipped.
   */
  static HrEvent event(Snapshot snapshot, Repair repair) {
    OffsetDateTime at = snapshot.receivedAt().withOffsetSameInstant(ZoneOffset.UTC);
    if (repair.type() == EventType.LEAVE
        && repair.notBefore() != null
        && repair.notBefore().isAfter(at.toInstant())) {
      at = OffsetDateTime.ofInstant(repair.notBefore(), ZoneOffset.UTC);
    }
    return new HrEvent(
        "reconcile:" + snapshot.snapshotId() + ":" + repair.employeeId(),
        repair.type(),
        repair.employeeId(),
        at,
        at,
        repair.type() == EventType.LEAVE ? null : repair.employee().employee(),
        "reconcile:" + snapshot.snapshotId());
  }

  private static String failedReason(Comparison.Result result) {
    if (result.failedAccounts().isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    result.failedAccounts().forEach((name, why) -> parts.add("account " + name + ": " + why));
    return ChangeRecords.truncate("not read: " + String.join("; ", parts));
  }

  /**
   * @param applied null in report mode (no {@code repaired}); else the result of the event that
   *     corrected each difference (none: not corrected)
   */
  private static List<Reconciliation.Difference> differences(
      String id,
      List<Found> found,
      Map<Found, Provisioner.Result> applied,
      Map<Found, String> eventIds) {
    return found.stream()
        .map(
            f ->
                new Reconciliation.Difference(
                    id,
                    f.kind(),
                    f.account().id(),
                    f.employeeId(),
                    f.userName(),
                    f.detail(),
                    applied == null ? null : repaired(f, applied.get(f)),
                    eventIds.get(f)))
        .toList();
  }

  /** Corrected when the event completed in the difference's account. */
  private static Boolean repaired(Found f, Provisioner.Result r) {
    if (r == null) {
      return false;
    }
    return r.outcome().accounts().stream()
        .filter(a -> a.account().equals(f.account().id()))
        .map(AccountOutcome::state)
        .anyMatch(s -> s == AccountState.COMPLETED);
  }

  private Reconciliation last(
      Snapshot snapshot,
      OffsetDateTime started,
      List<String> accountIds,
      Comparison.Result result,
      ReconciliationStatus status,
      String reason) {
    return last(
        snapshot.snapshotId(),
        Reconciliation.SOURCE_SNAPSHOT,
        snapshot.mode(),
        snapshot.employees().size(),
        started,
        accountIds,
        result,
        status,
        reason);
  }

  private Reconciliation last(
      String id,
      String source,
      SnapshotMode mode,
      int employees,
      OffsetDateTime started,
      List<String> accountIds,
      Comparison.Result result,
      ReconciliationStatus status,
      String reason) {
    Map<String, Map<String, Integer>> byAccount = new LinkedHashMap<>();
    for (Account a : mapping.accounts().values()) {
      if (!result.failedAccounts().containsKey(a.name())) {
        byAccount.put(
            a.id(),
            counts(result.differences().stream().filter(f -> f.account().equals(a)).toList()));
      }
    }
    return new Reconciliation(
        id,
        source,
        mode,
        status,
        started,
        now(),
        employees,
        accountIds,
        counts(result.differences()),
        byAccount,
        result.deactivations(),
        reason);
  }

  private static Map<String, Integer> counts(List<Found> found) {
    Map<String, Integer> counts = new TreeMap<>();
    found.forEach(f -> counts.merge(f.kind().wireName(), 1, Integer::sum));
    return counts;
  }

  private OffsetDateTime now() {
    Instant now = clock.instant();
    return OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
  }
}
