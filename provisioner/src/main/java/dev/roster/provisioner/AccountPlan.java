package dev.roster.provisioner;

import dev.roster.events.AccountState;
import dev.roster.provisioner.config.RoleMapping.Account;
import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.Plan;
import dev.roster.provisioner.plan.UserState;
import java.util.List;

/**
 * One account's part of an event, as read and planned: the user found (or null), the plan, whether
 * it cuts the user off, and, when the account is already decided without applying anything, its
 * state and reason.
 *
 * @param cuts the plan deactivates an existing user: its first step is the deny-all
 * @param readFailure why the full state could not be read (the plan is then the deny-all alone)
 * @param decided the account's state when nothing is to be applied here (skipped or failed)
 * @param dlqReason why the account failed, when {@code decided} is failed, or why its full read
 *     failed
 */
public record AccountPlan(
    Account account,
    UserState current,
    Plan plan,
    boolean cuts,
    String readFailure,
    AccountState decided,
    DlqReason dlqReason,
    String reason) {

  static AccountPlan planned(
      Account account,
      UserState current,
      Plan plan,
      boolean cuts,
      String readFailure,
      DlqReason readFailureReason) {
    return new AccountPlan(
        account, current, plan, cuts, readFailure, null, readFailureReason, null);
  }

  /** This plan with other operations, everything else as it is. */
  AccountPlan withOperations(List<Operation> operations) {
    return new AccountPlan(
        account,
        current,
        new Plan(plan.verdict(), operations, plan.reason()),
        cuts,
        readFailure,
        decided,
        dlqReason,
        reason);
  }

  static AccountPlan skipped(Account account, UserState current, String reason) {
    return new AccountPlan(
        account, current, Plan.apply(List.of()), false, null, AccountState.SKIPPED, null, reason);
  }

  static AccountPlan failed(
      Account account, UserState current, boolean cuts, DlqReason dlqReason, String reason) {
    return new AccountPlan(
        account,
        current,
        Plan.apply(List.of()),
        cuts,
        null,
        AccountState.FAILED,
        dlqReason,
        dlqReason.wireName() + ": " + reason);
  }

  /** Operations to apply here (none when decided). */
  public List<Operation> operations() {
    return decided == null ? plan.operations() : List.of();
  }

  /** Grants access (creates, adds, reactivates) rather than cutting it. */
  public boolean grants() {
    return decided == null && !cuts && !plan.operations().isEmpty();
  }
}
