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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies one HR event to every account of the mapping: read, plan, check, then apply. Nothing is
 * mutated until every account has been planned and checked, so an event refused for one account (a
 * stranger's user, a missing group) leaves all of them untouched.
 */
public final class Provisioner {
  private final RoleMapping mapping;
  private final IamGateway iam;
  private final UserIndex index;
  private final Clock clock;

  /** Groups seen to exist, per account: a group is checked once, not on every event. */
  private final Map<String, Set<String>> knownGroups = new ConcurrentHashMap<>();

  public Provisioner(RoleMapping mapping, IamGateway iam, UserIndex index, Clock clock) {
    this.mapping = mapping;
    this.iam = iam;
    this.index = index;
    this.clock = clock;
  }

  /** What became of an event: the change records, the outcome and, if failed, why. */
  public record Result(
      List<IamChange> changes, ProvisioningOutcome outcome, DlqReason dlqReason, String detail) {
    public boolean failed() {
      return dlqReason != null;
    }
  }

  private record AccountPlan(Account account, String userName, Plan plan) {}

  /** Thrown inside {@link #process} to end an event as failed. */
  private static final class Refusal extends RuntimeException {
    final DlqReason reason;

    Refusal(DlqReason reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  public Result process(HrEvent event) {
    OffsetDateTime started = now();
    List<IamChange> changes = new ArrayList<>();
    int total = 0;
    try {
      List<AccountPlan> plans = plan(event);
      checkGroupsExist(plans);
      List<AccountPlan> concerned =
          plans.stream().filter(p -> p.plan().verdict() == Plan.Verdict.APPLY).toList();
      if (concerned.isEmpty()) {
        String reason =
            plans.isEmpty() ? "no account concerned" : "stale: " + plans.get(0).plan().reason();
        Log.infof(
            "event %s of employee %s skipped: %s", event.eventId(), event.employeeId(), reason);
        return new Result(
            List.of(), outcome(event, Outcome.SKIPPED, started, 0, changes, reason), null, null);
      }
      total = concerned.stream().mapToInt(p -> p.plan().operations().size()).sum();
      for (AccountPlan p : concerned) {
        for (Operation op : p.plan().operations()) {
          apply(event, p, op, changes);
        }
      }
      Log.infof(
          "event %s (%s) of employee %s completed: %d IAM changes",
          event.eventId(), event.type().wireName(), event.employeeId(), changes.size());
      return new Result(
          changes, outcome(event, Outcome.COMPLETED, started, total, changes, null), null, null);
    } catch (Refusal r) {
      Log.warnf(
          "event %s of employee %s failed (%s): %s",
          event.eventId(), event.employeeId(), r.reason.wireName(), r.getMessage());
      return new Result(
          changes,
          outcome(event, Outcome.FAILED, started, total, changes, r.getMessage()),
          r.reason,
          r.getMessage());
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
          f.getMessage());
    }
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
      plans.add(new AccountPlan(account, userName, plan));
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
    String changeId = ChangeIds.of(event.eventId(), accountId, op.action().apiName(), op.target());
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
