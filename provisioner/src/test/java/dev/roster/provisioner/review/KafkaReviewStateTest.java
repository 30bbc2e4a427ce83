package dev.roster.provisioner.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.policy.review.ScpSnapshot;
import dev.roster.provisioner.review.KafkaReviewState.Current;
import dev.roster.provisioner.review.KafkaReviewState.Start;
import dev.roster.sandbox.kafka.EmbeddedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The review state on its compacted topic, shared by instances: what one kept another reads, and of
 * instances claiming the same turn one runs.
 */
class KafkaReviewStateTest {
  static EmbeddedKafka broker;

  @BeforeAll
  static void start() {
    broker = EmbeddedKafka.builder().build().start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  static KafkaReviewState instance() {
    return new KafkaReviewState(
        Map.of("bootstrap.servers", broker.bootstrapServers()), Duration.ofSeconds(30));
  }

  @Test
  void theScpsOneInstanceKeptAreWhatAnotherReadsAfterIt() {
    ScpSnapshot seen =
        new ScpSnapshot(Map.of("ou-1", List.of(new ScpSnapshot.Entry("p-1", "deny-iam", "abc"))));
    try (KafkaReviewState one = instance()) {
      assertThat(one.scps("999999999991")).isEmpty();
      one.scps("999999999991", seen);
    }
    try (KafkaReviewState other = instance()) {
      assertThat(other.scps("999999999991")).contains(seen);
      assertThat(other.scps("999999999992")).isEmpty();
    }
  }

  @Test
  void aTurnClaimedByAnyInstanceIsNotRunAgainWithinTheQuietTime() {
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    Duration quiet = Duration.ofHours(12);
    try (KafkaReviewState a = instance();
        KafkaReviewState b = instance()) {
      assertThat(a.claim("a-1", now, quiet)).isTrue();
      assertThat(b.claim("b-1", now.plusSeconds(60), quiet)).isFalse();
      assertThat(a.claim("a-2", now.plus(Duration.ofHours(11)), quiet)).isFalse();
      // Past the quiet time, whoever comes first runs; a review on demand counts as a start.
      assertThat(b.claim("b-2", now.plus(Duration.ofHours(13)), quiet)).isTrue();
      a.started("a-demand", now.plus(Duration.ofHours(30)));
      assertThat(b.claim("b-3", now.plus(Duration.ofHours(31)), quiet)).isFalse();
      assertThat(b.claim("b-4", now.plus(Duration.ofHours(43)), quiet)).isTrue();
    }
  }

  static Current at(long offset, String id, long after, boolean onDemand) {
    return new Current(offset, new Start(id, Instant.EPOCH, after, onDemand));
  }

  @Test
  void ofTwoClaimsFollowingTheSameStartTheFirstRuns() {
    // a and b both saw start 0 and claimed: a came first, b lost; c follows a.
    assertThat(
            KafkaReviewState.lastRun(
                List.of(at(0, "x", -1, false), at(1, "a", 0, false), at(2, "b", 0, false))))
        .map(c -> c.start().reviewId())
        .contains("a");
    assertThat(
            KafkaReviewState.lastRun(
                List.of(
                    at(0, "x", -1, false),
                    at(1, "a", 0, false),
                    at(2, "b", 0, false),
                    at(3, "c", 1, false))))
        .map(c -> c.start().reviewId())
        .contains("c");
    // On demand always ran; after compaction the one surviving record counts.
    assertThat(
            KafkaReviewState.lastRun(
                List.of(at(0, "x", -1, false), at(1, "a", 0, false), at(2, "d", 0, true))))
        .map(c -> c.start().reviewId())
        .contains("d");
    assertThat(KafkaReviewState.lastRun(List.of(at(7, "b", 3, false))))
        .map(c -> c.start().reviewId())
        .contains("b");
    assertThat(KafkaReviewState.lastRun(List.of())).isEmpty();
  }
}
