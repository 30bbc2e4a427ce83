package dev.roster.sandbox.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: a real Kafka broker for the test's lifetime, wired into the application
 * through {@code kafka.bootstrap.servers}. Tests reach the broker itself (to stop and restart it)
 * through {@link #broker()}.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {
  private static volatile EmbeddedKafka broker;

  /** The broker of the running test resource. */
  public static EmbeddedKafka broker() {
    if (broker == null) {
      throw new IllegalStateException("KafkaTestResource is not started");
    }
    return broker;
  }

  @Override
  public Map<String, String> start() {
    EmbeddedKafka started = EmbeddedKafka.builder().build().start();
    started.createTopics(3, EmbeddedKafka.rosterTopics());
    broker = started;
    return Map.of("kafka.bootstrap.servers", started.bootstrapServers());
  }

  @Override
  public void stop() {
    EmbeddedKafka b = broker;
    broker = null;
    if (b != null) {
      b.close();
    }
  }
}
