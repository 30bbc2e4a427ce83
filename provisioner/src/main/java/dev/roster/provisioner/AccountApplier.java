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
import dev.roster.provisioner.plan.Tags;
import io.quarkus.logging.Log;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Applies one account's plan, in its order (the deny-all first when it cuts), asking the fence
 * before every mutation. A failed call ends this account only: it is {@code cut_off} when the
 * deny-all is already in place, else {@code failed}.
 */
final class AccountApplier {
  private final IamGateway iam;
  private final UserIndex index;
  private final ChangeRecords records;

  AccountApplier(IamGateway iam, UserIndex index, ChangeRecords records) {
    this.iam = iam;
    this.index = index;
    this.records = records;
  }

  /**
   * What became of one account.
   *
   * @param cutOffAt when the deny-all was (found) in place, for an account the event cuts off
   * @param possiblyOpen the account may still give the person access the event takes away
   */
  record AccountResult(
      AccountPlan plan,
      AccountState state,
      String reason,
      DlqReason dlqReason,
      List<IamChange> changes,
      OffsetDateTime cutOffAt,
      boolean possiblyOpen) {}

  AccountResult apply(HrEvent event, AccountPlan p, BooleanSupplier owned) {
    if (p.decided() != null) {
      boolean open = p.decided() == AccountState.FAILED && p.cuts();
      return new AccountResult(p, p.decided(), p.reason(), p.dlqReason(), List.of(), null, open);
    }
    String account = p.account().name();
    String accountId = p.account().id();
    List<IamChange> changes = new ArrayList<>();
    List<Operation> ops = p.operations();
    OffsetDateTime cutOffAt =
        p.cuts() && ops.stream().noneMatch(AccountApplier::isDenyAll) ? records.now() : null;
    for (Operation op : ops) {
      if (!owned.getAsBoolean()) {
        throw new Fenced("event " + event.eventId());
      }
      try {
        AppliedChange result = iam.apply(account, op, owned);
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
        if (p.cuts() && isDenyAll(op)) {
          cutOffAt = records.now();
        }
      } catch (IamFailure f) {
        changes.add(
            records.change(
                event, accountId, op, ChangeStatus.FAILED, f.getMessage(), f.awsRequestId()));
        DlqReason reason = AccountReader.reason(f);
        AccountState state = cutOffAt != null ? AccountState.CUT_OFF : AccountState.FAILED;
        Log.warnf(
            "event %s of employee %s, account %s: %s failed (%s): %s",
            event.eventId(), event.employeeId(), account, op, state.wireName(), f.getMessage());
        return new AccountResult(
            p,
            state,
            reason.wireName() + ": " + f.getMessage(),
            reason,
            changes,
            cutOffAt,
            p.cuts() && cutOffAt == null);
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
          false);
    }
    return new AccountResult(p, AccountState.COMPLETED, null, null, changes, cutOffAt, false);
  }

  static boolean isDenyAll(Operation op) {
    return op.action() == IamAction.PUT_USER_POLICY && Tags.DENY_ALL_POLICY.equals(op.target());
  }
}
