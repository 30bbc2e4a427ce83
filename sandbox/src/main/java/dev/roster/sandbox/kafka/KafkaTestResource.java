package dev.roster.sandbox.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Quarkus test resource: a real Kafka broker for the test's lifetime, wired into the application
 * through {@code kafka.bootstrap.servers}. Tests reach the broker itself (to stop and restart it)
 * through {@link #broker()}.
 *
 * <p>With the init argument {@code sasl=true} the broker requires SASL/PLAIN and the application
 * gets {@code kafka.security.protocol}, {@code kafka.sasl.mechanism} and {@code
 * kafka.sasl.jaas.config} for user {@link #SASL_USER}: every Kafka client the application builds
 * from its {@code kafka.*} configuration can connect, any other cannot. Test clients add {@link
 * #clientProperties()}.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {
  public static final String SASL_USER = "roster-service";
  private static final String SASL_PASSWORD = "sasl-test-password";

  private static volatile EmbeddedKafka broker;
  private boolean sasl;

  /** The broker of the running test resource. */
  public static EmbeddedKafka broker() {
    if (broker == null) {
      throw new IllegalStateException("KafkaTestResource is not started");
    }
    return broker;
  }

  /** What a test's own Kafka client needs besides {@code bootstrap.servers} (empty: plaintext). */
  public static Map<String, Object> clientProperties() {
    EmbeddedKafka b = broker();
    return b.isSasl() ? new HashMap<>(b.clientProperties(SASL_USER)) : new HashMap<>();
  }

  @Override
  public void init(Map<String, String> initArgs) {
    sasl = Boolean.parseBoolean(initArgs.getOrDefault("sasl", "false"));
  }

  @Override
  public Map<String, String> start() {
    EmbeddedKafka.Builder builder = EmbeddedKafka.builder();
    if (sasl) {
      builder.sasl(SASL_USER, SASL_PASSWORD);
    }
    EmbeddedKafka started = builder.build().start();
    started.createTopics(3, EmbeddedKafka.rosterTopics());
    broker = started;
    Map<String, String> config = new HashMap<>();
    config.put("kafka.bootstrap.servers", started.bootstrapServers());
    started.clientProperties(SASL_USER).forEach((k, v) -> config.put("kafka." + k, v));
    return config;
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
