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
  PROVISIONING_OUTCOME("provisioning_outcome"),
  /**
   * An IAM change adding a user to a group the role mapping marks privileged in that account: the
   * columns of an {@link #IAM_CHANGE}, and the mapping's reason in {@code reason}.
   */
  PRIVILEGED_GRANT("privileged_grant");

  /** The kinds that are IAM changes (what {@code /v1/changes} lists without {@code kind}). */
  public static final java.util.List<EntryKind> CHANGES =
      java.util.List.of(IAM_CHANGE, PRIVILEGED_GRANT);

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
