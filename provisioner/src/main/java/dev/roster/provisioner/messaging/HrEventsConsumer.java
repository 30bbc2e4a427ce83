package dev.roster.provisioner.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.events.CloudEvents;
import dev.roster.events.EventType;
import dev.roster.events.EventValidator;
import dev.roster.events.HrEvent;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.events.Validation;
import dev.roster.provisioner.DlqReason;
import dev.roster.provisioner.Provisioner.EarlyCut;
import dev.roster.provisioner.ProvisionerMetrics;
import dev.roster.provisioner.dispatch.Dispatcher;
import dev.roster.provisioner.iam.Fenced;
import dev.roster.provisioner.schedule.Schedule;
import dev.roster.provisioner.schedule.Timeline;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code hr.events}: transport only. Each record polled is handed to the {@link
 * Dispatcher} under its key (the employee id), so many employees' events run at once, each
 * employee's one after another in offset order, leaves first when the in-flight limit is reached;
 * the stream takes the next record only once this one is admitted, so a full dispatcher holds the
 * connector back (it pauses polling) instead of buffering without bound.
 *
 * <p>A leave is cut off as soon as it is taken in ({@link EarlyCutOffs}) unless an earlier event of
 * its employee is still pending, its turn going on from there.
 *
 * <p>Held events (effective dating) and cancels go through the {@link Timeline}; the record is
 * validated (a date-only {@code effectiveAt} read in the configured default zone unless the
 * employee has one) and each valid event handed over under the employee's schedule lock.
 *
 * <p>A record is acknowledged only after IAM is changed and every record it produced is
 * acknowledged by the broker, and the connector's throttled strategy commits an offset only when
 * every record before it is acknowledged: records finish in any order, the commit never passes one
 * that has not. A crash in between means redelivery, which plans zero operations for what was
 * applied; the write-ahead journal then supplies the change records of those mutations, and its
 * intent is marked done only after every record is acknowledged. A record that is skipped (polled
 * before its partition changed hands) or fenced is not acknowledged: the partition's owner reads it
 * again.
 */
@ApplicationScoped
public class HrEventsConsumer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Timeline timeline;
  private final Schedule schedule;
  private final Publisher publisher;
  private final ProvisionerMetrics metrics;

  private final PartitionFence fence;
  private final Dispatcher dispatcher;
  private final EarlyCutOffs early;

  /** Every leave cut off at its turn (tests). */
  public HrEventsConsumer(
      Timeline timeline,
      Schedule schedule,
      Publisher publisher,
      ProvisionerMetrics metrics,
      PartitionFence fence,
      Dispatcher dispatcher) {
    this(timeline, schedule, publisher, metrics, fence, dispatcher, EarlyCutOffs.NONE);
  }

  @jakarta.inject.Inject
  public HrEventsConsumer(
      Timeline timeline,
      Schedule schedule,
      Publisher publisher,
      ProvisionerMetrics metrics,
      @Identifier(PartitionFence.NAME) PartitionFence fence,
      Dispatcher dispatcher,
      EarlyCutOffs early) {
    this.timeline = timeline;
    this.schedule = schedule;
    this.fence = fence;
    this.publisher = publisher;
    this.metrics = metrics;
    this.dispatcher = dispatcher;
    this.early = early;
  }

  /**
   * Admits the record; the stage completes once the dispatcher took it (not when it is applied),
   * and the message is acknowledged when it is.
   */
  @Incoming(Channels.HR_EVENTS)
  @Acknowledgment(Acknowledgment.Strategy.MANUAL)
  public CompletionStage<Void> consume(Message<String> message) {
    @SuppressWarnings("unchecked")
    IncomingKafkaRecordMetadata<String, String> metadata =
        message.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow();
    ConsumerRecord<String, String> record = metadata.getRecord();
    int generation = metadata.getConsumerGroupGenerationId();
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    if (!fence.received(partition, record.offset(), generation)) {
      Log.debugf("%s@%d: partition no longer owned here, skipped", partition, record.offset());
      return CompletableFuture.completedFuture(null);
    }
    boolean leave = isLeave(record);
    String key = dispatchKey(record);
    // Its deny-alls now, whatever other employees' events wait before its turn; not ahead of an
    // earlier event of its own employee, whose order (and a redelivered hire's) it would change.
    if (leave && dispatcher.idle(key)) {
      early.start(record, generation);
    }
    return dispatcher.submit(
        key,
        leave,
        () -> {
          boolean completed;
          try {
            completed = consume(record, generation, early.take(record));
          } catch (RuntimeException e) {
            // Kafka itself failed: the channel fails (failure-strategy) and the record is read
            // again after the restart.
            message.nack(e);
            return;
          }
          if (completed) {
            message.ack();
          }
        });
  }

  /** Records without a key (invalid ones) go one after another per partition. */
  static String dispatchKey(ConsumerRecord<String, String> record) {
    return record.key() != null ? record.key() : "\u0000no-key-" + record.partition();
  }

  /** Whether the record is a leave (read loosely: an unreadable one is not, and fails later). */
  static boolean isLeave(ConsumerRecord<String, String> record) {
    if (record.value() == null) {
      return false;
    }
    try {
      return EventType.LEAVE.wireName().equals(JSON.readTree(record.value()).path("type").asText());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * One record polled in consumer group generation {@code generation} (-1 if unknown), on the
   * calling thread; true when it was handled to completion (to be acknowledged), false when it was
   * skipped or fenced (its partition's owner reads it again).
   */
  boolean consume(ConsumerRecord<String, String> record, int generation) {
    return consume(record, generation, Optional.empty());
  }

  private boolean consume(
      ConsumerRecord<String, String> record, int generation, Optional<EarlyCut> cut) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    PartitionFence.Ticket ticket = fence.begin(partition, record.offset(), generation);
    if (ticket == null) {
      // Polled before the partition changed hands; its owner now reads it again.
      Log.debugf("%s@%d: partition no longer owned here, skipped", partition, record.offset());
      return false;
    }
    boolean completed = false;
    try {
      handle(record, ticket, cut);
      completed = true;
    } catch (Fenced f) {
      Log.warnf("%s@%d: %s", partition, record.offset(), f.getMessage());
    } finally {
      fence.end(ticket, completed);
    }
    return completed;
  }

  private void handle(
      ConsumerRecord<String, String> record, PartitionFence.Ticket ticket, Optional<EarlyCut> cut) {
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
    // The timer and the consumer take turns per employee: one employee's events one at a time.
    try (Schedule.Held lock = schedule.lock(event.employeeId())) {
      timeline.handle(record, event, ticket::owned, cut);
    }
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
