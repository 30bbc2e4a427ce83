package dev.roster.provisioner;

import dev.roster.events.AccountOutcome;
import dev.roster.events.AccountState;
import dev.roster.events.EventType;
import dev.roster.events.EventValidator;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.provisioner.AccountApplier.AccountResult;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.guard.PrivilegeGuard;
import dev.roster.provisioner.iam.CallGate;
import dev.roster.provisioner.iam.Fenced;
import dev.roster.provisioner.iam.Fork;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.iam.KnownGroups;
import dev.roster.provisioner.iam.UserIndex;
import dev.roster.provisioner.journal.Intent;
import dev.roster.provisioner.journal.Journal;
import dev.roster.provisioner.journal.JournaledOp;
import dev.roster.provisioner.journal.Recovery;
import dev.roster.provisioner.plan.IamAction;
import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.UserState;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Applies one HR event to every account of the mapping: read and plan every account ({@link
 * AccountReader}), journal the intent, then apply every account ({@link AccountApplier}); accounts
 * run in parallel and each one's failure is its own. A leave's first mutation in each account is
 * the deny-all, so access is gone everywhere after one write round trip, whatever fails next.
 *
 * <p>Refusals: an event that is malformed for the provisioner (a role the mapping does not know, an
 * {@code occurredAt} too far ahead) changes nothing. A stranger's user or a missing group in one
 * account holds every <em>grant</em> of the event (nothing is half-granted), never a cut-off.
 *
 * <p>Write-ahead journal: the mutations are recorded in the {@link Journal} before the first one is
 * applied. When an earlier attempt of the event died after applying some of them but before
 * publishing their records, the new plan no longer contains them; those whose effect IAM shows are
 * then published as applied under their journaled change ids, so every mutation is recorded.
 */
public final class Provisioner {
  private static final Set<DlqReason> HOLDS_GRANTS =
      EnumSet.of(
          DlqReason.UNMANAGED_USER,
          DlqReason.USERNAME_HELD,
          DlqReason.MISSING_GROUP,
          DlqReason.MALFORMED,
          DlqReason.PRIVILEGED_GROUP);

  private static final String HELD = "held: account ";

  private final RoleMapping mapping;
  private final Journal journal;
  private final Clock clock;
  private final Executor accounts;
  private final AccountReader reader;
  private final AccountApplier applier;
  private final CutOff cutOff;
  private final ChangeRecords records;
  private final PrivilegeGuard guard;
  private final CutOffStage stage;

  /**
   * Where a leave's cut-off runs and what follows it.
   *
   * @param executor runs the accounts' cut-offs (and the journal look-up they wait for); not the
   *     accounts' executor of the full read and cleanup, so a backlog of cleanups never delays one
   * @param gate marks each account's cut-off under way (its calls before any other there)
   * @param afterCutOff run on the event's thread once a leave's cut-off step is over, before its
   *     full read and cleanup (the dispatcher frees the event's slot)
   */
  public record CutOffStage(Executor executor, CallGate gate, Runnable afterCutOff) {
    /** The cut-off on {@code accounts}, not gated, nothing after it (tests, tools). */
    public static CutOffStage on(Executor accounts) {
      return new CutOffStage(accounts, CallGate.NONE, () -> {});
    }
  }

  /** Accounts and calls one after another (tests). */
  public Provisioner(
      RoleMapping mapping, IamGateway iam, UserIndex index, Journal journal, Clock clock) {
    this(mapping, iam, index, journal, clock, Runnable::run, Runnable::run, 1);
  }

  /**
   * @param accounts runs the accounts of an event in parallel (reads, then applies)
   * @param writes runs the calls of a cut-off's cleanup tier in parallel; never the same executor
   *     as {@code accounts}, whose tasks wait for these
   * @param writesPerUser at most this many calls on one user at once
   */
  public Provisioner(
      RoleMapping mapping,
      IamGateway iam,
      UserIndex index,
      Journal journal,
      Clock clock,
      Executor accounts,
      Executor writes,
      int writesPerUser) {
    this(
        mapping,
        iam,
        index,
        journal,
        clock,
        accounts,
        writes,
        writesPerUser,
        CutOffVerifier.of(iam),
        PrivilegeGuard.NONE);
  }

