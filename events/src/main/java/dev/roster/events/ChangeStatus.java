package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** What became of one planned IAM mutation. */
public enum ChangeStatus {
  APPLIED("applied"),
  FAILED("failed"),
  /** Dry-run: computed, not applied. */
  PLANNED("planned");

  private final String wireName;

  ChangeStatus(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public static Optional<ChangeStatus> fromWire(String value) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(value)).findFirst();
  }

  @JsonCreator
  static ChangeStatus fromJson(String value) {
    return fromWire(value)
        .orElseThrow(() -> new IllegalArgumentException("unknown change status: " + value));
  }
}
