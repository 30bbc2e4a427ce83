package dev.roster.provisioner;

/**
 * Why an HR event went to {@code hr.events.dlq}; the wire name is the {@code dlq_reason} header.
 */
public enum DlqReason {
  /** Not a valid HR event (JSON, contract rules, or key differing from employeeId). */
  MALFORMED("malformed"),
  /** A role the mapping does not know: granting only part of the access would be a guess. */
  UNKNOWN_ROLE("unknown-role"),
  /** A user of that name exists that is not Roster's, or is another employee's. */
  UNMANAGED_USER("unmanaged-user"),
  /** A mapped group does not exist in IAM (groups belong to the platform team). */
  MISSING_GROUP("missing-group"),
  /** IAM kept failing transiently after every retry. */
  RETRIES_EXHAUSTED("retries-exhausted"),
  /** IAM refused a call (not transient). */
  IAM_ERROR("iam-error"),
  /** A leave found no user of the employee in any account: access may be open elsewhere. */
  NOT_FOUND("not-found"),
  /** {@code occurredAt} is more than 5 minutes ahead of the provisioner's clock. */
  FUTURE_OCCURRED_AT("future-occurred-at"),
  /**
   * It would add someone to a group whose policies allow IAM escalation and that the role mapping
   * does not mark privileged.
   */
  PRIVILEGED_GROUP("privileged-group"),
  /** A cancel named an event that is not pending (already applied, cancelled, or unknown). */
  NOT_PENDING("not-pending"),
  /**
   * A hire's username is still held by a deactivated user of another employee (released when
   * retention deletes it).
   */
  USERNAME_HELD("username-held"),
  /** Its results could not be published (e.g. a record over the broker's size limit). */
  UNPUBLISHABLE("unpublishable");

  private final String wireName;

  DlqReason(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
