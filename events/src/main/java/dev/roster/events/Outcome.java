package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** What became of one HR event in the provisioner. */
public enum Outcome {
  COMPLETED("completed"),
  FAILED("failed"),
  /** Nothing to do: an older event than the last applied one, or no account concerned. */
  SKIPPED("skipped"),
  /**
   * Held until {@code effectiveAt}: nothing changed in IAM yet. A later outcome of the same event
   * (completed, failed, skipped or cancelled) replaces it.
   */
  SCHEDULED("scheduled"),
  /**
   * A pending event that a {@code cancel} rescinded (the outcome of the held event), or the
   * successful {@code cancel} itself. Nothing changed in IAM.
   */
  CANCELLED("cancelled");

  private final String wireName;

  Outcome(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public static Optional<Outcome> fromWire(String value) {
    return Arrays.stream(values()).filter(o -> o.wireName.equals(value)).findFirst();
  }

  @JsonCreator
  static Outcome fromJson(String value) {
    return fromWire(value)
        .orElseThrow(() -> new IllegalArgumentException("unknown outcome: " + value));
  }
}
