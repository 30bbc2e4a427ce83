package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** What the provisioner does with an HR snapshot's differences. */
public enum SnapshotMode {
  /** Find and report them; change nothing (the default). */
  REPORT("report"),
  /** Find, report and correct them (subject to the mass-change guard). */
  APPLY("apply");

  private final String wireName;

  SnapshotMode(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public static Optional<SnapshotMode> fromWire(String value) {
    return Arrays.stream(values()).filter(v -> v.wireName.equals(value)).findFirst();
  }

  @JsonCreator
  static SnapshotMode fromJson(String value) {
    return fromWire(value)
        .orElseThrow(() -> new IllegalArgumentException("unknown snapshot mode: " + value));
  }
}
