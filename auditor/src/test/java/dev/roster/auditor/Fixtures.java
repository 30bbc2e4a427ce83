package dev.roster.auditor;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.roster.events.ChangeStatus;
import dev.roster.events.CloudEvents;
import dev.roster.events.Employee;
import dev.roster.events.EventJson;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.events.Topics;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes contract records the way hr-listener and the provisioner do, and calls the API. */
public final class Fixtures {
  public static final String USER = "auditor";
  public static final String PASSWORD = "auditor";

  private static KafkaProducer<String, String> producer;

  private Fixtures() {}

  /** A request authenticated as the auditor. */
  public static RequestSpecification api() {
    return given().auth().preemptive().basic(USER, PASSWORD);
  }

  public static String id(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  public static HrEvent hrEvent(
      String employeeId, EventType type, OffsetDateTime occurredAt, OffsetDateTime effectiveAt) {
    return new HrEvent(
        id("evt"),
        type,
        employeeId,
        occurredAt,
        effectiveAt,
        type == EventType.LEAVE
            ? null
            : new Employee(
                "u" + employeeId.hashCode(),
                "someone@example.com",
                "Some One",
                "Engineering",
                "Developer, \"senior\"",
                List.of("developer")),
        type == EventType.LEAVE ? "resigned" : null);
  }

  public static IamChange change(
      HrEvent event,
      String account,
      String action,
      String target,
      ChangeStatus status,
      OffsetDateTime at) {
    return new IamChange(
        event.eventId() + "/" + account + "/" + action + "/" + target,
        event.eventId(),
        event.employeeId(),
        account,
        action,
        "user-" + event.employeeId(),
        target,
        status,
        status == ChangeStatus.FAILED ? "AccessDenied: not allowed" : null,
        status == ChangeStatus.APPLIED ? UUID.randomUUID().toString() : null,
        at);
  }

  public static ProvisioningOutcome outcome(
      HrEvent event,
      Outcome outcome,
      OffsetDateTime startedAt,
      OffsetDateTime completedAt,
      int applied,
      int failed) {
    return new ProvisioningOutcome(
        event.eventId(),
        event.employeeId(),
        outcome,
        new ProvisioningOutcome.Counts(applied + failed, applied, failed),
        startedAt,
        completedAt,
        failed > 0 ? "1 change failed" : null);
  }

  public static void publish(HrEvent e) {
    send(Topics.HR_EVENTS, e.employeeId(), e.type().cloudEventType(), e.eventId(), e);
  }

  public static void publish(IamChange c) {
    send(Topics.IAM_CHANGES, c.employeeId(), CloudEvents.IAM_CHANGE_TYPE, c.changeId(), c);
  }

  public static void publish(ProvisioningOutcome o) {
    send(Topics.IAM_CHANGES, o.employeeId(), CloudEvents.OUTCOME_TYPE, o.eventId() + "/outcome", o);
  }

  /** A raw record, e.g. an unreadable one. */
  public static void publishRaw(String topic, String key, String ceType, String value) {
    ProducerRecord<String, String> r = new ProducerRecord<>(topic, key, value);
    if (ceType != null) {
      r.headers().add(CloudEvents.HEADER_TYPE, ceType.getBytes(StandardCharsets.UTF_8));
    }
    sendAndWait(r);
  }

  private static void send(String topic, String key, String type, String id, Object payload) {
    String json;
    try {
      json = EventJson.mapper().writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    ProducerRecord<String, String> r = new ProducerRecord<>(topic, key, json);
    r.headers()
        .add(
            CloudEvents.HEADER_SPEC_VERSION,
            CloudEvents.SPEC_VERSION.getBytes(StandardCharsets.UTF_8))
        .add(CloudEvents.HEADER_TYPE, type.getBytes(StandardCharsets.UTF_8))
        .add(CloudEvents.HEADER_ID, id.getBytes(StandardCharsets.UTF_8))
        .add(CloudEvents.HEADER_SOURCE, "/roster/test".getBytes(StandardCharsets.UTF_8))
        .add(
            CloudEvents.HEADER_CONTENT_TYPE,
            CloudEvents.CONTENT_TYPE_JSON.getBytes(StandardCharsets.UTF_8));
    sendAndWait(r);
  }

  private static synchronized void sendAndWait(ProducerRecord<String, String> r) {
    if (producer == null) {
      producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  KafkaTestResource.broker().bootstrapServers(),
                  ProducerConfig.ACKS_CONFIG,
                  "all",
                  ProducerConfig.LINGER_MS_CONFIG,
                  0),
              new StringSerializer(),
              new StringSerializer());
    }
    try {
      producer.send(r).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish test record", e);
    }
  }
}
