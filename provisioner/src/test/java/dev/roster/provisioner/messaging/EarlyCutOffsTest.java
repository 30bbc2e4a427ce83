package dev.roster.provisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.events.EventValidator;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.provisioner.FakeIamGateway;
import dev.roster.provisioner.Provisioner;
import dev.roster.provisioner.ProvisionerMetrics;
import dev.roster.provisioner.iam.UserIndex;
import dev.roster.provisioner.journal.Journal;
import dev.roster.provisioner.schedule.InMemoryScheduleStore;
import dev.roster.provisioner.schedule.Retention;
import dev.roster.provisioner.schedule.Schedule;
import dev.roster.provisioner.schedule.Timeline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A leave's deny-alls are put as soon as it is taken in, before its turn; its turn goes on from
 * there without putting them again. A leave the timeline would hold, or that is refused, is not cut
 * early.
 */
class EarlyCutOffsTest {
  static final String LEAVE =
      "{\"eventId\":\"ev-2\",\"type\":\"leave\",\"employeeId\":\"E1\","
          + "\"occurredAt\":\"2026-03-05T09:00:00Z\"}";

  final FakeIamGateway iam =
      new FakeIamGateway()
          .group("dev", "all-staff", "developers")
          .group("staging", "readonly", "qa");
  final MockConsumer<String, String> kafka =
      new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
  final PartitionFence fence = PartitionFenceTest.fence(Duration.ofSeconds(1));
  final HrEventsConsumerTest.RecordingPublisher publisher =
      new HrEventsConsumerTest.RecordingPublisher();
  final Schedule schedule = new Schedule(new InMemoryScheduleStore());
  final Provisioner provisioner =
      new Provisioner(
          HrEventsConsumerTest.MAPPING,
          iam,
          new UserIndex(iam),
          Journal.NONE,
          HrEventsConsumerTest.CLOCK);
  final Timeline timeline =
      new Timeline(
          provisioner,
          publisher,
          new ProvisionerMetrics(new SimpleMeterRegistry()),
          schedule,
          HrEventsConsumerTest.CLOCK,
          Duration.ofSeconds(1),
          ZoneOffset.UTC,
          new Retention(Optional.empty(), schedule, (p, e, entry, owned) -> {}));
  final ExecutorService threads = Executors.newFixedThreadPool(2);
  final EarlyCutOffs early = new EarlyCutOffs(provisioner, timeline, fence, threads);

  {
    kafka.assign(List.of(HrEventsConsumerTest.P0));
    fence.onPartitionsAssigned(kafka, List.of(HrEventsConsumerTest.P0));
    schedule.assigned(List.of(HrEventsConsumerTest.P0.partition()), 1);
    // E1 is a developer with users in dev and staging.
    provisioner.process(
        EventValidator.validate(
                HrEventsConsumerTest.HIRE.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                ZoneOffset.UTC)
            .event());
    iam.calls.clear();
  }

  @AfterEach
  void close() {
    threads.shutdownNow();
  }

  static ConsumerRecord<String, String> record(String json) {
    return new ConsumerRecord<>("hr.events", 0, 11L, "E1", json);
  }

  long denyAlls() {
    return iam.calls.stream().filter(c -> c.endsWith("PutUserPolicy")).count();
  }

  @Test
  void aLeaveIsCutOffWhenTakenInAndItsTurnDoesNotCutAgain() {
    ConsumerRecord<String, String> leave = record(LEAVE);

    early.start(leave, kafka.groupMetadata().generationId());

    // Nobody has taken the leave's turn yet: its deny-alls are in place in both accounts.
    await().atMost(Duration.ofSeconds(10)).until(() -> denyAlls() == 2);
    var cut = early.take(leave);
    assertThat(cut).isPresent();
    assertThat(cut.get().accountsCut()).containsOnly("dev", "staging");
    assertThat(early.pending()).isZero();

    timeline.handle(
        leave,
        EventValidator.validate(leave.value().getBytes(), ZoneOffset.UTC).event(),
        () -> true,
        cut);

    ProvisioningOutcome outcome = publisher.published.get(0);
    assertThat(outcome.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(outcome.cutOffAt()).isNotNull();
    assertThat(denyAlls()).as("each deny-all put once").isEqualTo(2);
    assertThat(iam.calls).anyMatch(c -> c.equals("apply dev RemoveUserFromGroup"));
  }

  @Test
  void aLeaveHeldForALaterEffectiveDateIsNotCutEarly() {
    ConsumerRecord<String, String> later =
        record(LEAVE.replace("}", ",\"effectiveAt\":\"2026-04-01T17:00:00Z\"}"));

    early.start(later, kafka.groupMetadata().generationId());

    assertThat(early.take(later)).isEmpty();
    assertThat(denyAlls()).isZero();
  }

  @Test
  void aLeaveOfAPartitionNoLongerOwnedIsNotCutEarly() {
    fence.onPartitionsLost(kafka, List.of(HrEventsConsumerTest.P0));

    early.start(record(LEAVE), kafka.groupMetadata().generationId());

    assertThat(early.take(record(LEAVE))).isEmpty();
    assertThat(denyAlls()).isZero();
  }
}
