package dev.roster.auditor.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.roster.events.EventJson;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.events.ProvisioningOutcome;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/** Wire events to log entry drafts: what the auditor keeps of each. */
public final class EntryMapper {
  private EntryMapper() {}

  /** The HR event, with its JSON as received kept in {@code payload} ("what did HR say"). */
  public static LogEntry hrEvent(HrEvent e) {
    require(e.eventId(), "eventId");
    require(e.employeeId(), "employeeId");
    require(e.type(), "type");
    require(e.occurredAt(), "occurredAt");
    return new LogEntry(
        0,
        EntryKind.HR_EVENT,
        null,
        null,
        null,
        e.eventId(),
        e.employeeId(),
        e.type().wireName(),
        instant(e.occurredAt()),
        instant(e.effectiveOrOccurred()),
        json(e),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        e.reason(),
        null,
        null);
  }

  /**
   * A change; with {@code privilegedReason} a {@link EntryKind#PRIVILEGED_GRANT} whose reason goes
   * to the {@code reason} column (inside the hash like every column).
   */
  public static LogEntry iamChange(IamChange c) {
    require(c.changeId(), "changeId");
    require(c.eventId(), "eventId");
    require(c.employeeId(), "employeeId");
    require(c.action(), "action");
    require(c.status(), "status");
    return new LogEntry(
        0,
        c.privilegedReason() == null ? EntryKind.IAM_CHANGE : EntryKind.PRIVILEGED_GRANT,
        null,
        null,
        null,
        c.eventId(),
        c.employeeId(),
        null,
        null,
        null,
        null,
        c.changeId(),
        c.account(),
        c.action(),
        c.userName(),
        c.target(),
        c.status().wireName(),
        c.error(),
        c.awsRequestId(),
        instant(c.at()),
        null,
        null,
        null,
        null,
        null,
        null,
        c.privilegedReason(),
        null,
        null);
  }

  /**
   * An outcome with the contract's per-account additions, read beside the record ({@code cutOffAt}
   * null when the deny-all is not in place everywhere, {@code accounts} null when the outcome has
   * no list). {@code effectiveAt} (outcome {@code scheduled}: when the held event will be applied)
   * goes to the {@code effective_at} column, so it is inside the hash like every column.
   */
  public static LogEntry outcome(
      ProvisioningOutcome o, OffsetDateTime cutOffAt, List<AccountOutcome> accounts) {
    require(o.eventId(), "eventId");
    require(o.employeeId(), "employeeId");
    require(o.outcome(), "outcome");
    ProvisioningOutcome.Counts counts = o.counts();
    return new LogEntry(
        0,
        EntryKind.PROVISIONING_OUTCOME,
        null,
        null,
        null,
        o.eventId(),
        o.employeeId(),
        null,
        null,
        // A scheduled outcome's due time, in the column the HR event's own effectiveAt uses.
        instant(o.effectiveAt()),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        o.outcome().wireName(),
        counts == null ? null : counts.planned(),
        counts == null ? null : counts.applied(),
        counts == null ? null : counts.failed(),
        instant(o.startedAt()),
        instant(o.completedAt()),
        o.reason(),
        instant(cutOffAt),
        AccountOutcome.canonical(accounts));
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static String json(HrEvent e) {
    try {
      return EventJson.mapper().writeValueAsString(e);
    } catch (JsonProcessingException ex) {
      throw new IllegalArgumentException("cannot serialise HR event " + e.eventId(), ex);
    }
  }

  private static void require(Object value, String field) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      throw new IllegalArgumentException("missing " + field);
    }
  }
}
