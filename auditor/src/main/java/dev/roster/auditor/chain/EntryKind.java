package dev.roster.auditor.chain;

import java.util.Arrays;
import java.util.Optional;

/** What one log entry records; the wire name is what the {@code kind} column stores. */
public enum EntryKind {
  /** An HR event as hr-listener published it on {@code hr.events}. */
  HR_EVENT("hr_event"),
  /** One IAM mutation the provisioner applied, failed or planned. */
  IAM_CHANGE("iam_change"),
  /** What the provisioner made of one HR event. */
  PROVISIONING_OUTCOME("provisioning_outcome");

  private final String wireName;

  EntryKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<EntryKind> fromWire(String value) {
    return Arrays.stream(values()).filter(k -> k.wireName.equals(value)).findFirst();
  }
}