  /**
   * @param verifier asks IAM whether each cut-off denies everything
   * @param guard the groups nobody may be added to (escalating and not marked privileged)
   */
  public Provisioner(
      RoleMapping mapping,
      IamGateway iam,
      UserIndex index,
      Journal journal,
      Clock clock,
      Executor accounts,
      Executor writes,
      int writesPerUser,
      CutOffVerifier verifier,
      PrivilegeGuard guard) {
    this(
        mapping,
        iam,
        index,
        journal,
        clock,
        accounts,
        writes,
        writesPerUser,
        verifier,
        guard,
        CutOffStage.on(accounts));
  }

  /**
   * @param stage where a leave's cut-off runs, and what follows it
   */
  public Provisioner(
      RoleMapping mapping,
      IamGateway iam,
      UserIndex index,
      Journal journal,
      Clock clock,
      Executor accounts,
      Executor writes,
      int writesPerUser,
      CutOffVerifier verifier,
      PrivilegeGuard guard,
      CutOffStage stage) {
    this.mapping = mapping;
    this.stage = stage;
    this.guard = guard;
    this.journal = journal;
    this.clock = clock;
    this.accounts = accounts;
    this.records = new ChangeRecords(clock, mapping);
    this.reader = new AccountReader(mapping, iam, index, new KnownGroups(iam), clock, accounts);
    this.applier = new AccountApplier(iam, index, records, writes, writesPerUser, verifier);
    this.cutOff =
        new CutOff(mapping, iam, index, journal, records, clock, stage.executor(), stage.gate());
  }

