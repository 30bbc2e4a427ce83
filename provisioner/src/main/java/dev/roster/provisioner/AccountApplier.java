package dev.roster.provisioner;

import dev.roster.events.AccountState;
import dev.roster.events.ChangeStatus;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.provisioner.iam.Fenced;
import dev.roster.provisioner.iam.IamFailure;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.iam.IamGateway.AppliedChange;
import dev.roster.provisioner.iam.UserIndex;
import dev.roster.provisioner.plan.IamAction;
import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.Tiers;
import io.quarkus.logging.Log;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Applies one account's plan, in its order (the deny-all first when it cuts, then the cleanup in
 * {@link Tiers}, a bounded number of calls of a tier at once), asking the fence before every step
 * and every retry. A failed call ends this account only: it is {@code cut_off} when the deny-all is
 * already in place, else {@code failed}.
 */
final class AccountApplier {
  private final IamGateway iam;
  private final UserIndex index;
  private final ChangeRecords records;
  private final Executor writes;
  private final int writesPerUser;
  private final CutOffVerifier verifier;

  /**
   * @param writes runs the calls of a cleanup tier at the same time ({@code Runnable::run}: one
   *     after another)
   * @param writesPerUser at most this many calls on one user at once
   */
  AccountApplier(
      IamGateway iam,
      UserIndex index,
      ChangeRecords records,
      Executor writes,
      int writesPerUser,
      CutOffVerifier verifier) {
    this.iam = iam;
    this.verifier = verifier;
    this.index = index;
    this.records = records;
    this.writes = writes;
    this.writesPerUser = Math.max(1, writesPerUser);
  }

  /**
   * What became of one account.
   *
   * @param cutOffAt when the deny-all was (found) in place, for an account the event cuts off
   * @param possiblyOpen the account may still give the person access the event takes away
   * @param cutOffVerified for an account cut off ({@code cutOffAt} set): whether IAM's simulation
   *     confirmed it; else null
   */
  record AccountResult(
      AccountPlan plan,
      AccountState state,
      String reason,
      DlqReason dlqReason,
      List<IamChange> changes,
      OffsetDateTime cutOffAt,
      boolean possiblyOpen,
      Boolean cutOffVerified) {}

  AccountResult apply(HrEvent event, AccountPlan p, BooleanSupplier owned) {
    if (p.decided() != null) {
      boolean open = p.decided() == AccountState.FAILED && p.cuts();
      return new AccountResult(
          p, p.decided(), p.reason(), p.dlqReason(), List.of(), null, open, null);
    }
    String account = p.account().name();
    String accountId = p.account().id();
    List<IamChange> changes = new ArrayList<>();
    List<Operation> ops = p.operations();
    OffsetDateTime cutOffAt =
        p.cuts() && ops.stream().noneMatch(Operation::isDenyAll) ? records.now() : null;
    // A cut-off's cleanup runs in tiers, a few calls of a tier at once (IAM answers
    // ConcurrentModification to many writes on one user); anything else strictly in plan order.
    List<List<Operation>> steps =
        p.cuts() ? chunks(Tiers.of(ops), writesPerUser) : ops.stream().map(List::of).toList();
    for (List<Operation> step : steps) {
      if (!owned.getAsBoolean()) {
        throw new Fenced("event " + event.eventId());
      }
      List<Attempt> attempts = run(account, step, owned);
      IamFailure failure = null;
      for (Attempt a : attempts) {
        Operation op = a.op();
        if (a.failure() == null) {
          AppliedChange result = a.result();
          if (op.action() == IamAction.CREATE_USER && !result.planned()) {
            index.put(account, event.employeeId(), op.userName());
          }
          changes.add(
              records.change(
                  event,
                  accountId,
                  op,
                  result.planned() ? ChangeStatus.PLANNED : ChangeStatus.APPLIED,
                  null,
                  result.awsRequestId()));
          if (p.cuts() && op.isDenyAll() && !result.planned()) {
            cutOffAt = records.now(); // a dry run cuts nothing off
          }
        } else {
          IamFailure f = a.failure();
          changes.add(
              records.change(
                  event, accountId, op, ChangeStatus.FAILED, f.getMessage(), f.awsRequestId()));
          Log.warnf(
              "event %s of employee %s, account %s: %s failed: %s",
              event.eventId(), event.employeeId(), account, op, f.getMessage());
          failure = failure == null ? f : failure;
        }
      }
      if (failure != null) {
        DlqReason reason = AccountReader.reason(failure);
        AccountState state = cutOffAt != null ? AccountState.CUT_OFF : AccountState.FAILED;
        return new AccountResult(
            p,
            state,
            reason.wireName() + ": " + failure.getMessage(),
            reason,
            changes,
            cutOffAt,
            p.cuts() && cutOffAt == null,
            verified(event, p, cutOffAt));
      }
    }
    if (p.readFailure() != null) {
      // Only the deny-all was planned: cut off, the cleanup is left for a later delivery.
      return new AccountResult(
          p,
          AccountState.CUT_OFF,
          p.dlqReason().wireName() + ": " + p.readFailure(),
          p.dlqReason(),
          changes,
          cutOffAt,
          false,
          verified(event, p, cutOffAt));
    }
    return new AccountResult(
        p,
        AccountState.COMPLETED,
        null,
        null,
        changes,
        cutOffAt,
        false,
        verified(event, p, cutOffAt));
  }

  /** Once the deny-all is in place: does IAM itself deny the user everything? */
  private Boolean verified(HrEvent event, AccountPlan p, OffsetDateTime cutOffAt) {
    if (cutOffAt == null || p.current() == null) {
      return null;
    }
    return verifier.verify(event, p.account(), p.current().userName());
  }

  /** One call's result or its failure (a fence or a crash is thrown, not recorded). */
  private record Attempt(Operation op, AppliedChange result, IamFailure failure) {}

  /** The calls of one step, at the same time when there are several; results in step order. */
  private List<Attempt> run(String account, List<Operation> step, BooleanSupplier owned) {
    if (step.size() == 1) {
      return List.of(attempt(account, step.get(0), owned));
    }
    // All but the first on the write pool; the first on this thread, which would only wait.
    List<CompletableFuture<Attempt>> running =
        step.subList(1, step.size()).stream()
            .map(op -> CompletableFuture.supplyAsync(() -> attempt(account, op, owned), writes))
            .toList();
    List<Attempt> attempts = new ArrayList<>();
    RuntimeException thrown = null;
    try {
      attempts.add(attempt(account, step.get(0), owned));
    } catch (RuntimeException e) {
      thrown = e;
    }
    for (CompletableFuture<Attempt> r : running) {
      try {
        attempts.add(r.join());
      } catch (CompletionException e) {
        thrown = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e);
      }
    }
    if (thrown != null) {
      throw thrown;
    }
    return attempts;
  }

  private Attempt attempt(String account, Operation op, BooleanSupplier owned) {
    try {
      return new Attempt(op, iam.apply(account, op, owned), null);
    } catch (IamFailure f) {
      return new Attempt(op, null, f);
    }
  }

  /** Each tier cut into steps of at most {@code size} operations. */
  static List<List<Operation>> chunks(List<List<Operation>> tiers, int size) {
    List<List<Operation>> steps = new ArrayList<>();
    for (List<Operation> tier : tiers) {
      for (int i = 0; i < tier.size(); i += size) {
        steps.add(tier.subList(i, Math.min(tier.size(), i + size)));
      }
    }
    return steps;
  }
}
