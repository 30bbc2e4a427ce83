package dev.roster.provisioner.preview;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.roster.events.AccountState;
import dev.roster.events.HrEvent;
import dev.roster.provisioner.AccountPlan;
import dev.roster.provisioner.Provisioner;
import dev.roster.provisioner.plan.Operation;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What {@code POST /v1/preview} answers: the exact IAM calls the event would make now, per account
 * in the mapping's order and per account in the order they would be sent, with nothing applied.
 *
 * @param refused why the event would be refused as a whole (then no account is read), else absent
 * @param heldUntil the event would be held until then ({@code effectiveAt} ahead); the calls are
 *     those it would make if it applied now
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PreviewPlan(
    String eventId,
    String type,
    String employeeId,
    OffsetDateTime heldUntil,
    String refused,
    List<AccountPreview> accounts) {

  /**
   * One account.
   *
   * @param state {@code planned} (calls to make), {@code converged} (nothing to do), {@code
   *     skipped} (e.g. older than the user's last event) or {@code failed} (e.g. a user Roster does
   *     not own); {@code reason} says why for the last two
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AccountPreview(
      String account, String name, String state, String reason, List<Call> calls) {}

  /** One IAM call: its action (IAM's API name), the user and what it acts on. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Call(String action, String userName, String target) {}

  static PreviewPlan refused(HrEvent event, Provisioner.Refusal refusal) {
    return new PreviewPlan(
        event.eventId(),
        event.type().wireName(),
        event.employeeId(),
        null,
        refusal.reason().wireName() + ": " + refusal.detail(),
        List.of());
  }

  static PreviewPlan of(HrEvent event, OffsetDateTime heldUntil, List<AccountPlan> plans) {
    return new PreviewPlan(
        event.eventId(),
        event.type().wireName(),
        event.employeeId(),
        heldUntil,
        null,
        plans.stream().map(PreviewPlan::account).toList());
  }

  private static AccountPreview account(AccountPlan p) {
    List<Call> calls = p.operations().stream().map(PreviewPlan::call).toList();
    String state;
    if (p.decided() == AccountState.SKIPPED) {
      state = "skipped";
    } else if (p.decided() == AccountState.FAILED) {
      state = "failed";
    } else {
      state = calls.isEmpty() ? "converged" : "planned";
    }
    return new AccountPreview(
        p.account().id(),
        p.account().name(),
        state,
        p.decided() == null ? p.readFailure() : p.reason(),
        calls);
  }

  private static Call call(Operation op) {
    return new Call(op.action().apiName(), op.userName(), op.target());
  }
}
