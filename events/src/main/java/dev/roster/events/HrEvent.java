package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;

/**
 * One HR event: the contract between HR systems, hr-listener, the provisioner and the auditor.
 * Field names are fixed; fields may be added, none renamed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HrEvent(
    String eventId,
    EventType type,
    String employeeId,
    OffsetDateTime occurredAt,
    OffsetDateTime effectiveAt,
    Employee employee,
    String reason,
    String cancelsEventId) {

  /** An event that cancels nothing (every type but {@link EventType#CANCEL}). */
  public HrEvent(
      String eventId,
      EventType type,
      String employeeId,
      OffsetDateTime occurredAt,
      OffsetDateTime effectiveAt,
      Employee employee,
      String reason) {
    this(eventId, type, employeeId, occurredAt, effectiveAt, employee, reason, null);
  }

  /** When the change takes effect: {@code effectiveAt}, defaulting to {@code occurredAt}. */
  public OffsetDateTime effectiveOrOccurred() {
    return effectiveAt != null ? effectiveAt : occurredAt;
  }

  /**
   * The same event with {@code effectiveAt} filled in, as hr-listener publishes it. A cancel keeps
   * none: it takes effect when received, and the contract refuses the field on it.
   */
  public HrEvent withDefaults() {
    return effectiveAt != null || type == EventType.CANCEL
        ? this
        : new HrEvent(
            eventId, type, employeeId, occurredAt, occurredAt, employee, reason, cancelsEventId);
  }

  /**
   * Whether the event is due later than {@code now}: it is held and applied at {@code effectiveAt}.
   * A cancel is never held.
   */
  public boolean isDueAfter(java.time.Instant now) {
    return type != EventType.CANCEL && effectiveOrOccurred().toInstant().isAfter(now);
  }

  /** The employee's own time zone name, if the event carries one. */
  public String timeZone() {
    return employee == null ? null : employee.timeZone();
  }
}
