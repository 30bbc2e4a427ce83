package dev.roster.provisioner.messaging;

import dev.roster.events.CloudEvents;
import dev.roster.events.EventValidator;
import dev.roster.events.HrEvent;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.events.Validation;
import dev.roster.provisioner.DlqReason;
import dev.roster.provisioner.ProvisionerMetrics;
import dev.roster.provisioner.iam.Fenced;
import dev.roster.provisioner.schedule.Schedule;
import dev.roster.provisioner.schedule.Timeline;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code hr.events}. Concurrency: the channel runs {@code concurrency} Kafka consumers of
 * one group, each on its own worker thread and handling its records one at a time. A partition
 * belongs to one consumer, and an employee's events share a partition (the key), so each employee's
 * events are applied strictly in order while different partitions proceed in parallel.
 *
 * <p>Held events (effective dating) and cancels go through the {@link Timeline}; the consumer
 * validates (a date-only {@code effectiveAt} read in the configured default zone unless the
 * employee has one) and hands each valid event over under the partition's schedule lock.
 *
 * <p>The method returns only after IAM is changed and every record is acknowledged by the broker;
 * only then is the record acknowledged, and the connector commits an offset only when every record
 * before it is acknowledged. A crash in between means redelivery, which plans zero operations for
 * what was applied; the write-ahead journal then supplies the change records of those mutations,
 * and its intent is marked done only after every record is acknowledged.
 */
@ApplicationScoped
public class HrEventsConsumer {
  private final Timeline timeline;
  private final Schedule schedule;
  private final Publisher publisher;
  private final ProvisionerMetrics metrics;

  private final PartitionFence fence;

  public HrEventsConsumer(
      Timeline timeline,
      Schedule schedule,
      Publisher publisher,
      ProvisionerMetrics metrics,
      @Identifier(PartitionFence.NAME) PartitionFence fence) {
    this.timeline = timeline;
    this.schedule = schedule;
    this.fence = fence;
    this.publisher = publisher;
    this.metrics = metrics;
  }

  @Incoming(Channels.HR_EVENTS)
  @Blocking // IAM calls and backoff block; never on the event loop
  public void consume(
      ConsumerRecord<String, String> record, IncomingKafkaRecordMetadata<String, String> metadata) {
    consume(record, metadata.getConsumerGroupGenerationId());
  }

  /** One record polled in consumer group generation {@code generation} (-1 if unknown). */
  void consume(ConsumerRecord<String, String> record, int generation) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    // The partition's timer and its consumer take turns: one employee's events one at a time.
    ReentrantLock lock = schedule.lock(record.partition());
    lock.lock();
    try {
      PartitionFence.Ticket ticket = fence.begin(partition, record.offset(), generation);
      if (ticket == null) {
        // Polled before the partition changed hands; its owner now reads it again.
        Log.debugf("%s@%d: partition no longer owned here, skipped", partition, record.offset());
        return;
      }
      boolean completed = false;
      try {
        handle(record, ticket);
        completed = true;
      } catch (Fenced f) {
        Log.warnf("%s@%d: %s", partition, record.offset(), f.getMessage());
      } finally {
        fence.end(ticket, completed);
      }
    } finally {
      lock.unlock();
    }
  }

  private void handle(ConsumerRecord<String, String> record, PartitionFence.Ticket ticket) {
    String value = record.value();
    Validation validation =
        EventValidator.validate(
            value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8),
            timeline.defaultZone());
    if (!validation.isValid()) {
      String errors =
          validation.errors().stream()
              .map(e -> (e.pointer().isEmpty() ? "/" : e.pointer()) + " " + e.reason())
              .collect(Collectors.joining("; "));
      rejectMalformed(record, errors);
      return;
    }
    HrEvent event = validation.event();
    if (record.key() != null && !record.key().equals(event.employeeId())) {
      // The key decides ordering: an event under another employee's key could overtake theirs.
      rejectMalformed(
          record, "record key " + record.key() + " differs from employeeId " + event.employeeId());
      return;
    }
    timeline.handle(record, event, ticket::owned);
  }

  private void rejectMalformed(ConsumerRecord<String, String> record, String errors) {
    String eventId = header(record, CloudEvents.HEADER_ID);
    if (eventId == null) {
      eventId = record.topic() + "-" + record.partition() + "@" + record.offset();
    }
    Log.warnf("record %s (key %s) is not a valid HR event: %s", eventId, record.key(), errors);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    ProvisioningOutcome outcome =
        new ProvisioningOutcome(
            eventId,
            record.key(),
            Outcome.FAILED,
            new ProvisioningOutcome.Counts(0, 0, 0),
            now,
            now,
            dev.roster.provisioner.ChangeRecords.truncate(
                DlqReason.MALFORMED.wireName() + ": " + errors));
    RecordDelivery delivery = new RecordDelivery(publisher, record);
    if (delivery.publish(List.of(), outcome)) {
      delivery.deadLetter(DlqReason.MALFORMED, errors);
    }
    metrics.malformed();
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
