package dev.roster.provisioner.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Settings that take an ISO-8601 duration or {@code none} (e.g. retention, drift interval). */
public final class Durations {
  private Durations() {}

  /**
   * {@code value} as a duration ({@code P90D}, {@code PT3S}), or empty for {@code none}; a negative
   * or unreadable value is refused naming {@code key}.
   */
  public static Optional<Duration> orNone(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + ": must be an ISO-8601 duration or none");
    }
    if (value.trim().equalsIgnoreCase("none")) {
      return Optional.empty();
    }
    try {
      Duration d = Duration.parse(value.trim());
      if (d.isNegative()) {
        throw new IllegalArgumentException(key + ": must not be negative: " + value);
      }
      return Optional.of(d);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          key + ": '" + value + "' is not an ISO-8601 duration (e.g. P90D) nor none", e);
    }
  }
}