  /**
   * How long leavers' users are kept (empty: for ever): a hire refused because a former employee's
   * user holds its username says when the name is released.
   */
  public Provisioner retainingFor(java.util.Optional<java.time.Duration> retention) {
    reader.retention(retention);
    return this;
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

  public Result process(HrEvent event) {
    return process(event, () -> true);
  }

  /**
   * A leave's cut-off, done as soon as the leave is taken in, before its turn: what {@link
   * #process} would do first, with the journal's unfinished intent as it was before it.
   */
  public record EarlyCut(OffsetDateTime started, CutOff.Result cut, Optional<Intent> earlier) {
    /** The accounts whose deny-all it put. */
    public Set<String> accountsCut() {
      return cut.cuts().keySet();
    }
  }

  /**
   * Cuts a leave off now, ahead of its turn (which may wait behind the employee's earlier events
   * and others' cleanups): every account's deny-all, journaled and put as {@link #process} does
   * first. Empty for what is not a leave or is refused. {@code process} with the answer goes on
   * from there. Cutting early is safe whatever of the employee's comes before it: a deny-all grants
   * nothing, and the leave's turn, after those events, cuts whatever they left open.
   *
   * @throws Fenced when the partition was handed over
   */
  public Optional<EarlyCut> cutOffEarly(HrEvent event, BooleanSupplier owned) {
    if (event.type() != EventType.LEAVE || refusal(event).isPresent()) {
      return Optional.empty();
    }
    OffsetDateTime started = records.now();
    Supplier<Optional<Intent>> unfinished =
        Fork.start(() -> journal.unfinished(event.eventId()), stage.executor());
    CutOff.Result cut = cutOff.run(event, unfinished, owned);
    return Optional.of(new EarlyCut(started, cut, unfinished.get()));
  }

  /** {@link #process(HrEvent, BooleanSupplier, Delivery)} after an early cut-off of the event. */
  public Result process(
      HrEvent event, BooleanSupplier owned, Delivery delivery, Optional<EarlyCut> early) {
    Result result = process(event, owned, early);
    return delivered(event, owned, delivery, result);
  }

  /**
   * Applies {@code event}, delivers its results and finishes its journal intent: the one owner of
   * the intent from begin to done. Nothing is delivered, and the intent is not finished, once
   * {@code owned} answers false (the new owner of the partition does both; the intent's key is the
   * event id, so a late tombstone from here would delete the new owner's intent).
   *
   * @throws Fenced when the partition was handed over while the event was applied
   */
  public Result process(HrEvent event, BooleanSupplier owned, Delivery delivery) {
    return delivered(event, owned, delivery, process(event, owned));
  }

  private Result delivered(HrEvent event, BooleanSupplier owned, Delivery delivery, Result result) {
    fenceCheck(owned, event);
    if (!delivery.publish(result.changes(), result.outcome())) {
      return result;
    }
    if (result.failed()) {
      delivery.deadLetter(result.dlqReason(), result.detail());
    }
    if (result.journaled()) {
      fenceCheck(owned, event);
      journal.done(event.eventId()); // only now: every record of the event is acknowledged
    }
    return result;
  }

  private static void fenceCheck(BooleanSupplier owned, HrEvent event) {
    if (!owned.getAsBoolean()) {
      throw new Fenced("event " + event.eventId() + " (applied, not published here)");
    }
  }

  /**
   * Applies {@code event}; {@code owned} is asked before each mutation (and each retry) whether
   * this process still owns the event's partition (see {@code PartitionFence}), and {@link Fenced}
   * is thrown if not.
   */
  public Result process(HrEvent event, BooleanSupplier owned) {
    return process(event, owned, Optional.empty());
  }

  private Result process(HrEvent event, BooleanSupplier owned, Optional<EarlyCut> early) {
    OffsetDateTime started = early.map(EarlyCut::started).orElseGet(records::now);
    Optional<Refusal> refusal = refusal(event);
    if (refusal.isPresent()) {
      return refused(event, started, refusal.get().reason(), refusal.get().detail());
    }
    Supplier<Optional<Intent>> unfinished;
    CutOff.Result cut;
    if (early.isPresent()) {
      unfinished = early.get()::earlier;
      cut = early.get().cut();
    } else {
      // Asked while IAM is read, not before: the journal's catch-up (an offsets round trip, then
      // the reader reaching them) would otherwise delay every cut-off. Outside any per-account
      // handling: a journal that cannot be read is Kafka failing.
      unfinished = Fork.start(() -> journal.unfinished(event.eventId()), stage.executor());
      // Cut first, before the full read (a leave, an account a role change takes away).
      cut = cutOff.run(event, unfinished, owned);
    }
    if (event.type() == EventType.LEAVE && early.isEmpty()) {
      stage.afterCutOff().run(); // what is left is cleanup: the next cut-off need not wait for it
    }
    // An early cut-off ran before the employee's earlier events (a role change may have created a
    // user since, a due rehire lifted a deny-all): its reads are not reused, and a deny-all the
    // fresh read does not show is put again. At its turn, nothing came in between.
    List<AccountPlan> plans = early.isPresent() ? plan(event) : cut.withoutPut(plan(event, cut));
    Optional<Intent> earlier = unfinished.get();
    List<IamChange> changes = new ArrayList<>();
    int recovered = 0;
    // An earlier attempt's intent is finished only once what it applied could be judged.
    boolean recoveredAll = earlier.isEmpty();
    if (earlier.isPresent() && plans.stream().allMatch(p -> p.decided() != AccountState.FAILED)) {
      recovered = recover(event, earlier.get(), plans, cut.changeIds(), changes);
      recoveredAll = true;
    }
    List<JournaledOp> intended = ChangeRecords.journaled(event, plans);
    if (!intended.isEmpty()) {
      Intent intent =
          earlier.orElseGet(() -> new Intent(event.eventId(), event.employeeId(), List.of()));
      // The same intent as the cut-off's, extended: one key, the deny-alls kept in it.
      journal.begin(intent.with(cut.journaled()).with(intended)); // before the first mutation
    }
    boolean journaled =
        recoveredAll && (earlier.isPresent() || !cut.journaled().isEmpty() || !intended.isEmpty());
    List<AccountResult> results = applyAll(event, plans, owned).stream().map(cut::merged).toList();
    results.forEach(r -> changes.addAll(r.changes()));
    int planned = recovered + cut.cuts().size() + intended.size();
    return result(event, started, planned, changes, results, journaled);
  }

  /** Why the event is refused as a whole, before any account is read. */
  public record Refusal(DlqReason reason, String detail) {}

  /**
   * Whether the event is refused as a whole: an {@code occurredAt} too far ahead, or a role the
   * mapping does not know. Nothing is read then.
   */
  public Optional<Refusal> refusal(HrEvent event) {
    if (EventValidator.futureOccurredAt(event, clock.instant()).isPresent()) {
      return Optional.of(
          new Refusal(
              DlqReason.FUTURE_OCCURRED_AT,
              "occurredAt "
                  + event.occurredAt()
                  + " is more than "
                  + EventValidator.MAX_FUTURE_SKEW.toMinutes()
                  + " minutes ahead of the provisioner's clock"));
    }
    if (event.type() != EventType.LEAVE
        && event.employee() != null
        && event.employee().roles() != null) {
      List<String> unknown = mapping.unknownRoles(event.employee().roles());
      if (!unknown.isEmpty()) {
        return Optional.of(
            new Refusal(DlqReason.UNKNOWN_ROLE, "roles not in the role mapping: " + unknown));
      }
    }
    return Optional.empty();
  }

  /**
   * Every account read and planned, the escalation guard and the hold on grants applied: exactly
   * what {@link #process} would apply, in order, with nothing written (a preview). Reads IAM.
   */
  public List<AccountPlan> plan(HrEvent event) {
    return plan(event, CutOff.Result.NONE);
  }

  /** The same, reusing what the event's cut-off read. */
  private List<AccountPlan> plan(HrEvent event, CutOff.Result cut) {
    return holdGrants(guard(reader.planAll(event, cut.looked())));
  }

  /**
   * An account whose plan adds the user to a group the escalation guard refuses fails as {@code
   * privileged-group} (and {@link #holdGrants} then holds every other account's grants).
   */
  private List<AccountPlan> guard(List<AccountPlan> plans) {
    return plans.stream()
        .map(
            p -> {
              if (p.decided() != null || p.cuts()) {
                return p;
              }
              for (Operation op : p.operations()) {
                if (op.action() == IamAction.ADD_USER_TO_GROUP) {
                  Optional<String> refusal = guard.refusal(p.account().name(), op.target());
                  if (refusal.isPresent()) {
                    return AccountPlan.failed(
                        p.account(), p.current(), false, DlqReason.PRIVILEGED_GROUP, refusal.get());
                  }
                }
              }
              return p;
            })
        .toList();
  }

  /** A stranger's user or a missing group anywhere: no account is granted anything. */
  private static List<AccountPlan> holdGrants(List<AccountPlan> plans) {
    Optional<AccountPlan> refusal =
        plans.stream()
            .filter(p -> p.decided() == AccountState.FAILED && HOLDS_GRANTS.contains(p.dlqReason()))
            .findFirst();
    if (refusal.isEmpty()) {
      return plans;
    }
    AccountPlan by = refusal.get();
    return plans.stream()
        .map(
            p ->
                p.grants()
                    ? AccountPlan.failed(
                        p.account(),
                        p.current(),
                        false,
                        by.dlqReason(),
                        HELD + by.account().name() + " refused the event")
                    : p)
        .toList();
  }

  private List<AccountResult> applyAll(
      HrEvent event, List<AccountPlan> plans, BooleanSupplier owned) {
    // Once one account saw the partition go, the others stop without asking again.
    AtomicBoolean lost = new AtomicBoolean();
    BooleanSupplier guard =
        () -> {
          if (lost.get()) {
            return false;
          }
          if (owned.getAsBoolean()) {
            return true;
          }
          lost.set(true);
          return false;
        };
    List<CompletableFuture<AccountResult>> running = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      AccountPlan p = plans.get(i);
      if (i < plans.size() - 1) {
        running.add(CompletableFuture.supplyAsync(() -> applier.apply(event, p, guard), accounts));
        continue;
      }
      // The last account on this thread, which would only wait: one pool thread fewer per event.
      try {
        running.add(CompletableFuture.completedFuture(applier.apply(event, p, guard)));
      } catch (RuntimeException e) {
        running.add(CompletableFuture.failedFuture(e));
      }
    }
    List<AccountResult> results = new ArrayList<>();
    RuntimeException failure = null;
    for (CompletableFuture<AccountResult> r : running) {
      try {
        results.add(r.join());
      } catch (CompletionException e) {
        RuntimeException cause =
            e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e);
        if (failure == null || cause instanceof Fenced) {
          failure = cause;
        }
      }
    }
    if (failure != null) {
      throw failure; // fenced, or the process "dying" (tests): nothing is published
    }
    return results;
  }

  private Result result(
      HrEvent event,
      OffsetDateTime started,
      int planned,
      List<IamChange> changes,
      List<AccountResult> results,
      boolean journaled) {
    List<AccountOutcome> accounts =
        results.stream()
            .map(
                r ->
                    new AccountOutcome(
                        r.plan().account().id(),
                        r.plan().account().name(),
                        r.state(),
                        r.reason(),
                        r.cutOffVerified(),
                        rehireNotices(event, r)))
            .toList();
    boolean anyCut = results.stream().anyMatch(r -> r.cutOffAt() != null);
    boolean anyOpen = results.stream().anyMatch(AccountResult::possiblyOpen);
    OffsetDateTime cutOffAt =
        anyCut && !anyOpen
            ? results.stream()
                .map(AccountResult::cutOffAt)
                .filter(Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElse(null)
            : null;
    // The account that refused, rather than one whose grants it held.
    Optional<AccountResult> failed =
        results.stream()
            .filter(r -> r.state() == AccountState.FAILED || r.state() == AccountState.CUT_OFF)
            .min(Comparator.comparing(r -> r.reason() != null && r.reason().contains(HELD)));
    if (failed.isPresent()) {
      AccountResult f = failed.get();
      String reason = "account " + f.plan().account().name() + ": " + f.reason();
      Log.warnf(
          "event %s (%s) of employee %s failed: %s; accounts %s",
          event.eventId(), event.type().wireName(), event.employeeId(), reason, states(accounts));
      return new Result(
          changes,
          records.outcome(
              event, Outcome.FAILED, started, cutOffAt, planned, changes, reason, accounts),
          f.dlqReason(),
          reason,
          journaled);
    }
    boolean allSkipped = results.stream().allMatch(r -> r.state() == AccountState.SKIPPED);
    if (allSkipped) {
      Optional<String> stale =
          results.stream()
              .map(AccountResult::reason)
              .filter(r -> r != null && r.startsWith("stale"))
              .findFirst();
      if (stale.isEmpty() && event.type() == EventType.LEAVE) {
        // Nobody found anywhere, asked of IAM: say so loudly, access may be open somewhere.
        String reason =
            DlqReason.NOT_FOUND.wireName()
                + ": no user of employee "
                + event.employeeId()
                + " in any account ("
                + String.join(", ", mapping.accounts().keySet())
                + ")";
        Log.errorf("event %s (leave): %s", event.eventId(), reason);
        return new Result(
            changes,
            records.outcome(
                event, Outcome.FAILED, started, null, planned, changes, reason, accounts),
            DlqReason.NOT_FOUND,
            reason,
            journaled);
      }
      String reason = stale.orElse("no account concerned");
      Log.infof("event %s of employee %s skipped: %s", event.eventId(), event.employeeId(), reason);
      return new Result(
          changes,
          records.outcome(
              event, Outcome.SKIPPED, started, null, planned, changes, reason, accounts),
          null,
          null,
          journaled);
    }
    Log.infof(
        "event %s (%s) of employee %s completed: %d IAM changes, accounts %s",
        event.eventId(),
        event.type().wireName(),
        event.employeeId(),
        changes.size(),
        states(accounts));
    return new Result(
        changes,
        records.outcome(
            event, Outcome.COMPLETED, started, cutOffAt, planned, changes, null, accounts),
        null,
        null,
        journaled);
  }

  /**
   * What a rehire does not give back, said in the outcome: a reactivated user's credentials from
   * before the leave stay inactive (people issue new ones), and memberships of ignored groups
   * (break-glass) are Roster's to neither restore nor remove.
   */
  private List<String> rehireNotices(HrEvent event, AccountResult r) {
    UserState current = r.plan().current();
    if (event.type() != EventType.HIRE
        || current == null
        || !current.deactivated()
        || r.state() != AccountState.COMPLETED) {
      return List.of();
    }
    List<String> notices = new ArrayList<>();
    notices.add(
        "rehire: user "
            + current.userName()
            + " reactivated; its credentials from before the leave stay inactive (issue new ones)");
    Set<String> ignored = mapping.ignored(r.plan().account().name());
    List<String> held =
        current.groups().stream()
            .filter(g -> ignored.stream().anyMatch(i -> i.equalsIgnoreCase(g)))
            .sorted()
            .toList();
    if (!held.isEmpty()) {
      notices.add(
          "rehire: still a member of ignored group(s) "
              + held
              + ", which Roster never adds or removes: review them");
    } else if (!ignored.isEmpty()) {
      notices.add(
          "rehire: memberships of ignored groups "
              + new java.util.TreeSet<>(ignored)
              + " (break-glass) are not restored");
    }
    return notices;
  }

  private Result refused(HrEvent event, OffsetDateTime started, DlqReason reason, String detail) {
    String text = reason.wireName() + ": " + detail;
    Log.warnf("event %s of employee %s refused: %s", event.eventId(), event.employeeId(), text);
    List<AccountOutcome> accounts =
        mapping.accounts().values().stream()
            .map(a -> new AccountOutcome(a.id(), a.name(), AccountState.FAILED, text))
            .toList();
    return new Result(
        List.of(),
        records.outcome(event, Outcome.FAILED, started, null, 0, List.of(), text, accounts),
        reason,
        text,
        false);
  }

  private static String states(List<AccountOutcome> accounts) {
    return accounts.stream().map(a -> a.name() + "=" + a.state().wireName()).toList().toString();
  }

  /**
   * Publishes as applied what an earlier attempt of this event applied without publishing it (see
   * {@link Recovery}); returns how many. Only when every account could be read: otherwise the
   * intent stays in the journal (the result is not marked journaled by this) for a later delivery.
   */
  private int recover(
      HrEvent event,
      Intent earlier,
      List<AccountPlan> plans,
      Set<String> cut,
      List<IamChange> changes) {
    Map<String, UserState> current = new HashMap<>();
    Set<String> planned = new HashSet<>(cut); // put by this attempt's cut-off, published with it
    for (AccountPlan p : plans) {
      if (p.current() != null) {
        current.put(p.account().name(), p.current());
      }
      for (Operation op : p.operations()) {
        planned.add(ChangeRecords.changeId(event, p.account().id(), op));
      }
    }
    List<JournaledOp> applied = Recovery.applied(earlier, current, planned);
    applied.forEach(op -> changes.add(records.recovered(event, op)));
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
}
