package dev.roster.provisioner;

import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMapping.Account;
import dev.roster.provisioner.iam.Fork;
import dev.roster.provisioner.iam.IamFailure;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.iam.KnownGroups;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Reads and plans every account of an event, the accounts in parallel: find the employee's user
 * (the index, answered by IAM on a miss), read it, then plan with the pure {@link Planner}. A
 * failure is that account's alone; nothing here mutates IAM.
 */
final class AccountReader {
  private final RoleMapping mapping;
  private final IamGateway iam;
  private final UserIndex index;
  private final KnownGroups groups;
  private final Clock clock;
  private final Executor accounts;

  /** How long a leaver's user is kept (empty: for ever), to say when a held username is free. */
  private volatile java.util.Optional<java.time.Duration> retention = java.util.Optional.empty();

  AccountReader(
      RoleMapping mapping,
      IamGateway iam,
      UserIndex index,
      KnownGroups groups,
      Clock clock,
      Executor accounts) {
    this.mapping = mapping;
    this.iam = iam;
    this.index = index;
    this.groups = groups;
    this.clock = clock;
    this.accounts = accounts;
  }

  /** What one account's read found, before planning. */
  private record Read(
      Account account,
      String userName,
      UserState current,
      IamFailure readFailure,
      AccountPlan failed) {}

  /** Every mapped account's plan, in mapping order. */
  List<AccountPlan> planAll(HrEvent event) {
    return planAll(event, Map.of());
  }

