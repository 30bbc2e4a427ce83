package dev.roster.provisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.provisioner.config.ProvisionerConfig;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The hand-over rules of a partition between consumers (the connector's callbacks, driven here).
 */
class PartitionFenceTest {
  static final TopicPartition P0 = new TopicPartition("hr.events", 0);
  static final TopicPartition P1 = new TopicPartition("hr.events", 1);

  final MockConsumer<String, String> consumer =
      new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
  final int generation = consumer.groupMetadata().generationId();

  {
    consumer.assign(List.of(P0, P1)); // the revoke callback runs while the consumer still has them
  }

  static PartitionFence fence(Duration drainTimeout) {
    ProvisionerConfig config =
        (ProvisionerConfig)
            Proxy.newProxyInstance(
                ProvisionerConfig.class.getClassLoader(),
                new Class<?>[] {ProvisionerConfig.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("revokeDrainTimeout")) {
                    return drainTimeout;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    return new PartitionFence(config);
  }

  @Test
  void recordsOfAPartitionNotOwnedHereOrPolledBeforeItsAssignmentAreStale() {
    PartitionFence fence = fence(Duration.ofSeconds(5));
    assertThat(fence.begin(P0, 10, generation)).as("never assigned").isNull();

    fence.onPartitionsAssigned(consumer, List.of(P0));
    assertThat(fence.begin(P0, 10, generation - 1)).as("polled in an older generation").isNull();
    assertThat(fence.begin(P1, 10, generation)).as("another partition").isNull();
    PartitionFence.Ticket ticket = fence.begin(P0, 10, generation);
    assertThat(ticket).isNotNull();
    assertThat(ticket.owned()).isTrue();
    fence.end(ticket, true);

    fence.onPartitionsRevoked(consumer, List.of(P0));
    assertThat(fence.begin(P0, 11, generation)).as("revoked").isNull();
  }

  @Test
  void aRevokeWaitsForTheEventInFlightAndCommitsPastIt() throws Exception {
    PartitionFence fence = fence(Duration.ofSeconds(10));
    fence.onPartitionsAssigned(consumer, List.of(P0, P1));
    PartitionFence.Ticket ticket = fence.begin(P0, 41, generation);

    CompletableFuture<Void> revoke =
        CompletableFuture.runAsync(() -> fence.onPartitionsRevoked(consumer, List.of(P0, P1)));
    await("held until the event is done")
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !revoke.isDone() && ticket.owned());

    fence.end(ticket, true);
    revoke.get(5, TimeUnit.SECONDS);
    assertThat(consumer.committed(Set.of(P0, P1)))
        .as("the new owner starts after the drained event; nothing was in flight on P1")
        .isEqualTo(Map.of(P0, new OffsetAndMetadata(42)));
  }

  @Test
  void aRevokeAlsoCommitsPastEventsCompletedJustBeforeIt() {
    // The connector hears of completion through an asynchronous acknowledgement, which a revoke
    // right after the event returned can overtake.
    PartitionFence fence = fence(Duration.ofSeconds(10));
    fence.onPartitionsAssigned(consumer, List.of(P0, P1));
    fence.end(fence.begin(P0, 5, generation), true);
    fence.end(fence.begin(P0, 6, generation), true);
    fence.end(fence.begin(P1, 3, generation), false);

    fence.onPartitionsRevoked(consumer, List.of(P0, P1));

    assertThat(consumer.committed(Set.of(P0, P1))).isEqualTo(Map.of(P0, new OffsetAndMetadata(7)));
  }

  @Test
  void whatWasCompletedUnderAnEarlierOwnershipIsNeverCommittedAgain() {
    PartitionFence fence = fence(Duration.ofSeconds(10));
    fence.onPartitionsAssigned(consumer, List.of(P0));
    fence.end(fence.begin(P0, 5, generation), true);
    fence.onPartitionsLost(consumer, List.of(P0));
    fence.onPartitionsAssigned(consumer, List.of(P0)); // back, after others moved it further

    fence.onPartitionsRevoked(consumer, List.of(P0));

    assertThat(consumer.committed(Set.of(P0))).as("would rewind the group").isEmpty();
  }

  @Test
  void anEventThatFailsWhileDrainedIsNotCommittedPast() throws Exception {
    PartitionFence fence = fence(Duration.ofSeconds(10));
    fence.onPartitionsAssigned(consumer, List.of(P0));
    PartitionFence.Ticket ticket = fence.begin(P0, 7, generation);

    CompletableFuture<Void> revoke =
        CompletableFuture.runAsync(() -> fence.onPartitionsRevoked(consumer, List.of(P0)));
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !revoke.isDone());
    fence.end(ticket, false);
    revoke.get(5, TimeUnit.SECONDS);

    assertThat(consumer.committed(Set.of(P0))).isEmpty();
  }

  @Test
  void anEventOutlivingTheDrainTimeoutIsFencedAndNotCommitted() {
    PartitionFence fence = fence(Duration.ofMillis(200));
    fence.onPartitionsAssigned(consumer, List.of(P0));
    PartitionFence.Ticket ticket = fence.begin(P0, 7, generation);

    fence.onPartitionsRevoked(consumer, List.of(P0));

    assertThat(ticket.owned()).isFalse();
    fence.end(ticket, true); // returns later, but was fenced: still not committed
    assertThat(consumer.committed(Set.of(P0))).isEmpty();
  }

  @Test
  void aLostPartitionFencesAtOnce() {
    PartitionFence fence = fence(Duration.ofSeconds(10));
    fence.onPartitionsAssigned(consumer, List.of(P0));
    PartitionFence.Ticket ticket = fence.begin(P0, 7, generation);

    fence.onPartitionsLost(consumer, List.of(P0));

    assertThat(ticket.owned()).isFalse();
    assertThat(fence.begin(P0, 8, generation)).isNull();
  }

  @Test
  void aRevokeWaitsForEveryEventInFlightOnThePartitionAndCommitsBelowTheLowestUnfinished()
      throws Exception {
    PartitionFence fence = fence(Duration.ofSeconds(10));
    fence.onPartitionsAssigned(consumer, List.of(P0));
    for (long offset = 20; offset <= 24; offset++) {
      assertThat(fence.received(P0, offset, generation)).isTrue();
    }
    // Employees' events run at once and finish in any order; 23 waits behind its employee's 20.
    PartitionFence.Ticket t20 = fence.begin(P0, 20, generation);
    PartitionFence.Ticket t21 = fence.begin(P0, 21, generation);
    PartitionFence.Ticket t22 = fence.begin(P0, 22, generation);
    PartitionFence.Ticket t24 = fence.begin(P0, 24, generation);
    fence.end(t22, true);
    fence.end(t24, true);

    CompletableFuture<Void> revoke =
        CompletableFuture.runAsync(() -> fence.onPartitionsRevoked(consumer, List.of(P0)));
    await("held while any of them runs")
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !revoke.isDone());
    fence.end(t21, true);
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !revoke.isDone() && t20.owned());
    fence.end(t20, true);
    revoke.get(5, TimeUnit.SECONDS);

    assertThat(fence.begin(P0, 23, generation)).as("the waiting one is skipped").isNull();
    assertThat(consumer.committed(Set.of(P0)))
        .as("23 never ran here: the new owner starts there, not after 24")
        .isEqualTo(Map.of(P0, new OffsetAndMetadata(23)));
  }

  @Test
  void eventsOutlivingTheDrainAreAllFencedAndTheCommitStopsBelowTheFirstOfThem() {
    PartitionFence fence = fence(Duration.ofMillis(200));
    fence.onPartitionsAssigned(consumer, List.of(P0));
    fence.received(P0, 30, generation);
    fence.received(P0, 31, generation);
    fence.received(P0, 32, generation);
    PartitionFence.Ticket t30 = fence.begin(P0, 30, generation);
    PartitionFence.Ticket t31 = fence.begin(P0, 31, generation);
    PartitionFence.Ticket t32 = fence.begin(P0, 32, generation);
    fence.end(t30, true);

    fence.onPartitionsRevoked(consumer, List.of(P0));

    assertThat(t31.owned()).isFalse();
    assertThat(t32.owned()).isFalse();
    fence.end(t32, true);
    assertThat(consumer.committed(Set.of(P0))).isEqualTo(Map.of(P0, new OffsetAndMetadata(31)));
  }

  @Test
  void aLostPartitionFencesEveryEventInFlight() {
    PartitionFence fence = fence(Duration.ofSeconds(10));
    fence.onPartitionsAssigned(consumer, List.of(P0, P1));
    PartitionFence.Ticket a = fence.begin(P0, 7, generation);
    PartitionFence.Ticket b = fence.begin(P0, 8, generation);
    PartitionFence.Ticket other = fence.begin(P1, 8, generation);

    fence.onPartitionsLost(consumer, List.of(P0));

    assertThat(a.owned()).isFalse();
    assertThat(b.owned()).isFalse();
    assertThat(other.owned()).as("another partition").isTrue();
    assertThat(fence.received(P0, 9, generation)).isFalse();
  }
}
