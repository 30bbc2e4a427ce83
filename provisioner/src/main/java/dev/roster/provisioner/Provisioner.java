package dev.roster.provisioner;

import dev.roster.events.ChangeStatus;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMapping.Account;
import dev.roster.provisioner.iam.IamFailure;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.iam.IamGateway.AppliedChange;
import dev.roster.provisioner.iam.UserIndex;
import dev.roster.provisioner.journal.Intent;
import dev.roster.provisioner.journal.Journal;
import dev.roster.provisioner.journal.JournaledOp;
import dev.roster.provisioner.journal.Recovery;
import dev.roster.provisioner.plan.Desired;
import dev.roster.provisioner.plan.DesiredStateResolver;
import dev.roster.provisioner.plan.IamAction;
import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.Plan;
import dev.roster.provisioner.plan.Planner;
import dev.roster.provisioner.plan.UserState;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Applies one HR event to every account of the mapping: read, plan, check, then apply. Nothing is
 * mutated until every account has been planned and checked, so an event refused for one account (a
 * stranger's user, a missing group) leaves all of them untouched.
 *
 * <p>Write-ahead journal: the mutations are recorded in the {@link Journal} before the first one is
 * applied. When an earlier attempt of the event died after applying some of them but before
 * publishing their records, the new plan no longer contains them; those whose effect IAM shows are
 * then published as applied under their journaled change ids, so every mutation is recorded.
 */
public final class Provisioner {
  private final RoleMapping mapping;
  private final IamGateway iam;
  private final UserIndex index;
  private final Journal journal;
  private final Clock clock;

  /** Groups seen to exist, per account: a group is checked once, not on every event. */
  private final Map<String, Set<String>> knownGroups = new ConcurrentHashMap<>();

  public Provisioner(
      RoleMapping mapping, IamGateway iam, UserIndex index, Journal journal, Clock clock) {
    this.mapping = mapping;
    this.iam = iam;
    this.index = index;
    this.journal = journal;
    this.clock = clock;
  }

  /**
   * What became of an event: the change records, the outcome and, if failed, why.
   *
   * @param journaled the journal holds an intent of this event, to be marked done once the records
   *     are acknowledged
   */
  public record Result(
      List<IamChange> changes,
      ProvisioningOutcome outcome,
      DlqReason dlqReason,
      String detail,
      boolean journaled) {
    public boolean failed() {
      return dlqReason != null;
    }
  }

  private record AccountPlan(Account account, String userName, UserState current, Plan plan) {}

  /** Thrown inside {@link #process} to end an event as failed. */
  private static final class Refusal extends RuntimeException {
    final DlqReason reason;

    Refusal(DlqReason reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  /**
   * Thrown when this process lost the event's partition while applying it: another consumer now
   * owns the employee, so no further mutation may be made here. Nothing is published; the journal
   * intent stays open and the new owner's delivery of the event records what was applied.
   */
  public static final class Fenced extends RuntimeException {
    Fenced(String eventId) {
      super(
          "partition of event " + eventId + " was revoked while it was applied",
          null,
          false,
          false);
    }
  }

  public Result process(HrEvent event) {
    return process(event, () -> true);
  }

  /**
   * Applies {@code event}; {@code owned} is asked before each mutation whether this process still
   * owns the event's partition (see {@code PartitionFence}), and {@link Fenced} is thrown if not.
   */
  public Result process(HrEvent event, BooleanSupplier owned) {
    OffsetDateTime started = now();
    List<IamChange> changes = new ArrayList<>();
    // Outside the try: a journal that cannot be read is Kafka failing, not the event.
    Optional<Intent> earlier = journal.unfinished(event.eventId());
    boolean journaled = false;
    int total = 0;
    try {
      List<AccountPlan> plans = plan(event);
      int recovered = 0;
      if (earlier.isPresent()) {
        recovered = recover(event, earlier.get(), plans, changes);
        journaled = true;
      }
      checkGroupsExist(plans);
      List<AccountPlan> concerned =
          plans.stream().filter(p -> p.plan().verdict() == Plan.Verdict.APPLY).toList();
      if (concerned.isEmpty()) {
        String reason =
            plans.isEmpty() ? "no account concerned" : "stale: " + plans.get(0).plan().reason();
        Log.infof(
            "event %s of employee %s skipped: %s", event.eventId(), event.employeeId(), reason);
        return new Result(
            changes,
            outcome(event, Outcome.SKIPPED, started, recovered, changes, reason),
            null,
            null,
            journaled);
      }
      List<JournaledOp> intended = intended(event, concerned);
      total = recovered + intended.size();
      if (!intended.isEmpty()) {
        Intent intent =
            earlier.orElseGet(() -> new Intent(event.eventId(), event.employeeId(), List.of()));
        journal.begin(intent.with(intended)); // before the first mutation
        journaled = true;
      }
      for (AccountPlan p : concerned) {
        for (Operation op : p.plan().operations()) {
          if (!owned.getAsBoolean()) {
            throw new Fenced(event.eventId());
          }
          apply(event, p, op, changes);
        }
      }
      Log.infof(
          "event %s (%s) of employee %s completed: %d IAM changes",
          event.eventId(), event.type().wireName(), event.employeeId(), changes.size());
      return new Result(
          changes,
          outcome(event, Outcome.COMPLETED, started, total, changes, null),
          null,
          null,
          journaled);
    } catch (Refusal r) {
      Log.warnf(
          "event %s of employee %s failed (%s): %s",
          event.eventId(), event.employeeId(), r.reason.wireName(), r.getMessage());
      return new Result(
          changes,
          outcome(event, Outcome.FAILED, started, total, changes, r.getMessage()),
          r.reason,
          r.getMessage(),
          journaled);
    } catch (IamFailure f) {
      // A read failed (mutations record their own failure in apply).
      DlqReason reason = f.retriesExhausted() ? DlqReason.RETRIES_EXHAUSTED : DlqReason.IAM_ERROR;
      Log.warnf(
          "event %s of employee %s failed reading IAM: %s",
          event.eventId(), event.employeeId(), f.getMessage());
      return new Result(
          changes,
          outcome(event, Outcome.FAILED, started, total, changes, f.getMessage()),
          reason,
          f.getMessage(),
          journaled);
    }
  }

  /**
   * Publishes as applied what an earlier attempt of this event applied without publishing it (see
   * {@link Recovery}); returns how many. If IAM could not be read, the intent stays in the journal
   * (the result is not marked journaled) for a later delivery of the event.
   */
  private int recover(
      HrEvent event, Intent earlier, List<AccountPlan> plans, List<IamChange> changes) {
    Map<String, UserState> current = new HashMap<>();
    Set<String> planned = new HashSet<>();
    for (AccountPlan p : plans) {
      if (p.current() != null) {
        current.put(p.account().name(), p.current());
      }
      for (Operation op : p.plan().operations()) {
        planned.add(changeId(event, p.account().id(), op));
      }
    }
    List<JournaledOp> applied = Recovery.applied(earlier, current, planned);
    for (JournaledOp op : applied) {
      changes.add(
          new IamChange(
              op.changeId(),
              event.eventId(),
              event.employeeId(),
              op.accountId(),
              op.action().apiName(),
              op.userName(),
              op.target(),
              ChangeStatus.APPLIED,
              null,
              null, // IAM's request id died with the earlier attempt
              now()));
    }
    Log.warnf(
        "event %s of employee %s: an earlier attempt died after IAM changes; %d of its %d"
            + " intended changes found applied, published now: %s",
        event.eventId(),
        event.employeeId(),
        applied.size(),
        earlier.operations().size(),
        applied.stream()
            .map(o -> o.account() + ":" + o.action().apiName() + " " + o.target())
            .toList());
    return applied.size();
  }

  private static List<JournaledOp> intended(HrEvent event, List<AccountPlan> concerned) {
    List<JournaledOp> ops = new ArrayList<>();
    for (AccountPlan p : concerned) {
      for (Operation op : p.plan().operations()) {
        ops.add(
            JournaledOp.of(
                changeId(event, p.account().id(), op), p.account().name(), p.account().id(), op));
      }
    }
    return ops;
  }

  private static String changeId(HrEvent event, String accountId, Operation op) {
    return ChangeIds.of(event.eventId(), accountId, op.action().apiName(), op.target());
  }

  private List<AccountPlan> plan(HrEvent event) {
    if (event.type() != EventType.LEAVE
        && event.employee() != null
        && event.employee().roles() != null) {
      List<String> unknown = mapping.unknownRoles(event.employee().roles());
      if (!unknown.isEmpty()) {
        throw new Refusal(DlqReason.UNKNOWN_ROLE, "roles not in the role mapping: " + unknown);
      }
    }
    List<AccountPlan> plans = new ArrayList<>();
    for (Account account : mapping.accounts().values()) {
      String name = account.name();
      Optional<String> known = index.userName(name, event.employeeId());
      Desired desired = DesiredStateResolver.resolve(mapping, event, name, "", clock.instant());
      if (known.isEmpty() && !desired.active()) {
        continue; // no user here and none wanted
      }
      String userName = known.orElseGet(() -> userNameFor(event));
      desired = DesiredStateResolver.resolve(mapping, event, name, userName, clock.instant());
      UserState current = iam.readUser(name, userName, !desired.active()).orElse(null);
      if (current != null && Planner.deactivates(desired, current) && !current.credentialsRead()) {
        current = iam.readUser(name, userName, true).orElse(null);
      }
      Plan plan = Planner.plan(desired, current, mapping.ignored(name));
      if (plan.verdict() == Plan.Verdict.REJECTED) {
        throw new Refusal(DlqReason.UNMANAGED_USER, "account " + name + ": " + plan.reason());
      }
      if (current != null && known.isEmpty()) {
        index.put(name, event.employeeId(), current.userName()); // ours, though not indexed yet
      }
      plans.add(new AccountPlan(account, userName, current, plan));
    }
    return plans;
  }

  /** The name the employee already has in another account, else the one HR gave. */
  private String userNameFor(HrEvent event) {
    for (String account : mapping.accounts().keySet()) {
      Optional<String> elsewhere = index.userName(account, event.employeeId());
      if (elsewhere.isPresent()) {
        return elsewhere.get();
      }
    }
    if (event.employee() == null || event.employee().username() == null) {
      throw new Refusal(DlqReason.MALFORMED, "no user name: the event has no employee.username");
    }
    return event.employee().username();
  }

  private void checkGroupsExist(List<AccountPlan> plans) {
    List<String> missing = new ArrayList<>();
    for (AccountPlan p : plans) {
      String account = p.account().name();
      Set<String> known = knownGroups.computeIfAbsent(account, a -> ConcurrentHashMap.newKeySet());
      for (Operation op : p.plan().operations()) {
        if (op.action() == IamAction.ADD_USER_TO_GROUP && !known.contains(op.target())) {
          if (iam.groupExists(account, op.target())) {
            known.add(op.target());
          } else {
            missing.add(account + "/" + op.target());
          }
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new Refusal(
          DlqReason.MISSING_GROUP,
          "mapped groups missing in IAM (Roster never creates groups): " + missing);
    }
  }

  private void apply(HrEvent event, AccountPlan p, Operation op, List<IamChange> changes) {
    String accountId = p.account().id();
    String changeId = changeId(event, accountId, op);
    try {
      AppliedChange result = iam.apply(p.account().name(), op);
      if (op.action() == IamAction.CREATE_USER && !result.planned()) {
        index.put(p.account().name(), event.employeeId(), op.userName());
      }
      changes.add(
          change(
              changeId,
              event,
              accountId,
              op,
              result.planned() ? ChangeStatus.PLANNED : ChangeStatus.APPLIED,
              null,
              result.awsRequestId()));
    } catch (IamFailure f) {
      changes.add(
          change(
              changeId,
              event,
              accountId,
              op,
              ChangeStatus.FAILED,
              f.getMessage(),
              f.awsRequestId()));
      throw new Refusal(
          f.retriesExhausted() ? DlqReason.RETRIES_EXHAUSTED : DlqReason.IAM_ERROR,
          "account " + p.account().name() + ": " + f.getMessage());
    }
  }

  private IamChange change(
      String changeId,
      HrEvent event,
      String accountId,
      Operation op,
      ChangeStatus status,
      String error,
      String requestId) {
    return new IamChange(
        changeId,
        event.eventId(),
        event.employeeId(),
        accountId,
        op.action().apiName(),
        op.userName(),
        op.target(),
        status,
        error,
        requestId,
        now());
  }

  private ProvisioningOutcome outcome(
      HrEvent event,
      Outcome outcome,
      OffsetDateTime started,
      int planned,
      List<IamChange> changes,
      String reason) {
    int applied = (int) changes.stream().filter(c -> c.status() == ChangeStatus.APPLIED).count();
    int failed = (int) changes.stream().filter(c -> c.status() == ChangeStatus.FAILED).count();
    return new ProvisioningOutcome(
        event.eventId(),
        event.employeeId(),
        outcome,
        new ProvisioningOutcome.Counts(planned, applied, failed),
        started,
        now(),
        reason);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
