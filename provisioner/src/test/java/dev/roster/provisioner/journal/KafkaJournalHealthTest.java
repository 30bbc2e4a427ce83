package dev.roster.provisioner.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.sandbox.kafka.EmbeddedKafka;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The journal's readiness against a real broker: ready once its reader has caught up, not ready
 * while the broker is gone or after the reader stopped, ready again when the broker is back.
 */
class KafkaJournalHealthTest {
  static final Duration WITHIN = Duration.ofSeconds(2);

  EmbeddedKafka broker;
  KafkaJournal journal;

  @BeforeEach
  void start() {
    broker = EmbeddedKafka.builder().build().start();
    journal =
        new KafkaJournal(
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                Duration.ofSeconds(10))
            .start();
  }

  @AfterEach
  void stop() {
    if (journal != null) {
      journal.close();
    }
    broker.close();
  }

  @Test
  void readyWhileTheReaderCanReachTheEndAndNotWhileTheBrokerIsGone() {
    journal.begin(new Intent("evt-health", "E-1", java.util.List.of()));
    await().atMost(Duration.ofSeconds(30)).until(() -> journal.unavailable(WITHIN).isEmpty());

    broker.stop();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> journal.unavailable(WITHIN), Optional::isPresent);
    assertThat(journal.unavailable(WITHIN).orElseThrow()).contains("journal");

    broker.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> journal.unavailable(WITHIN).isEmpty());
  }

  @Test
  void notReadyOnceTheReaderStopped() {
    await().atMost(Duration.ofSeconds(30)).until(() -> journal.unavailable(WITHIN).isEmpty());

    KafkaJournal closed = journal;
    journal = null;
    closed.close();

    assertThat(closed.unavailable(WITHIN))
        .hasValueSatisfying(p -> assertThat(p).contains("stopped"));
  }
}
