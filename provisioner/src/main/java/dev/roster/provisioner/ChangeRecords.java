package dev.roster.provisioner;

import dev.roster.events.AccountOutcome;
import dev.roster.events.ChangeStatus;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMapping.Account;
import dev.roster.provisioner.journal.JournaledOp;
import dev.roster.provisioner.plan.IamAction;
import dev.roster.provisioner.plan.Operation;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Builds what the provisioner publishes about an event: one {@link IamChange} per mutation and the
 * {@link ProvisioningOutcome}. Every free text is cut to {@link #MAX_TEXT} characters, so that no
 * record can grow past the broker's size limit whatever IAM answers.
 *
 * <p>Adding a user to a group the mapping marks privileged in that account carries the mapping's
 * reason as {@code privilegedReason} (whatever the status: a failed or planned grant of such a
 * group is as much the auditors' business), so that the auditor keeps it as an entry of its own
 * kind.
 */
public final class ChangeRecords {
  /** Longest error, reason or account reason published. */
  public static final int MAX_TEXT = 1000;

  private final Clock clock;
  private final RoleMapping mapping;

  /** Records that never mark a change privileged (nothing granted, e.g. retention deletes). */
  public ChangeRecords(Clock clock) {
    this(clock, null);
  }

  public ChangeRecords(Clock clock, RoleMapping mapping) {
    this.clock = clock;
    this.mapping = mapping;
  }

  /**
   * The mapping's reason when {@code action} adds a user to a group it marks privileged in the
   * account with this id; null otherwise (the changes carry the id, the mapping names accounts).
   */
  String privilegedReason(String accountId, IamAction action, String group) {
    if (mapping == null || action != IamAction.ADD_USER_TO_GROUP || group == null) {
      return null;
    }
    return mapping.accounts().values().stream()
        .filter(a -> a.id().equals(accountId))
        .map(a -> mapping.privilegedReason(a.name(), group))
        .flatMap(Optional::stream)
        .findFirst()
        .map(ChangeRecords::truncate)
        .orElse(null);
  }

  public OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** The journal's entry for one planned operation, under its change id. */
  static JournaledOp journaled(HrEvent event, Account account, Operation op) {
    return JournaledOp.of(changeId(event, account.id(), op), account.name(), account.id(), op);
  }

  /** The journal's entries for every operation of the plans, in order. */
  static List<JournaledOp> journaled(HrEvent event, List<AccountPlan> plans) {
    List<JournaledOp> ops = new java.util.ArrayList<>();
    for (AccountPlan p : plans) {
      p.operations().forEach(op -> ops.add(journaled(event, p.account(), op)));
    }
    return ops;
  }

  public static String changeId(HrEvent event, String accountId, Operation op) {
    return ChangeIds.of(event.eventId(), accountId, op.action().apiName(), op.target());
  }

  public IamChange change(
      HrEvent event,
      String accountId,
      Operation op,
      ChangeStatus status,
      String error,
      String requestId) {
    return new IamChange(
        changeId(event, accountId, op),
        event.eventId(),
        event.employeeId(),
        accountId,
        op.action().apiName(),
        op.userName(),
        op.target(),
        status,
        truncate(error),
        requestId,
        now(),
        privilegedReason(accountId, op.action(), op.target()));
  }

  /** A mutation an earlier, crashed attempt applied (its request id died with it). */
  public IamChange recovered(HrEvent event, JournaledOp op) {
    return new IamChange(
        op.changeId(),
        event.eventId(),
        event.employeeId(),
        op.accountId(),
        op.action().apiName(),
        op.userName(),
        op.target(),
        ChangeStatus.APPLIED,
        null,
        null,
        now(),
        privilegedReason(op.accountId(), op.action(), op.target()));
  }

  public ProvisioningOutcome outcome(
      HrEvent event,
      Outcome outcome,
      OffsetDateTime started,
      OffsetDateTime cutOffAt,
      int planned,
      List<IamChange> changes,
      String reason,
      List<AccountOutcome> accounts) {
    int applied = (int) changes.stream().filter(c -> c.status() == ChangeStatus.APPLIED).count();
    int failed = (int) changes.stream().filter(c -> c.status() == ChangeStatus.FAILED).count();
    return new ProvisioningOutcome(
        event.eventId(),
        event.employeeId(),
        outcome,
        new ProvisioningOutcome.Counts(planned, applied, failed),
        started,
        cutOffAt,
        now(),
        truncate(reason),
        accounts.stream()
            .map(
                a ->
                    new AccountOutcome(
                        a.account(),
                        a.name(),
                        a.state(),
                        truncate(a.reason()),
                        a.cutOffVerified(),
                        a.notices().stream().map(ChangeRecords::truncate).toList()))
            .toList());
  }

  public static String truncate(String text) {
    if (text == null || text.length() <= MAX_TEXT) {
      return text;
    }
    return text.substring(0, MAX_TEXT - 1) + "…";
  }
}
