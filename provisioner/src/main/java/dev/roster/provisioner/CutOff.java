package dev.roster.provisioner;

import dev.roster.events.AccountState;
import dev.roster.events.ChangeStatus;
import dev.roster.events.EventType;
import dev.roster.events.EventValidator;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.provisioner.AccountApplier.AccountResult;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMapping.Account;
import dev.roster.provisioner.iam.CallGate;
import dev.roster.provisioner.iam.Fenced;
import dev.roster.provisioner.iam.Fork;
import dev.roster.provisioner.iam.IamFailure;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.iam.IamGateway.AppliedChange;
import dev.roster.provisioner.iam.UserIndex;
import dev.roster.provisioner.journal.Intent;
import dev.roster.provisioner.journal.Journal;
import dev.roster.provisioner.journal.JournaledOp;
import dev.roster.provisioner.plan.Desired;
import dev.roster.provisioner.plan.DesiredStateResolver;
import dev.roster.provisioner.plan.IamAction;
import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.Plan;
import dev.roster.provisioner.plan.Planner;
import dev.roster.provisioner.plan.Tags;
import dev.roster.provisioner.plan.UserState;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A leave's first step (and a role change's, in the accounts it takes away), in every account at
 * once and before the full read: find the user, read only what the ownership check, the watermark
 * and the deny-all's presence need ({@link IamGateway#cutOffState}), journal the deny-all (the
 * event's intent, extended with each account's as its read decides it, see {@link IntentWriter},
 * and later under the same key with the cleanup), then put it. Each account does so on its own: a
 * slow read in one never delays another's deny-all. Access is gone after that read and one write;
 * the full read, plan and cleanup follow as for any event. Anything in doubt here (a lookup or a
 * read failing, a user not Roster's, a stale event) puts nothing: the full path decides and reports
 * it.
 */
final class CutOff {
  private final RoleMapping mapping;
  private final IamGateway iam;
  private final UserIndex index;
  private final Journal journal;
  private final ChangeRecords records;
  private final Clock clock;
  private final Executor accounts;
  private final CallGate gate;

  /**
   * @param accounts runs the accounts' cut-offs in parallel: not the executor of the cleanups, so
   *     that a backlog of cleanups never queues a cut-off behind it
   * @param gate where each account's cut-off is marked under way, its calls going first
   */
  CutOff(
      RoleMapping mapping,
      IamGateway iam,
      UserIndex index,
      Journal journal,
      ChangeRecords records,
      Clock clock,
      Executor accounts,
      CallGate gate) {
    this.mapping = mapping;
    this.iam = iam;
    this.index = index;
    this.journal = journal;
    this.records = records;
    this.clock = clock;
    this.accounts = accounts;
    this.gate = gate;
  }

  /**
   * What the cut-off learned of one account, moments before the full read of the same event: the
   * employee's user name there as the index answered (empty: IAM has none), and the user as GetUser
   * answered (null when it was not read). Reused only by a cut-off at the event's turn, where
   * nothing else can change them meanwhile (the employee's events run one at a time, on the
   * partition's one owner); never by an early one, which runs before the employee's earlier events.
   */
  record Looked(Optional<String> userName, UserState user) {}

  /** A deny-all put by this step in one account: its journaled op, record and moment. */
  record Cut(Account account, JournaledOp op, IamChange change, OffsetDateTime at) {}

  /**
   * What the cut-off step did.
   *
   * @param journaled the deny-alls written to the journal (with the earlier attempt's intent)
   * @param cuts the deny-alls put, by account name
   * @param looked what its reads found, by account name, for the full read not to ask again
   */
  record Result(List<JournaledOp> journaled, Map<String, Cut> cuts, Map<String, Looked> looked) {
    static final Result NONE = new Result(List.of(), Map.of(), Map.of());

    /** Change ids of the deny-alls put here: not recovered from an earlier intent. */
    Set<String> changeIds() {
      return cuts.values().stream().map(c -> c.op().changeId()).collect(Collectors.toSet());
    }

    /** The plans without the deny-alls this step put (IAM may not show them yet). */
    List<AccountPlan> withoutPut(List<AccountPlan> plans) {
      return plans.stream()
          .map(
              p -> {
                Cut c = cuts.get(p.account().name());
                if (c == null || p.decided() != null) {
                  return p;
                }
                return p.withOperations(
                    p.plan().operations().stream().filter(op -> !op.isDenyAll()).toList());
              })
          .toList();
    }

    /**
     * An account's result with this step's deny-all in it: first among its changes, its moment the
     * cut-off's, and an account whose later read or plan failed is cut off, not open.
     */
    AccountResult merged(AccountResult r) {
      Cut c = cuts.get(r.plan().account().name());
      if (c == null) {
        return r;
      }
      List<IamChange> changes = new ArrayList<>();
      changes.add(c.change());
      changes.addAll(r.changes());
      boolean failed = r.state() == AccountState.FAILED;
      return new AccountResult(
          r.plan(),
          failed ? AccountState.CUT_OFF : r.state(),
          r.reason(),
          r.dlqReason(),
          changes,
          c.at(),
          false,
          r.cutOffVerified());
    }
  }

  /**
   * Cuts off every account a leave (or a role change) takes away where the employee has a user
   * Roster owns and the deny-all is not in place; nothing for a hire, nor in an account the event
   * keeps (a role change of a leaver is cut there by the full path, which knows it is one).
   *
   * @param earlier the intent an earlier attempt left unfinished, kept in the one begun here
   * @throws Fenced when the partition was handed over
   */
  Result run(HrEvent event, Supplier<Optional<Intent>> earlier, BooleanSupplier owned) {
    if (event.type() == EventType.HIRE) {
      return Result.NONE; // a hire cuts nothing off (a leaver stays cut through the full path)
    }
    List<Account> all = List.copyOf(mapping.accounts().values());
    Instant now = clock.instant();
    // Each account goes on its own: its deny-all is journaled and put as soon as its own read says
    // so, never waiting for a slower account's read (throttled, or retrying).
    IntentWriter intent = new IntentWriter(event, journal, earlier, owned);
    Map<String, Looked> looked = new java.util.concurrent.ConcurrentHashMap<>();
    List<Supplier<Optional<Cut>>> cutting = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Account a = all.get(i);
      Supplier<Optional<Cut>> work = () -> cut(event, a, now, earlier, intent, owned, looked);
      cutting.add(Fork.startUnlessLast(i, all.size(), work, accounts));
    }
    Map<String, Cut> cuts = new HashMap<>();
    RuntimeException thrown = null;
    for (Supplier<Optional<Cut>> c : cutting) {
      try {
        c.get().ifPresent(cut -> cuts.put(cut.account().name(), cut));
      } catch (RuntimeException e) {
        thrown = thrown == null || e instanceof Fenced ? e : thrown;
      }
    }
    if (thrown != null) {
      throw thrown; // fenced, the journal failing, or the process "dying" (tests): nothing
      // published
    }
    return new Result(intent.added(), Map.copyOf(cuts), Map.copyOf(looked));
  }

  /** One account's cut-off: its read, then (if a deny-all is needed) its journal write and put. */
  private Optional<Cut> cut(
      HrEvent event,
      Account account,
      Instant now,
      Supplier<Optional<Intent>> earlier,
      IntentWriter intent,
      BooleanSupplier owned,
      Map<String, Looked> looked) {
    // Under way from the look-up to the put: no other call starts in this account meanwhile.
    try (CallGate.Hold hold = gate.cutOff(account.name())) {
      Optional<Operation> op = denyAll(event, account, now, earlier, looked);
      if (op.isEmpty()) {
        return Optional.empty();
      }
      Pending p = new Pending(account, op.get(), ChangeRecords.journaled(event, account, op.get()));
      intent.add(p.journaled()); // write-ahead: before this account's deny-all
      return put(event, p, owned);
    }
  }

  /**
   * Whether the deny-all may be on the user already, so that IAM must be asked before it is put:
   * the user is marked deactivated (an earlier leave), or an earlier attempt of this event
   * journaled it here (it may have been put; putting it again would be a second mutation).
   * Otherwise it cannot be there: a deactivation puts it first and journals it before.
   */
  private static boolean mayHoldDenyAll(
      UserState user, String account, Supplier<Optional<Intent>> earlier) {
    if (user.deactivated()) {
      return true;
    }
    return earlier.get().stream()
        .flatMap(i -> i.operations().stream())
        .anyMatch(
            o ->
                o.account().equals(account)
                    && o.action() == IamAction.PUT_USER_POLICY
                    && Tags.DENY_ALL_POLICY.equals(o.target()));
  }

  /** The deny-all to put in this account, if the employee has a user there that Roster owns. */
  private Optional<Operation> denyAll(
      HrEvent event,
      Account account,
      Instant now,
      Supplier<Optional<Intent>> earlier,
      Map<String, Looked> looked) {
    String name = account.name();
    try {
      Optional<String> userName = index.find(name, event.employeeId());
      if (userName.isEmpty()
          || DesiredStateResolver.resolve(mapping, event, name, userName.get(), now).active()) {
        looked.put(name, new Looked(userName, null));
        return Optional.empty(); // nobody here, or an account the event keeps: no read for it
      }
      // GetUser alone (the tags) unless the deny-all may be there already: one read, one write.
      Optional<UserState> user = iam.cutOffUser(name, userName.get());
      if (user.isPresent() && mayHoldDenyAll(user.get(), name, earlier)) {
        user = iam.cutOffState(name, userName.get());
      }
      if (user.isEmpty()) {
        return Optional.empty(); // renamed or deleted since: the full path looks again
      }
      looked.put(name, new Looked(userName, user.get()));
      Desired desired =
          DesiredStateResolver.resolve(mapping, event, name, user.get().userName(), now);
      if (!Planner.deactivates(desired, user.get())) {
        return Optional.empty();
      }
      Plan plan = Planner.cutOff(desired, user.get(), now.plus(EventValidator.MAX_FUTURE_SKEW));
      if (plan.verdict() != Plan.Verdict.APPLY) {
        return Optional.empty(); // not Roster's, or stale: never touched here
      }
      return plan.operations().stream().findFirst();
    } catch (IamFailure e) {
      Log.warnf(
          "event %s, account %s: the cut-off's read failed, left to the full read: %s",
          event.eventId(), name, e.getMessage());
      return Optional.empty();
    }
  }

  /** A deny-all to put in one account, and its journal entry. */
  private record Pending(Account account, Operation op, JournaledOp journaled) {}

  private Optional<Cut> put(HrEvent event, Pending p, BooleanSupplier owned) {
    if (!owned.getAsBoolean()) {
      throw new Fenced("event " + event.eventId());
    }
    Account account = p.account();
    Operation operation = p.op();
    try {
      AppliedChange result = iam.apply(account.name(), operation, owned);
      if (result.planned()) {
        return Optional.empty(); // a dry run cuts nothing off: the full plan shows it
      }
      OffsetDateTime at = records.now();
      IamChange change =
          records.change(
              event, account.id(), operation, ChangeStatus.APPLIED, null, result.awsRequestId());
      return Optional.of(new Cut(account, p.journaled(), change, at));
    } catch (IamFailure e) {
      Log.warnf(
          "event %s, account %s: the deny-all failed, tried again after the full read: %s",
          event.eventId(), account.name(), e.getMessage());
      return Optional.empty();
    }
  }
}
