package dev.roster.auditor;

import static dev.roster.auditor.Fixtures.api;
import static dev.roster.auditor.Fixtures.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.roster.auditor.messaging.AuditConsumer;
import dev.roster.auditor.messaging.DecodedEntry;
import dev.roster.events.ChangeStatus;
import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.events.Topics;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Nothing is lost: what the auditor cannot store lands on {@code audit.dlq} as it came, with why,
 * and never holds back the records around it.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class DeadLetterTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final OffsetDateTime T0 =
      OffsetDateTime.of(2026, 5, 1, 9, 0, 0, 0, ZoneOffset.UTC);
  private static final String REFUSED = "database-refused";

  @Inject AuditConsumer consumer;

  @Test
  void unreadableRecordsLandOnTheDlqAsTheyCameWithTheirReasonAndTheRecordsAfterThemAreStored() {
    String emp = Fixtures.id("E");
    HrEvent hire = Fixtures.hrEvent(emp, EventType.HIRE, T0, T0);
    IamChange after =
        Fixtures.change(hire, "111111111111", "CreateUser", "u", ChangeStatus.APPLIED, T0);
    ProducerRecord<String, String> badJson =
        new ProducerRecord<>(Topics.IAM_CHANGES, emp, "{not json");
    badJson.headers().add(CloudEvents.HEADER_TYPE, bytes(CloudEvents.IAM_CHANGE_TYPE));
    badJson.headers().add("x-trace", bytes("trace-1"));
    ProducerRecord<String, String> unknownType =
        new ProducerRecord<>(Topics.IAM_CHANGES, emp, "{}");
    unknownType.headers().add(CloudEvents.HEADER_TYPE, bytes("dev.roster.unknown"));
    double malformedBefore = deadLettered("malformed");

    List<RecordMetadata> landed =
        Fixtures.publishTogether(List.of(badJson, unknownType, Fixtures.record(after)));

    await()
        .atMost(WAIT)
        .until(
            () ->
                Fixtures.deadLetters(emp).size() == 2
                    && Fixtures.storedChanges(emp, "changeId").size() == 1);
    assertThat(Fixtures.storedChanges(emp, "changeId")).containsExactly(after.changeId());
    List<ConsumerRecord<String, String>> dead = Fixtures.deadLetters(emp);
    ConsumerRecord<String, String> json =
        dead.stream().filter(r -> "{not json".equals(r.value())).findFirst().orElseThrow();
    assertThat(header(json, CloudEvents.HEADER_DLQ_REASON)).isEqualTo("malformed");
    assertThat(header(json, CloudEvents.HEADER_DLQ_CAUSE)).isNotBlank();
    assertThat(header(json, CloudEvents.HEADER_DLQ_TOPIC)).isEqualTo(Topics.IAM_CHANGES);
    assertThat(header(json, CloudEvents.HEADER_DLQ_PARTITION))
        .isEqualTo(Integer.toString(landed.get(0).partition()));
    assertThat(header(json, CloudEvents.HEADER_DLQ_OFFSET))
        .isEqualTo(Long.toString(landed.get(0).offset()));
    assertThat(header(json, "x-trace")).isEqualTo("trace-1");
    assertThat(header(json, CloudEvents.HEADER_TYPE)).isEqualTo(CloudEvents.IAM_CHANGE_TYPE);
    ConsumerRecord<String, String> unknown =
        dead.stream().filter(r -> "{}".equals(r.value())).findFirst().orElseThrow();
    assertThat(header(unknown, CloudEvents.HEADER_DLQ_REASON)).isEqualTo("unknown-type");
    assertThat(header(unknown, CloudEvents.HEADER_DLQ_CAUSE)).contains("dev.roster.unknown");
    assertThat(header(unknown, CloudEvents.HEADER_DLQ_OFFSET))
        .isEqualTo(Long.toString(landed.get(1).offset()));
    await().atMost(WAIT).until(() -> deadLettered("malformed") - malformedBefore >= 1);
  }

  @Test
  void aChangeWithAFieldThisAuditorDoesNotKnowLandsOnTheDlqAsMalformed() {
    // What an older auditor does with a newer provisioner's record: it is kept, not misread.
    String emp = Fixtures.id("E");
    HrEvent hire = Fixtures.hrEvent(emp, EventType.HIRE, T0, T0);
    IamChange change =
        Fixtures.change(hire, "111111111111", "AddUserToGroup", "g", ChangeStatus.APPLIED, T0);
    ProducerRecord<String, String> known = Fixtures.record(change);
    String newer = known.value().replaceFirst("\\{", "{\"fieldFromANewerRelease\":\"x\",");
    ProducerRecord<String, String> unknownField =
        new ProducerRecord<>(known.topic(), null, known.key(), newer, known.headers());

    Fixtures.publishTogether(List.of(unknownField));

    await().atMost(WAIT).until(() -> Fixtures.deadLetters(emp).size() == 1);
    ConsumerRecord<String, String> dead = Fixtures.deadLetters(emp).get(0);
    assertThat(dead.value()).isEqualTo(newer);
    assertThat(header(dead, CloudEvents.HEADER_DLQ_REASON)).isEqualTo("malformed");
    assertThat(header(dead, CloudEvents.HEADER_DLQ_CAUSE)).contains("fieldFromANewerRelease");
    assertThat(Fixtures.storedChanges(emp, "changeId")).isEmpty();
  }

  @Test
  void aRecordTheDatabaseRefusesLandsOnTheDlqWhileTheGoodRecordsOfItsBatchAreStoredInOrder() {
    String emp = Fixtures.id("E");
    HrEvent hire = Fixtures.hrEvent(emp, EventType.HIRE, T0, T0);
    IamChange first = change(hire, "first", ChangeStatus.APPLIED, null);
    IamChange poison = change(hire, "poison", ChangeStatus.FAILED, "Access\u0000Denied");
    IamChange last = change(hire, "last", ChangeStatus.APPLIED, null);
    double before = deadLettered(REFUSED);

    List<RecordMetadata> landed =
        Fixtures.publishTogether(
            List.of(Fixtures.record(first), Fixtures.record(poison), Fixtures.record(last)));

    await().atMost(WAIT).until(() -> Fixtures.deadLetters(emp).size() == 1);
    await().atMost(WAIT).until(() -> Fixtures.storedChanges(emp, "changeId").size() == 2);
    await().atMost(WAIT).until(() -> deadLettered(REFUSED) - before == 1);
    // Newest first: the good records kept their order around the refused one.
    assertThat(Fixtures.storedChanges(emp, "changeId"))
        .containsExactly(last.changeId(), first.changeId());
    ConsumerRecord<String, String> dead = Fixtures.deadLetters(emp).get(0);
    assertThat(dead.value()).isEqualTo(json(poison));
    assertThat(header(dead, CloudEvents.HEADER_ID)).isEqualTo(poison.changeId());
    assertThat(header(dead, CloudEvents.HEADER_DLQ_REASON)).isEqualTo(REFUSED);
    assertThat(header(dead, CloudEvents.HEADER_DLQ_CAUSE)).startsWith("SQLState 22");
    assertThat(header(dead, CloudEvents.HEADER_DLQ_OFFSET))
        .isEqualTo(Long.toString(landed.get(1).offset()));
    api().get("/v1/integrity").then().statusCode(200).body("ok", org.hamcrest.Matchers.is(true));
  }

  @Test
  void aBatchWithSeveralRefusedRecordsStoresEveryGoodOneInOrderAndDeadLettersEachRefusedOne() {
    String emp = Fixtures.id("E");
    HrEvent hire = Fixtures.hrEvent(emp, EventType.HIRE, T0, T0);
    // NUL characters at 0, 17, 18 and 39; at 25 a change id too long for its unique index.
    Set<Integer> poisoned = Set.of(0, 17, 18, 25, 39);
    StringBuilder overLong = new StringBuilder();
    while (overLong.length() < 20_000) {
      overLong.append(UUID.randomUUID());
    }
    List<ConsumerRecord<String, DecodedEntry>> batch = new ArrayList<>();
    DecodedEntry.IamChanges deserializer = new DecodedEntry.IamChanges();
    List<String> good = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      boolean bad = poisoned.contains(i);
      IamChange c =
          i == 25
              ? change(hire, overLong.toString(), ChangeStatus.APPLIED, null)
              : change(hire, "t" + i, ChangeStatus.APPLIED, bad ? "nul\u0000byte " + i : null);
      // Offsets far beyond the real topic's: this batch is handed to the consumer directly.
      // Decoded as the channel's value deserializer decodes it on the polling thread.
      RecordHeaders headers = new RecordHeaders();
      headers.add(CloudEvents.HEADER_TYPE, bytes(CloudEvents.IAM_CHANGE_TYPE));
      DecodedEntry value = deserializer.deserialize(Topics.IAM_CHANGES, headers, bytes(json(c)));
      ConsumerRecord<String, DecodedEntry> r =
          new ConsumerRecord<>(Topics.IAM_CHANGES, 0, 1_000_000_000L + i, emp, value);
      headers.forEach(h -> r.headers().add(h));
      batch.add(r);
      if (!bad) {
        good.add(0, c.changeId());
      }
    }
    double before = deadLettered(REFUSED);

    consumer.iamChanges(
        new ConsumerRecords<>(Map.of(new TopicPartition(Topics.IAM_CHANGES, 0), batch), Map.of()));

    // The call returns only once every dead letter is acknowledged.
    assertThat(Fixtures.storedChanges(emp, "changeId")).containsExactlyElementsOf(good);
    Map<String, String> causeByOffset = new HashMap<>();
    Fixtures.deadLetters(emp)
        .forEach(
            r ->
                causeByOffset.put(
                    header(r, CloudEvents.HEADER_DLQ_OFFSET),
                    header(r, CloudEvents.HEADER_DLQ_CAUSE)));
    assertThat(causeByOffset)
        .containsOnlyKeys("1000000000", "1000000017", "1000000018", "1000000025", "1000000039");
    assertThat(causeByOffset.get("1000000017")).startsWith("SQLState 22021");
    assertThat(causeByOffset.get("1000000025")).startsWith("SQLState 54000");
    assertThat(deadLettered(REFUSED) - before).isEqualTo(5);
    api().get("/v1/integrity").then().statusCode(200).body("ok", org.hamcrest.Matchers.is(true));
  }

  private static IamChange change(HrEvent e, String target, ChangeStatus status, String error) {
    return new IamChange(
        e.eventId() + "/" + target,
        e.eventId(),
        e.employeeId(),
        "111111111111",
        "AddUserToGroup",
        "user-" + e.employeeId(),
        target,
        status,
        error,
        null,
        T0);
  }

  private static double deadLettered(String reason) {
    String line = "roster_auditor_dead_lettered_total{reason=\"" + reason + "\"}";
    return RestAssured.get("/q/metrics")
        .then()
        .extract()
        .asString()
        .lines()
        .filter(l -> l.startsWith(line))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static String json(Object value) {
    try {
      return EventJson.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
