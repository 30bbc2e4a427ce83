package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** How IAM differs from HR for one employee in one account. */
public enum DifferenceKind {
  /** An active employee the mapping gives access here has no user. */
  MISSING_USER("missing-user"),
  /** A mapped group the user is not in. */
  MISSING_GROUP("missing-group"),
  /** A group the user is in that the mapping does not give them (and not ignored). */
  EXTRA_GROUP("extra-group"),
  /**
   * Terminated or absent from the snapshot, yet the user lacks the deny-all policy or has an active
   * credential or console password.
   */
  LEAVER_WITH_ACCESS("leaver-with-access"),
  /** A Roster-owned user whose employee the snapshot does not list. */
  ORPHAN("orphan"),
  /** A policy attached to a Roster user other than {@code roster-deny-all}. */
  DIRECT_POLICY("direct-policy"),
  /** The user's Roster tags differ from what HR says. */
  TAG_MISMATCH("tag-mismatch"),
  /** A same-name user Roster does not own: only ever reported. */
  UNOWNED_CONFLICT("unowned-conflict");

  private final String wireName;

  DifferenceKind(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public static Optional<DifferenceKind> fromWire(String value) {
    return Arrays.stream(values()).filter(v -> v.wireName.equals(value)).findFirst();
  }

  @JsonCreator
  static DifferenceKind fromJson(String value) {
    return fromWire(value)
        .orElseThrow(() -> new IllegalArgumentException("unknown difference kind: " + value));
  }
}
