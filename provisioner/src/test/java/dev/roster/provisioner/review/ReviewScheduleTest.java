package dev.roster.provisioner.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.events.ReconciliationStatus;
import dev.roster.events.Review;
import dev.roster.policy.review.HygieneReview;
import dev.roster.provisioner.FakeIamGateway;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMappingLoader;
import dev.roster.provisioner.guard.PrivilegeGuard;
import dev.roster.sandbox.kafka.EmbeddedKafka;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Two instances on the same schedule (the timer of each, one review state on a real broker of its
 * own): every turn one of them runs the review, never both.
 */
class ReviewScheduleTest {
  static final RoleMapping MAPPING =
      RoleMappingLoader.load(
          new ByteArrayInputStream(
              "accounts:\n  dev: { id: \"111111111111\" }\n".getBytes(StandardCharsets.UTF_8)),
          "test.yaml");

  /** Records what a run publishes. */
  static final class Recorded implements ReviewSink {
    final List<Review> statuses = new CopyOnWriteArrayList<>();

    @Override
    public void status(Review review) {
      statuses.add(review);
    }

    @Override
    public void findings(List<Review.Finding> findings) {}
  }

  static ReviewRunner instance(ReviewState state, ReviewSink sink, Duration every) {
    FakeIamGateway iam = new FakeIamGateway();
    ReviewRun run =
        new ReviewRun(
            MAPPING,
            iam,
            new PrivilegeGuard(MAPPING, iam),
            Optional.empty(),
            state,
            sink,
            HygieneReview.defaults(),
            Clock.systemUTC(),
            Runnable::run);
    return new ReviewRunner(run, state, Clock.systemUTC(), Optional.of(every), Duration.ZERO);
  }

  @Test
  void ofTwoInstancesOnOneScheduleOneRunsEachTurn() {
    Duration every = Duration.ofSeconds(2);
    Recorded sink = new Recorded();
    try (EmbeddedKafka broker = EmbeddedKafka.builder().build().start();
        KafkaReviewState one =
            new KafkaReviewState(
                Map.of("bootstrap.servers", broker.bootstrapServers()), Duration.ofSeconds(30));
        KafkaReviewState two =
            new KafkaReviewState(
                Map.of("bootstrap.servers", broker.bootstrapServers()), Duration.ofSeconds(30));
        ReviewRunner a = instance(one, sink, every);
        ReviewRunner b = instance(two, sink, every)) {
      a.start();
      b.start();
      await("three scheduled reviews")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  sink.statuses.stream()
                          .filter(r -> r.status() == ReconciliationStatus.COMPLETED)
                          .count()
                      >= 3);
    }
    List<Instant> starts =
        sink.statuses.stream()
            .filter(r -> r.status() == ReconciliationStatus.RUNNING)
            .map(r -> r.startedAt().toInstant())
            .sorted()
            .toList();
    // Both instances tick every turn; a second run within a turn would start within milliseconds.
    for (int i = 1; i < starts.size(); i++) {
      assertThat(Duration.between(starts.get(i - 1), starts.get(i)))
          .as("start %d after start %d", i, i - 1)
          .isGreaterThanOrEqualTo(every.dividedBy(2));
    }
    assertThat(starts).hasSizeGreaterThanOrEqualTo(3);
  }
}
