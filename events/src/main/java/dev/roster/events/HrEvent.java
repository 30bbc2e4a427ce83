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
    String reason) {

  /** When the change takes effect: {@code effectiveAt}, defaulting to {@code occurredAt}. */
  public OffsetDateTime effectiveOrOccurred() {
    return effectiveAt != null ? effectiveAt : occurredAt;
  }

  /** The same event with {@code effectiveAt} filled in, as hr-listener publishes it. */
  public HrEvent withDefaults() {
    return effectiveAt != null
        ? this
        : new HrEvent(eventId, type, employeeId, occurredAt, occurredAt, employee, reason);
  }
}
