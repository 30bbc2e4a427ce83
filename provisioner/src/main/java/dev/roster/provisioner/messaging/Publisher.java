package dev.roster.provisioner.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.roster.events.CloudEventHeaders;
import dev.roster.events.CloudEvents;
import dev.roster.events.DeadLetterHeaders;
import dev.roster.events.EventJson;
import dev.roster.events.IamChange;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.events.Topics;
import dev.roster.provisioner.ChangeIds;
import dev.roster.provisioner.DlqReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes an event's results (CloudEvents binary mode: JSON value, attributes in headers) and
 * waits for the broker's acknowledgement (acks=all, idempotent producer), so that the consumed
 * offset is committed only once everything is durably published.
 */
@ApplicationScoped
public class Publisher {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

  private final MutinyEmitter<String> changes;
  private final MutinyEmitter<String> dlq;
  private final Map<DlqReason, Counter> deadLettered = new EnumMap<>(DlqReason.class);

  public Publisher(
      @Channel(Channels.IAM_CHANGES) MutinyEmitter<String> changes,
      @Channel(Channels.DLQ) MutinyEmitter<String> dlq,
      MeterRegistry registry) {
    this.changes = changes;
    this.dlq = dlq;
    // Every reason registered at start: an alert on a counter that has never moved still finds it.
    for (DlqReason reason : DlqReason.values()) {
      deadLettered.put(
          reason,
          Counter.builder("roster.dead.lettered")
              .description("Records published to a dead-letter topic (acknowledged by the broker)")
              .tag("topic", Topics.HR_EVENTS_DLQ)
              .tag("reason", reason.wireName())
              .register(registry));
    }
  }

  /** The change records then the outcome, on {@code iam.changes}, keyed by employee id. */
  public void publish(List<IamChange> records, ProvisioningOutcome outcome) {
    List<Uni<Void>> sends = new ArrayList<>();
    for (IamChange c : records) {
      sends.add(
          changes.sendMessage(
              cloudEvent(
                  c.employeeId(), c.changeId(), CloudEvents.IAM_CHANGE_TYPE, c.at(), json(c))));
    }
    String outcomeId = ChangeIds.of(outcome.eventId(), "", "outcome", "");
    sends.add(
        changes.sendMessage(
            cloudEvent(
                outcome.employeeId(),
                outcomeId,
                CloudEvents.OUTCOME_TYPE,
                outcome.completedAt(),
                json(outcome))));
    Uni.join().all(sends).andFailFast().replaceWithVoid().await().atMost(ACK_TIMEOUT);
  }

  /** The consumed record as it came, with the reason added to its headers. */
  public void deadLetter(ConsumerRecord<String, String> record, DlqReason reason, String cause) {
    dlq.sendMessage(deadLetterMessage(record, reason, cause)).await().atMost(ACK_TIMEOUT);
    deadLettered.get(reason).increment();
  }

  /** The record's own headers first, then the {@code dlq_*} ones every dead letter carries. */
  static Message<String> deadLetterMessage(
      ConsumerRecord<String, String> record, DlqReason reason, String cause) {
    RecordHeaders headers = new RecordHeaders();
    for (Header h : record.headers()) {
      headers.add(h);
    }
    DeadLetterHeaders.of(
            reason.wireName(), cause, record.topic(), record.partition(), record.offset())
        .forEach(headers::add);
    return Message.of(record.value() == null ? "" : record.value())
        .addMetadata(
            OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key())
                .withHeaders(headers)
                .build());
  }

  /** One CloudEvent in binary mode, its subject the record key (the employee id). */
  static Message<String> cloudEvent(
      String key, String id, String type, OffsetDateTime time, String json) {
    RecordHeaders headers = new RecordHeaders();
    CloudEventHeaders.of(id, type, Channels.SOURCE, time, key).forEach(headers::add);
    return Message.of(json)
        .addMetadata(
            OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key)
                .withHeaders(headers)
                .build());
  }

  private static String json(Object value) {
    try {
      return EventJson.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }
}
