package dev.roster.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code dlq_*} headers a dead letter carries on {@link Topics#HR_EVENTS_DLQ} and {@link
 * Topics#AUDIT_DLQ}, added to the consumed record's own headers. One builder for both topics, so
 * that the names ({@link CloudEvents#HEADER_DLQ_REASON} ...) and the encoding of each value cannot
 * drift apart: alerting and replay tools read them.
 */
public final class DeadLetterHeaders {
  /** Longest {@code dlq_cause} written; a longer detail is cut, never the record. */
  public static final int MAX_CAUSE = 1000;

  private DeadLetterHeaders() {}

  /**
   * {@code dlq_reason}, {@code dlq_cause} (at most {@link #MAX_CAUSE} characters, empty when
   * unknown), {@code dlq_topic}, {@code dlq_partition} and {@code dlq_offset} (decimal).
   */
  public static Map<String, byte[]> of(
      String reason, String cause, String topic, int partition, long offset) {
    Map<String, byte[]> headers = new LinkedHashMap<>();
    CloudEventHeaders.put(headers, CloudEvents.HEADER_DLQ_REASON, reason);
    CloudEventHeaders.put(headers, CloudEvents.HEADER_DLQ_CAUSE, truncate(cause));
    CloudEventHeaders.put(headers, CloudEvents.HEADER_DLQ_TOPIC, topic);
    CloudEventHeaders.put(headers, CloudEvents.HEADER_DLQ_PARTITION, Integer.toString(partition));
    CloudEventHeaders.put(headers, CloudEvents.HEADER_DLQ_OFFSET, Long.toString(offset));
    return Collections.unmodifiableMap(headers);
  }

  private static String truncate(String cause) {
    String value = cause == null ? "" : cause;
    return value.length() <= MAX_CAUSE ? value : value.substring(0, MAX_CAUSE);
  }
}
