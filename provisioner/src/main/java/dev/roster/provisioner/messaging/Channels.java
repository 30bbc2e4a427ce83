package dev.roster.provisioner.messaging;

/** Channel names (topics in application.properties), reused by tests. */
public final class Channels {
  /** {@code hr.events}, consumed. */
  public static final String HR_EVENTS = "hr-events";

  /** {@code iam.changes}: change records and outcomes. */
  public static final String IAM_CHANGES = "iam-changes";

  /** {@code hr.events.dlq}: events that could not be processed. */
  public static final String DLQ = "hr-events-dlq";

  /** {@code hr.snapshots}, consumed (group {@code roster-provisioner-reconcile}). */
  public static final String HR_SNAPSHOTS = "hr-snapshots";

  /** {@code reconciliations}: reconciliation status records and differences. */
  public static final String RECONCILIATIONS = "reconciliations";

  /** {@code reviews}: review status records and findings. */
  public static final String REVIEWS = "reviews";

  /** {@code ce_source} of everything the provisioner publishes. */
  public static final String SOURCE = "/roster/provisioner";

  private Channels() {}
}