  /**
   * The same, without asking again what the event's cut-off found (by account name): where the
   * employee has a user, and GetUser's answer.
   */
  List<AccountPlan> planAll(HrEvent event, Map<String, CutOff.Looked> looked) {
    List<Account> all = List.copyOf(mapping.accounts().values());
    Instant now = clock.instant();
    // 1. Where the employee has users (cache hits cost nothing; a miss asks IAM).
    List<Supplier<Optional<String>>> finding = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Account a = all.get(i);
      CutOff.Looked seen = looked.get(a.name());
      finding.add(
          seen != null
              ? seen::userName
              : last(i, all, () -> index.find(a.name(), event.employeeId())));
    }
    List<Optional<String>> known = new ArrayList<>();
    List<IamFailure> findFailures = new ArrayList<>();
    for (Supplier<Optional<String>> f : finding) {
      try {
        known.add(f.get());
        findFailures.add(null);
      } catch (IamFailure e) {
        known.add(Optional.empty());
        findFailures.add(e);
      }
    }
    String hint = known.stream().flatMap(Optional::stream).findFirst().orElse(null);
    if (hint == null && event.employee() != null) {
      hint = event.employee().username();
    }
    // 2. Read each account's user, in parallel.
    String userNameHint = hint;
    List<Supplier<Read>> reading = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Account a = all.get(i);
      Optional<String> k = known.get(i);
      IamFailure findFailure = findFailures.get(i);
      CutOff.Looked seen = looked.get(a.name());
      UserState got = seen == null ? null : seen.user();
      reading.add(last(i, all, () -> read(event, a, k, findFailure, userNameHint, now, got)));
    }
    List<Read> reads = reading.stream().map(Supplier::get).toList();
    // 3. A leaver stays cut everywhere until a hire: a role change plans as a leave.
    boolean leaver =
        event.type() != EventType.HIRE
            && Planner.leaver(
                reads.stream().map(Read::current).filter(java.util.Objects::nonNull).toList());
    HrEvent planned = leaver ? asLeave(event) : event;
    List<AccountPlan> plans = new ArrayList<>();
    for (Read r : reads) {
      plans.add(r.failed() != null ? r.failed() : plan(planned, event, r, leaver, now));
    }
    return plans;
  }

  private Read read(
      HrEvent event,
      Account account,
      Optional<String> known,
      IamFailure findFailure,
      String hint,
      Instant now,
      UserState got) {
    String name = account.name();
    Desired desired = DesiredStateResolver.resolve(mapping, event, name, "", now);
    if (findFailure != null) {
      return failedRead(account, findFailure, "finding the user");
    }
    if (known.isEmpty() && !desired.active()) {
      return new Read(account, null, null, null, null); // IAM has no user of the employee here
    }
    String userName = known.orElse(hint);
    if (userName == null) {
      return new Read(
          account,
          null,
          null,
          null,
          AccountPlan.failed(
              account, null, false, DlqReason.MALFORMED, "the event has no employee.username"));
    }
    boolean full = !desired.active();
    try {
      Optional<UserState> current =
          got != null && got.userName().equals(userName)
              ? iam.readUser(name, got, full) // GetUser answered moments ago
              : iam.readUser(name, userName, full);
      if (current.isEmpty() && known.isPresent()) {
        // Renamed or deleted since this process saw it: ask IAM again.
        index.forget(name, event.employeeId(), userName);
        Optional<String> again = index.find(name, event.employeeId());
        if (again.isPresent()) {
          current = iam.readUser(name, again.get(), full);
        }
      }
      return new Read(account, userName, current.orElse(null), null, null);
    } catch (IamFailure e) {
      if (!full) {
        return failedRead(account, e, "reading the user");
      }
      // In doubt, cut: without the full state, the deny-all alone still needs only the user.
      try {
        Optional<UserState> basic = iam.readUser(name, userName, false);
        return new Read(account, userName, basic.orElse(null), e, null);
      } catch (IamFailure again) {
        return failedRead(account, again, "reading the user");
      }
    }
  }

  void retention(java.util.Optional<java.time.Duration> retention) {
    this.retention = retention;
  }

  /**
   * When the user of the name is a former employee's (Roster's, another employee id, deactivated):
   * why the name is not free, whose it is and when retention releases it; else null.
   */
  private String heldBy(HrEvent event, UserState current) {
    String owner = current.tags().get(dev.roster.provisioner.plan.Tags.EMPLOYEE_ID);
    if (!dev.roster.provisioner.plan.Tags.MANAGED_BY_ROSTER.equals(
            current.tags().get(dev.roster.provisioner.plan.Tags.MANAGED_BY))
        || owner == null
        || owner.equals(event.employeeId())
        || !current.deactivated()) {
      return null;
    }
    String since = current.tags().get(dev.roster.provisioner.plan.Tags.DEACTIVATED_AT);
    String release;
    if (retention.isEmpty()) {
      release = "never (roster.retention is none)";
    } else if (since == null) {
      release = "unknown (no " + dev.roster.provisioner.plan.Tags.DEACTIVATED_AT + " tag)";
    } else {
      try {
        release = Instant.parse(since).plus(retention.get()).toString();
      } catch (java.time.format.DateTimeParseException e) {
        release = "unknown (unreadable " + dev.roster.provisioner.plan.Tags.DEACTIVATED_AT + ")";
      }
    }
    return DlqReason.USERNAME_HELD.wireName()
        + ": user "
        + current.userName()
        + " is held by former employee "
        + owner
        + " (deactivated "
        + (since == null ? "at an unknown time" : "at " + since)
        + "); released at "
        + release;
  }

  static DlqReason reason(IamFailure e) {
    return e.retriesExhausted() ? DlqReason.RETRIES_EXHAUSTED : DlqReason.IAM_ERROR;
  }

  private static Read failedRead(Account account, IamFailure e, String what) {
    DlqReason reason = reason(e);
    Log.warnf("account %s: %s failed: %s", account.name(), what, e.getMessage());
    // Whether a user is there is unknown: counted as possibly open (see Provisioner).
    return new Read(
        account, null, null, null, AccountPlan.failed(account, null, true, reason, message(e)));
  }

  private AccountPlan plan(HrEvent planned, HrEvent event, Read r, boolean leaver, Instant now) {
    Account account = r.account();
    String name = account.name();
    UserState current = r.current();
    Instant trusted = now.plus(dev.roster.events.EventValidator.MAX_FUTURE_SKEW);
    if (current == null) {
      Desired asked = DesiredStateResolver.resolve(mapping, event, name, "", now);
      if (leaver && asked.active()) {
        return AccountPlan.skipped(account, null, "leaver: only a hire gives access back");
      }
      Desired desired = DesiredStateResolver.resolve(mapping, planned, name, "", now);
      if (!desired.active()) {
        return AccountPlan.skipped(account, null, "no-user");
      }
      desired = DesiredStateResolver.resolve(mapping, planned, name, r.userName(), now);
      return checked(account, null, Planner.plan(desired, null, mapping.ignored(name), trusted));
    }
    Desired desired = DesiredStateResolver.resolve(mapping, planned, name, current.userName(), now);
    boolean cuts = Planner.deactivates(desired, current);
    IamFailure readFailure = r.readFailure();
    if (cuts && readFailure == null && !current.credentialsRead()) {
      try {
        current = iam.readUser(name, current.userName(), true).orElse(current);
      } catch (IamFailure e) {
        readFailure = e;
      }
    }
    if (readFailure != null && !cuts) {
      return AccountPlan.failed(account, current, false, reason(readFailure), message(readFailure));
    }
    Plan plan =
        readFailure != null
            ? Planner.cutOff(desired, current, trusted)
            : Planner.plan(desired, current, mapping.ignored(name), trusted);
    if (plan.verdict() == Plan.Verdict.REJECTED) {
      String held = heldBy(event, current);
      if (held != null) {
        return AccountPlan.failed(account, current, false, DlqReason.USERNAME_HELD, held);
      }
      return AccountPlan.failed(account, current, false, DlqReason.UNMANAGED_USER, plan.reason());
    }
    index.put(name, event.employeeId(), current.userName()); // ours, whoever created it
    if (plan.verdict() == Plan.Verdict.STALE) {
      return AccountPlan.skipped(account, current, "stale: " + plan.reason());
    }
    if (cuts) {
      return readFailure == null
          ? AccountPlan.planned(account, current, plan, true, null, null)
          : AccountPlan.planned(
              account, current, plan, true, message(readFailure), reason(readFailure));
    }
    return checked(account, current, plan);
  }

  /** A granting plan, with the mapped groups it adds checked to exist. */
  private AccountPlan checked(Account account, UserState current, Plan plan) {
    List<String> adds =
        plan.operations().stream()
            .filter(op -> op.action() == IamAction.ADD_USER_TO_GROUP)
            .map(Operation::target)
            .toList();
    try {
      List<String> missing = groups.missing(account.name(), adds);
      if (!missing.isEmpty()) {
        return AccountPlan.failed(
            account,
            current,
            false,
            DlqReason.MISSING_GROUP,
            "mapped groups missing in IAM (Roster never creates groups): "
                + missing.stream().map(g -> account.name() + "/" + g).toList());
      }
    } catch (IamFailure e) {
      return AccountPlan.failed(account, current, false, DlqReason.IAM_ERROR, message(e));
    }
    return AccountPlan.planned(account, current, plan, false, null, null);
  }

  private static HrEvent asLeave(HrEvent event) {
    return new HrEvent(
        event.eventId(),
        EventType.LEAVE,
        event.employeeId(),
        event.occurredAt(),
        event.effectiveAt(),
        event.employee(),
        event.reason());
  }

  private static String message(IamFailure e) {
    return e.getMessage();
  }

  /**
   * Starts the work of account {@code i} on the account executor, the last account's on this thread
   * (which would only wait): one pool thread fewer per event. The supplier waits and rethrows as
   * thrown.
   */
  private <T> Supplier<T> last(int i, List<Account> all, Supplier<T> work) {
    return Fork.startUnlessLast(i, all.size(), work, accounts);
  }
}
