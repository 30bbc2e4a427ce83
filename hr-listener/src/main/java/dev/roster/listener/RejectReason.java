package dev.roster.listener;

/**
 * Why a request was refused: its HTTP status, RFC 9457 problem type and title, and the {@code
 * reason} tag of the {@code roster_events_rejected_total} metric.
 */
public enum RejectReason {
  MALFORMED_JSON(400, "malformed-json", "Malformed JSON"),
  INVALID_EVENT(400, "invalid-event", "Invalid event"),
  INVALID_BATCH(400, "invalid-batch", "Invalid batch"),
  MALFORMED_CSV(400, "malformed-csv", "Malformed CSV"),
  INVALID_SNAPSHOT(400, "invalid-snapshot", "Invalid snapshot"),
  INVALID_APPROVAL(400, "invalid-approval", "Invalid approval"),
  INVALID_PARAMETER(400, "invalid-parameter", "Invalid parameter"),
  SIGNATURE_MISSING(401, "invalid-signature", "Invalid signature"),
  SIGNATURE_MALFORMED(401, "invalid-signature", "Invalid signature"),
  SIGNATURE_STALE(401, "invalid-signature", "Invalid signature"),
  SIGNATURE_MISMATCH(401, "invalid-signature", "Invalid signature"),
  BODY_TOO_LARGE(413, "body-too-large", "Request body too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
  KAFKA_UNAVAILABLE(503, "kafka-unavailable", "Kafka did not acknowledge in time"),
  UNVERIFIED_BYTES_EXCEEDED(503, "overloaded", "Too many unverified bytes in flight"),
  SNAPSHOTS_IN_FLIGHT_EXCEEDED(503, "overloaded", "Too many snapshots in flight");

  private static final String TYPE_BASE = "https://roster.dev/problems/";

  private final int status;
  private final String slug;
  private final String title;

  RejectReason(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  /** The refusal for a signature that did not verify. */
  public static RejectReason of(dev.roster.events.SignatureVerdict verdict) {
    return switch (verdict) {
      case MISSING -> SIGNATURE_MISSING;
      case MALFORMED -> SIGNATURE_MALFORMED;
      case STALE -> SIGNATURE_STALE;
      case MISMATCH -> SIGNATURE_MISMATCH;
      case VALID -> throw new IllegalArgumentException("a valid signature is no refusal");
    };
  }

  public int status() {
    return status;
  }

  /** RFC 9457 {@code type}. */
  public String type() {
    return TYPE_BASE + slug;
  }

  public String title() {
    return title;
  }

  /** Metric tag value. */
  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
