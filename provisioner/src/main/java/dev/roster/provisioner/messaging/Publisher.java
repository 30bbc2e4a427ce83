package dev.roster.provisioner.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.IamChange;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.provisioner.ChangeIds;
import dev.roster.provisioner.DlqReason;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
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

  public Publisher(
      @Channel(Channels.IAM_CHANGES) MutinyEmitter<String> changes,
      @Channel(Channels.DLQ) MutinyEmitter<String> dlq) {
    this.changes = changes;
    this.dlq = dlq;
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
    RecordHeaders headers = new RecordHeaders();
    for (Header h : record.headers()) {
      headers.add(h);
    }
    headers.add(CloudEvents.HEADER_DLQ_REASON, bytes(reason.wireName()));
    headers.add(CloudEvents.HEADER_DLQ_CAUSE, bytes(truncate(cause)));
    headers.add("dlq_topic", bytes(record.topic()));
    headers.add("dlq_partition", bytes(Integer.toString(record.partition())));
    headers.add("dlq_offset", bytes(Long.toString(record.offset())));
    Message<String> message =
        Message.of(record.value() == null ? "" : record.value())
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(record.key())
                    .withHeaders(headers)
                    .build());
    dlq.sendMessage(message).await().atMost(ACK_TIMEOUT);
  }

  private static Message<String> cloudEvent(
      String key, String id, String type, OffsetDateTime time, String json) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(CloudEvents.HEADER_SPEC_VERSION, bytes(CloudEvents.SPEC_VERSION));
    headers.add(CloudEvents.HEADER_ID, bytes(id));
    headers.add(CloudEvents.HEADER_TYPE, bytes(type));
    headers.add(CloudEvents.HEADER_SOURCE, bytes(Channels.SOURCE));
    headers.add(CloudEvents.HEADER_TIME, bytes(time.toString()));
    headers.add(CloudEvents.HEADER_SUBJECT, bytes(key));
    headers.add(CloudEvents.HEADER_CONTENT_TYPE, bytes(CloudEvents.CONTENT_TYPE_JSON));
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

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String truncate(String s) {
    String value = s == null ? "" : s;
    return value.length() <= 1000 ? value : value.substring(0, 1000);
  }
}
