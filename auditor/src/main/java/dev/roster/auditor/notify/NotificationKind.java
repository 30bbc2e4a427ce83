package dev.roster.auditor.notify;

import java.util.Arrays;
import java.util.Optional;

/** What a notification is about; the wire name is its {@code kind} field and metric tag. */
public enum NotificationKind {
  /** A leave's outcome with an account failed or not cut off, or without a cut-off time. */
  CUT_OFF_FAILED("cut-off-failed"),
  /** A leave cut off everywhere, but IAM's policy simulation did not confirm it in an account. */
  CUT_OFF_UNVERIFIED("cut-off-unverified"),
  /** A reconciliation held by the mass-change guard: it waits for a signed approval. */
  RECONCILIATION_HELD("reconciliation-held"),
  /** A security-review finding the auditor had never stored before. */
  NEW_FINDING("new-finding");

  private final String wireName;

  NotificationKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<NotificationKind> fromWire(String value) {
    return Arrays.stream(values()).filter(k -> k.wireName.equals(value)).findFirst();
  }
}
