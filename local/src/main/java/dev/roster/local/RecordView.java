package dev.roster.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.events.CloudEvents;
import dev.roster.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One Kafka record of Roster's topics as an operator reads it: time, event, employee, action,
 * account and outcome, as one human line or one JSON object. Reads the value leniently: a record
 * that is not valid JSON (as on a dead-letter topic) still shows its headers and key.
 */
final class RecordView {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Added by {@code ./roster dlq replay} to a replayed record: the dead letter it came from. */
  static final String HEADER_REPLAYED_FROM = "roster_replayed_from";

  /** ... and when it was replayed (ISO-8601 instant). */
  static final String HEADER_REPLAYED_AT = "roster_replayed_at";

  private RecordView() {}

  /** The fields, in the order the human line shows them; absent ones are {@code null}. */
  static Map<String, Object> fields(ConsumerRecord<String, String> r) {
    JsonNode v = parse(r.value());
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("time", Instant.ofEpochMilli(r.timestamp()).toString());
    f.put("topic", r.topic());
    f.put("partition", r.partition());
    f.put("offset", r.offset());
    String type = header(r, CloudEvents.HEADER_TYPE);
    f.put("eventId", firstText(v, "eventId", header(r, CloudEvents.HEADER_ID)));
    f.put("employeeId", firstText(v, "employeeId", r.key()));
    String action;
    String account = text(v, "account");
    String outcome;
    if (CloudEvents.IAM_CHANGE_TYPE.equals(type) || v.has("changeId")) {
      action = text(v, "action");
      outcome = text(v, "status");
      f.put("changeId", text(v, "changeId"));
      f.put("target", text(v, "target"));
    } else if (CloudEvents.OUTCOME_TYPE.equals(type) || v.has("outcome")) {
      action = "outcome";
      outcome = text(v, "outcome");
    } else {
      action = firstText(v, "type", type);
      outcome = null;
    }
    String reason = header(r, CloudEvents.HEADER_DLQ_REASON);
    if (reason != null) {
      outcome = "dlq:" + reason;
      f.put("dlqReason", reason);
      f.put("dlqCause", header(r, CloudEvents.HEADER_DLQ_CAUSE));
      f.put("dlqTopic", header(r, CloudEvents.HEADER_DLQ_TOPIC));
    }
    f.put("action", action);
    f.put("account", account);
    f.put("outcome", outcome);
    if (text(v, "reason") != null) {
      f.put("reason", text(v, "reason"));
    }
    String replayedFrom = header(r, HEADER_REPLAYED_FROM);
    if (replayedFrom != null) {
      f.put("replayedFrom", replayedFrom);
    }
    f.values().removeIf(java.util.Objects::isNull);
    return f;
  }

  /** {@code time topic event employee action account outcome}, dashes for what is absent. */
  static String line(ConsumerRecord<String, String> r) {
    Map<String, Object> f = fields(r);
    return String.format(
        "%-24s %-13s %-36s %-10s %-22s %-12s %s",
        f.get("time"),
        shortTopic(r.topic()),
        dash(f.get("eventId")),
        dash(f.get("employeeId")),
        dash(f.get("action")),
        dash(f.get("account")),
        dash(f.get("outcome"))
            + (f.containsKey("replayedFrom") ? " (replay of " + f.get("replayedFrom") + ")" : ""));
  }

  static String json(Map<String, Object> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String shortTopic(String topic) {
    return topic.equals(Topics.HR_EVENTS) ? "hr.events" : topic;
  }

  private static JsonNode parse(String value) {
    if (value == null || value.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode n = JSON.readTree(value);
      return n != null && n.isObject() ? n : JSON.createObjectNode();
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode();
    }
  }

  private static String text(JsonNode v, String field) {
    JsonNode n = v.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static String firstText(JsonNode v, String field, String fallback) {
    String t = text(v, field);
    return t != null ? t : fallback;
  }

  private static String dash(Object o) {
    return o == null ? "-" : o.toString();
  }
}
