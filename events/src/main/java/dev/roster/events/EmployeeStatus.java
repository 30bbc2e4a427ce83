package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** An employee's status in an HR snapshot. */
public enum EmployeeStatus {
  ACTIVE("active"),
  /** A leaver: must have no access in any account. */
  TERMINATED("terminated");

  private final String wireName;

  EmployeeStatus(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public static Optional<EmployeeStatus> fromWire(String value) {
    return Arrays.stream(values()).filter(v -> v.wireName.equals(value)).findFirst();
  }

  @JsonCreator
  static EmployeeStatus fromJson(String value) {
    return fromWire(value)
        .orElseThrow(() -> new IllegalArgumentException("unknown employee status: " + value));
  }
}
