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

  /** Dead-letter headers on {@link Topics#HR_EVENTS_DLQ}: why the event could not be processed. */
  public static final String HEADER_DLQ_REASON = "dlq_reason";

  public static final String HEADER_DLQ_CAUSE = "dlq_cause";

  private CloudEvents() {}
}
