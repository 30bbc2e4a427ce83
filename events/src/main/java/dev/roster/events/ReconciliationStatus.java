package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Where a reconciliation stands; a later status record replaces an earlier one. */
public enum ReconciliationStatus {
  RUNNING("running"),
  COMPLETED("completed"),
  /** Stopped by the mass-change guard before any change; waits for an approval. */
  HELD("held"),
  /** Could not be finished (e.g. an account could not be read); {@code reason} says why. */
  FAILED("failed");

  private final String wireName;

  ReconciliationStatus(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public static Optional<ReconciliationStatus> fromWire(String value) {
    return Arrays.stream(values()).filter(v -> v.wireName.equals(value)).findFirst();
  }

  @JsonCreator
  static ReconciliationStatus fromJson(String value) {
    return fromWire(value)
        .orElseThrow(() -> new IllegalArgumentException("unknown reconciliation status: " + value));
  }
}
