package dev.roster.events;

/**
 * CloudEvents 1.0 binary mode on Kafka: the record value is the JSON payload, attributes are
 * headers. Names here are the contract every service and test reuses.
 */
public final class CloudEvents {
  public static final String SPEC_VERSION = "1.0";

  public static final String HEADER_SPEC_VERSION = "ce_specversion";
  public static final String HEADER_ID = "ce_id";
  public static final String HEADER_TYPE = "ce_type";
  public static final String HEADER_SOURCE = "ce_source";
  public static final String HEADER_TIME = "ce_time";
  public static final String HEADER_SUBJECT = "ce_subject";
  public static final String HEADER_CONTENT_TYPE = "content-type";
  public static final String CONTENT_TYPE_JSON = "application/json";

  /** Prefix of the HR event types: {@code dev.roster.hr.hire}, {@code ...role_change}, ... */
  public static final String HR_TYPE_PREFIX = "dev.roster.hr.";

  /** One IAM mutation ({@link IamChange}). */
  public static final String IAM_CHANGE_TYPE = "dev.roster.iam.change";

  /** One HR event's result ({@link ProvisioningOutcome}). */
  public static final String OUTCOME_TYPE = "dev.roster.provisioning.outcome";

  /** ce_type of a {@link SnapshotPart} on {@link Topics#HR_SNAPSHOTS}. */
  public static final String SNAPSHOT_PART_TYPE = "dev.roster.snapshot.part";

  /** ce_type of a {@link SnapshotApproval} on {@link Topics#HR_SNAPSHOTS}. */
  public static final String SNAPSHOT_APPROVAL_TYPE = "dev.roster.snapshot.approval";

  /** ce_type of a {@link Reconciliation} on {@link Topics#RECONCILIATIONS}. */
  public static final String RECONCILIATION_TYPE = "dev.roster.reconciliation";

  /** ce_type of a {@link Reconciliation.Difference} on {@link Topics#RECONCILIATIONS}. */
  public static final String DIFFERENCE_TYPE = "dev.roster.reconciliation.difference";

  /** ce_type of a {@link Review} on {@link Topics#REVIEWS}. */
  public static final String REVIEW_TYPE = "dev.roster.review";

  /** ce_type of a {@link Review.Finding} on {@link Topics#REVIEWS}. */
  public static final String FINDING_TYPE = "dev.roster.review.finding";

  /**
   * Dead-letter headers on {@link Topics#HR_EVENTS_DLQ} and {@link Topics#AUDIT_DLQ}, added to the
   * record's own: why it could not be processed (a short code) ...
   */
  public static final String HEADER_DLQ_REASON = "dlq_reason";

  /** ... the detail (error message, at most 1000 characters) ... */
  public static final String HEADER_DLQ_CAUSE = "dlq_cause";

  /** ... and where it was consumed from: topic, partition and offset (decimal). */
  public static final String HEADER_DLQ_TOPIC = "dlq_topic";

  public static final String HEADER_DLQ_PARTITION = "dlq_partition";
  public static final String HEADER_DLQ_OFFSET = "dlq_offset";

  private CloudEvents() {}
}
