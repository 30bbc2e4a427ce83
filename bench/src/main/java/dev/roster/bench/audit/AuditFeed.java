package dev.roster.bench.audit;

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
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the auditor consumes, as hr-listener and the provisioner publish it (CloudEvents binary
 * mode, key = employee id): one HR event, {@code changesPerEvent} IAM changes and one outcome per
 * "story", so every employee gets a realistic timeline.
 */
public final class AuditFeed {
  static final String[] ACTIONS = {
    "CreateUser", "TagUser", "AddUserToGroup", "RemoveUserFromGroup", "UpdateAccessKey"
  };
  static final String[] ACCOUNTS = {"111111111111", "222222222222", "333333333333"};

  /** Entries in the audit log per story. */
  public static int entriesPerStory(int changesPerEvent) {
    return changesPerEvent + 2;
  }

  /**
   * Publishes stories {@code first .. first + stories - 1} (distinct ids, so none is a duplicate)
   * for {@code employees} employees; returns the number of records sent.
   */
  public static long publish(
      String bootstrap,
      long first,
      long stories,
      int employees,
      int changesPerEvent,
      boolean withHrEvents) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    long sent = 0;
    OffsetDateTime base = OffsetDateTime.of(2026, 1, 1, 9, 0, 0, 0, ZoneOffset.UTC);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (long s = first; s < first + stories; s++) {
        String emp = "E" + (s % employees);
        String eventId = "evt-seed-" + s;
        OffsetDateTime at = base.plusSeconds(s);
        EventType type = EventType.values()[(int) (s / employees % 3)];
        if (withHrEvents) {
          HrEvent event =
              new HrEvent(
                  eventId,
                  type,
                  emp,
                  at,
                  at,
                  new Employee(
                      "user." + emp.toLowerCase(),
                      null,
                      null,
                      "Engineering",
                      "Engineer",
                      type == EventType.LEAVE ? null : List.of("developer")),
                  null);
          producer.send(
              record(Topics.HR_EVENTS, emp, eventId, type.cloudEventType(), at, json(event)));
          sent++;
        }
        for (int c = 0; c < changesPerEvent; c++) {
          String action = ACTIONS[c % ACTIONS.length];
          String account = ACCOUNTS[c % ACCOUNTS.length];
          String changeId = eventId + ":" + account + ":" + action + ":" + c;
          IamChange change =
              new IamChange(
                  changeId,
                  eventId,
                  emp,
                  account,
                  action,
                  "user." + emp.toLowerCase(),
                  "group-" + c,
                  ChangeStatus.APPLIED,
                  null,
                  "req-" + s + "-" + c,
                  at.plusNanos(1_000_000L * (c + 1)));
          producer.send(
              record(
                  Topics.IAM_CHANGES,
                  emp,
                  changeId,
                  CloudEvents.IAM_CHANGE_TYPE,
                  change.at(),
                  json(change)));
          sent++;
        }
        ProvisioningOutcome outcome =
            new ProvisioningOutcome(
                eventId,
                emp,
                Outcome.COMPLETED,
                new ProvisioningOutcome.Counts(changesPerEvent, changesPerEvent, 0),
                at,
                at.plusNanos(50_000_000L),
                null);
        producer.send(
            record(
                Topics.IAM_CHANGES,
                emp,
                eventId + ":outcome",
                CloudEvents.OUTCOME_TYPE,
                outcome.completedAt(),
                json(outcome)));
        sent++;
      }
      producer.flush();
    }
    return sent;
  }

  static byte[] json(Object value) {
    try {
      return EventJson.mapper().writeValueAsBytes(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ProducerRecord<String, byte[]> record(
      String topic, String key, String id, String type, OffsetDateTime time, byte[] value) {
    ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, value);
    Map<String, String> headers =
        Map.of(
            CloudEvents.HEADER_SPEC_VERSION,
            CloudEvents.SPEC_VERSION,
            CloudEvents.HEADER_ID,
            id,
            CloudEvents.HEADER_TYPE,
            type,
            CloudEvents.HEADER_SOURCE,
            "roster-bench",
            CloudEvents.HEADER_TIME,
            // RFC 3339 as CloudEvents requires: seconds always present.
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time),
            CloudEvents.HEADER_CONTENT_TYPE,
            CloudEvents.CONTENT_TYPE_JSON);
    headers.forEach(
        (k, v) -> r.headers().add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
    return r;
  }

  private AuditFeed() {}
}
