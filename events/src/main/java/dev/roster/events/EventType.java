package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** What HR says happened to an employee. The JSON value is the wire name. */
public enum EventType {
  HIRE("hire"),
  ROLE_CHANGE("role_change"),
  LEAVE("leave"),
  /**
   * Rescinds a pending (held, future-dated) event of the same employee, named by {@code
   * cancelsEventId}. Takes effect when received.
   */
  CANCEL("cancel");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** CloudEvents {@code ce_type} of this event on {@link Topics#HR_EVENTS}. */
  public String cloudEventType() {
    return CloudEvents.HR_TYPE_PREFIX + wireName;
  }

  public static Optional<EventType> fromWire(String value) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(value)).findFirst();
  }

  @JsonCreator
  static EventType fromJson(String value) {
    return fromWire(value)
        .orElseThrow(() -> new IllegalArgumentException("unknown event type: " + value));
  }
}
