package dev.roster.auditor.messaging;

/** Channel names of the auditor (topics in {@code application.properties}); tests reuse them. */
public final class Channels {
  /** {@code hr.events}: HR events as hr-listener accepted them. */
  public static final String HR_EVENTS = "hr-events";

  /** {@code iam.changes}: IAM changes and provisioning outcomes from the provisioner. */
  public static final String IAM_CHANGES = "iam-changes";

  /** {@code reconciliations}: reconciliation statuses and differences from the provisioner. */
  public static final String RECONCILIATIONS = "reconciliations";

  /** {@code reviews}: security review statuses and findings from the provisioner. */
  public static final String REVIEWS = "reviews";

  /** {@code audit.dlq}: records the auditor could not store, with the reason in headers. */
  public static final String AUDIT_DLQ = "audit-dlq";

  private Channels() {}
}
