package dev.roster.auditor;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.events.ChangeStatus;
import dev.roster.events.CloudEvents;
import dev.roster.events.Employee;
import dev.roster.events.EventJson;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.events.Reconciliation;
import dev.roster.events.Review;
import dev.roster.events.Topics;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes contract records the way hr-listener and the provisioner do, and calls the API. */
public final class Fixtures {
  public static final String USER = "auditor";
  public static final String PASSWORD = "auditor";

  private static KafkaProducer<String, String> producer;
  private static String producerBootstrap;

  private Fixtures() {}

  /** A request authenticated as the auditor. */
  public static RequestSpecification api() {
    return given().auth().preemptive().basic(USER, PASSWORD);
  }

  /** One field of each of the employee's stored changes ({@code /v1/changes}), newest first. */
  public static List<String> storedChanges(String employeeId, String field) {
    return api()
        .queryParam("employeeId", employeeId)
        .queryParam("limit", 1000)
        .get("/v1/changes")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items." + field, String.class);
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

  /** The same change as a grant of a privileged group, with the mapping's reason. */
  public static IamChange privileged(IamChange c, String reason) {
    return new IamChange(
        c.changeId(),
        c.eventId(),
        c.employeeId(),
        c.account(),
        c.action(),
        c.userName(),
        c.target(),
        c.status(),
        c.error(),
        c.awsRequestId(),
        c.at(),
        reason);
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

  /**
   * An outcome with the contract's {@code cutOffAt} (null: absent) and {@code accounts} (each
   * {@code account, name, state, reason}), added to the JSON whether or not {@link
   * ProvisioningOutcome} has them yet, as the provisioner publishes it.
   */
  public static void publish(
      ProvisioningOutcome o, OffsetDateTime cutOffAt, List<? extends Map<String, ?>> accounts) {
    ObjectNode json = EventJson.mapper().valueToTree(o);
    if (cutOffAt != null) {
      json.put("cutOffAt", cutOffAt.toString());
    }
    ArrayNode list = json.putArray("accounts");
    for (Map<String, ?> a : accounts) {
      ObjectNode entry = list.addObject();
      a.forEach((k, v) -> entry.set(k, EventJson.mapper().valueToTree(v)));
    }
    send(
        Topics.IAM_CHANGES,
        o.employeeId(),
        CloudEvents.OUTCOME_TYPE,
        o.eventId() + "/outcome",
        json);
  }

  /** One entry of an outcome's {@code accounts}. */
  public static Map<String, String> account(String id, String name, String state, String reason) {
    Map<String, String> a = new java.util.LinkedHashMap<>();
    a.put("account", id);
    a.put("name", name);
    a.put("state", state);
    if (reason != null) {
      a.put("reason", reason);
    }
    return a;
  }

  /** One entry of an outcome's {@code accounts}, with the provisioner's {@code cutOffVerified}. */
  public static Map<String, Object> account(
      String id, String name, String state, String reason, boolean cutOffVerified) {
    Map<String, Object> a = new java.util.LinkedHashMap<>(account(id, name, state, reason));
    a.put("cutOffVerified", cutOffVerified);
    return a;
  }

  /** A reconciliation status record as the provisioner publishes it, not yet sent. */
  public static ProducerRecord<String, String> record(Reconciliation r) {
    return cloudEvent(
        Topics.RECONCILIATIONS,
        r.reconciliationId(),
        CloudEvents.RECONCILIATION_TYPE,
        r.reconciliationId() + "/" + r.status().wireName(),
        r);
  }

  /** A difference record as the provisioner publishes it, not yet sent. */
  public static ProducerRecord<String, String> record(Reconciliation.Difference d) {
    return cloudEvent(
        Topics.RECONCILIATIONS,
        d.reconciliationId(),
        CloudEvents.DIFFERENCE_TYPE,
        UUID.randomUUID().toString(),
        d);
  }

  /** A review status record as the provisioner publishes it, not yet sent. */
  public static ProducerRecord<String, String> record(Review r) {
    return cloudEvent(
        Topics.REVIEWS,
        r.reviewId(),
        CloudEvents.REVIEW_TYPE,
        r.reviewId() + "/" + r.status().wireName(),
        r);
  }

  /** A finding record as the provisioner publishes it, not yet sent. */
  public static ProducerRecord<String, String> record(Review.Finding f) {
    return cloudEvent(
        Topics.REVIEWS,
        f.reviewId(),
        CloudEvents.FINDING_TYPE,
        f.reviewId() + "/" + f.findingId(),
        f);
  }

  public static RecordMetadata publish(Review r) {
    return sendAndWait(record(r));
  }

  public static RecordMetadata publish(Review.Finding f) {
    return sendAndWait(record(f));
  }

  public static RecordMetadata publish(Reconciliation r) {
    return sendAndWait(record(r));
  }

  public static RecordMetadata publish(Reconciliation.Difference d) {
    return sendAndWait(record(d));
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
    sendAndWait(cloudEvent(topic, key, type, id, payload));
  }

  /** A change as the provisioner publishes it, not yet sent. */
  public static ProducerRecord<String, String> record(IamChange c) {
    return cloudEvent(
        Topics.IAM_CHANGES, c.employeeId(), CloudEvents.IAM_CHANGE_TYPE, c.changeId(), c);
  }

  /**
   * Sends the records in one producer batch (one linger window, one flush), so that, on one
   * partition, the auditor fetches them in one poll; returns where each landed.
   */
  public static List<RecordMetadata> publishTogether(List<ProducerRecord<String, String>> records) {
    try (KafkaProducer<String, String> batching =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.broker().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                1000),
            new StringSerializer(),
            new StringSerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      records.forEach(r -> sent.add(batching.send(r)));
      batching.flush();
      List<RecordMetadata> landed = new ArrayList<>();
      for (Future<RecordMetadata> f : sent) {
        landed.add(f.get(30, TimeUnit.SECONDS));
      }
      return landed;
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish test records", e);
    }
  }

  /** Every record on {@code audit.dlq} with this key, from the beginning of the topic. */
  public static List<ConsumerRecord<String, String>> deadLetters(String key) {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.broker().bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new StringDeserializer(),
            new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.AUDIT_DLQ).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, String>> found = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
          if (key.equals(r.key())) {
            found.add(r);
          }
        }
      }
      return found;
    }
  }

  /** The last value of a header, or null. */
  public static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static ProducerRecord<String, String> cloudEvent(
      String topic, String key, String type, String id, Object payload) {
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
    return r;
  }

  private static synchronized RecordMetadata sendAndWait(ProducerRecord<String, String> r) {
    String bootstrap = KafkaTestResource.broker().bootstrapServers();
    if (producer != null && !bootstrap.equals(producerBootstrap)) {
      // Another test resource set started another broker.
      producer.close();
      producer = null;
    }
    if (producer == null) {
      producerBootstrap = bootstrap;
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
      return producer.send(r).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish test record", e);
    }
  }
}
