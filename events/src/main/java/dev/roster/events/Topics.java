package dev.roster.events;

/** Kafka topic names: a contract between the services, reused by their tests. */
public final class Topics {
  /** HR events as accepted by hr-listener, keyed by employee id. */
  public static final String HR_EVENTS = "hr.events";

  /** HR events the provisioner could not process, with the reason in headers. */
  public static final String HR_EVENTS_DLQ = "hr.events.dlq";

  /** IAM changes and provisioning outcomes published by the provisioner, keyed by employee id. */
  public static final String IAM_CHANGES = "iam.changes";

  /**
   * Records the auditor could not store (unreadable, or refused by the database), as consumed, with
   * the reason in headers.
   */
  public static final String AUDIT_DLQ = "audit.dlq";

  /**
   * The provisioner's write-ahead journal (compacted, keyed by event id): the intended IAM
   * mutations of an event, recorded before the first one and tombstoned once the event's records
   * are published, so that a crash in between loses no change record. Internal to the provisioner.
   */
  public static final String PROVISIONER_JOURNAL = "provisioner.journal";

  /**
   * Signed chain heads of the audit log (compacted, one partition), published by the auditor so
   * that a rewrite of the database is detectable from outside it. Internal to the auditor.
   */
  public static final String AUDIT_ANCHORS = "audit.anchors";

  /**
   * The provisioner's held events (compacted, keyed by employee id, partition = the employee's
   * {@code hr.events} partition): per employee, the events waiting for their {@code effectiveAt}
   * and the retention deadlines of leavers. Internal to the provisioner.
   */
  public static final String PROVISIONER_SCHEDULED = "provisioner.scheduled";

  /**
   * HR snapshots as accepted by hr-listener ({@link SnapshotPart}s, then any {@link
   * SnapshotApproval}), keyed by snapshot id.
   */
  public static final String HR_SNAPSHOTS = "hr.snapshots";

  /**
   * Reconciliations and their differences published by the provisioner ({@link Reconciliation},
   * {@link Reconciliation.Difference}), keyed by reconciliation id.
   */
  public static final String RECONCILIATIONS = "reconciliations";

  /**
   * Review runs and their findings published by the provisioner ({@link Review}, {@link
   * Review.Finding}), keyed by review id.
   */
  public static final String REVIEWS = "reviews";

  /**
   * The provisioner's review state (compacted, one partition): the SCPs the last review saw, per
   * organization, for the next review to compare with, and the latest review start, so that of
   * several instances only one runs the scheduled review. Internal to the provisioner.
   */
  public static final String PROVISIONER_REVIEWS = "provisioner.reviews";

  private Topics() {}
}
