package dev.roster.provisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.events.IamChange;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.provisioner.DlqReason;
import dev.roster.provisioner.FakeIamGateway;
import dev.roster.provisioner.Provisioner;
import dev.roster.provisioner.ProvisionerMetrics;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMappingLoader;
import dev.roster.provisioner.dispatch.Dispatcher;
import dev.roster.provisioner.iam.UserIndex;
import dev.roster.provisioner.journal.Intent;
import dev.roster.provisioner.journal.Journal;
import dev.roster.provisioner.schedule.InMemoryScheduleStore;
import dev.roster.provisioner.schedule.Retention;
import dev.roster.provisioner.schedule.Schedule;
import dev.roster.provisioner.schedule.Timeline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

/** The consumer as transport: what it publishes, dead-letters and finishes, record by record. */
class HrEventsConsumerTest {
  static final RoleMapping MAPPING = RoleMappingLoader.load(Path.of("../deploy/roles.yaml"));
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T10:00:00Z"), ZoneOffset.UTC);
  static final TopicPartition P0 = new TopicPartition("hr.events", 0);
  static final String HIRE =
      "{\"eventId\":\"ev-1\",\"type\":\"hire\",\"employeeId\":\"E1\","
          + "\"occurredAt\":\"2026-03-01T09:00:00Z\","
          + "\"employee\":{\"username\":\"jdoe\",\"roles\":[\"developer\"]}}";

  final FakeIamGateway iam =
      new FakeIamGateway()
          .group("dev", "all-staff", "developers")
          .group("staging", "readonly", "qa");
  final MockConsumer<String, String> kafka =
      new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
  final PartitionFence fence = PartitionFenceTest.fence(Duration.ofSeconds(1));
  final RecordingPublisher publisher = new RecordingPublisher();
  final RecordingJournal journal = new RecordingJournal();
  final Schedule schedule = new Schedule(new InMemoryScheduleStore());
  final ProvisionerMetrics metrics = new ProvisionerMetrics(new SimpleMeterRegistry());
  final HrEventsConsumer consumer =
      new HrEventsConsumer(
          new Timeline(
              new Provisioner(MAPPING, iam, new UserIndex(iam), journal, CLOCK),
              publisher,
              metrics,
              schedule,
              CLOCK,
              Duration.ofSeconds(1),
              ZoneOffset.UTC,
              new Retention(Optional.empty(), schedule, (p, e, entry, owned) -> {})),
          schedule,
          publisher,
          metrics,
          fence,
          new Dispatcher(1, 0, Runnable::run));

  {
    kafka.assign(List.of(P0));
    fence.onPartitionsAssigned(kafka, List.of(P0));
    schedule.assigned(List.of(P0.partition()), 1);
  }

  static ConsumerRecord<String, String> record(String json) {
    return new ConsumerRecord<>(P0.topic(), P0.partition(), 10L, "E1", json);
  }

  @Test
  void anOwnerFencedAfterItsLastMutationPublishesNothingAndLeavesTheIntentOpen() {
    // The partition is lost right after the hire's last IAM call returned.
    iam.afterApply =
        n -> {
          if (n == 5) {
            fence.onPartitionsLost(kafka, List.of(P0));
          }
        };

    consumer.consume(record(HIRE), kafka.groupMetadata().generationId());

    assertThat(iam.applied).hasSize(5);
    assertThat(publisher.published).as("the new owner publishes").isEmpty();
    assertThat(publisher.deadLetters).isEmpty();
    assertThat(journal.intents).as("no tombstone over the new owner's intent").containsKey("ev-1");
  }

  @Test
  void resultsTheBrokerRefusesForGoodGoToTheDlqAndThePartitionMovesOn() {
    publisher.failWith = new RuntimeException(new RecordTooLargeException("over max.request.size"));

    consumer.consume(record(HIRE), kafka.groupMetadata().generationId());

    assertThat(publisher.deadLetters).containsExactly(DlqReason.UNPUBLISHABLE);
  }

  @Test
  void aMalformedRecordWhoseOutcomeCannotBePublishedStillMovesThePartitionOn() {
    publisher.failWith = new RuntimeException(new RecordTooLargeException("over max.request.size"));

    consumer.consume(record("{\"eventId\":\"x\"}"), kafka.groupMetadata().generationId());

    assertThat(publisher.deadLetters).containsExactly(DlqReason.UNPUBLISHABLE);
  }

  @Test
  void kafkaFailingOtherwiseFailsTheRecordSoThatItIsRedelivered() {
    publisher.failWith = new IllegalStateException("no acknowledgement within 60 s");

    assertThatThrownBy(() -> consumer.consume(record(HIRE), kafka.groupMetadata().generationId()))
        .hasMessageContaining("acknowledgement");
    assertThat(publisher.deadLetters).isEmpty();
  }

  static final class RecordingPublisher extends Publisher {
    final List<ProvisioningOutcome> published = new ArrayList<>();
    final List<DlqReason> deadLetters = new ArrayList<>();
    RuntimeException failWith;

    RecordingPublisher() {
      super(null, null, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    @Override
    public void publish(List<IamChange> records, ProvisioningOutcome outcome) {
      if (failWith != null) {
        throw failWith;
      }
      published.add(outcome);
    }

    @Override
    public void deadLetter(ConsumerRecord<String, String> record, DlqReason reason, String cause) {
      deadLetters.add(reason);
    }
  }

  static final class RecordingJournal implements Journal {
    final Map<String, Intent> intents = new HashMap<>();

    @Override
    public Optional<Intent> unfinished(String eventId) {
      return Optional.ofNullable(intents.get(eventId));
    }

    @Override
    public void begin(Intent intent) {
      intents.put(intent.eventId(), intent);
    }

    @Override
    public void done(String eventId) {
      intents.remove(eventId);
    }
  }
}
