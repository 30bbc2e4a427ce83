package dev.roster.provisioner.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The one Kafka client configuration of the provisioner: the connector's own defaults ({@code
 * default-kafka-broker}: every {@code kafka.*} property and every {@code KAFKA_*} environment
 * variable, e.g. {@code KAFKA_SASL_JAAS_CONFIG} for {@code sasl.jaas.config}), the same that every
 * SmallRye channel gets. The write-ahead journal's producer, consumer and admin client are built
 * from it, so a secured cluster needs its settings once, in whichever form the deployment gives
 * them.
 */
public final class KafkaClientConfig {
  /** The name of the connector's default configuration bean. */
  public static final String CONNECTOR_DEFAULTS = "default-kafka-broker";

  private KafkaClientConfig() {}

  /** A sorted copy; refuses a configuration without {@code bootstrap.servers}. */
  public static Map<String, Object> from(Map<String, Object> connectorDefaults) {
    Map<String, Object> client = new TreeMap<>(connectorDefaults);
    if (!client.containsKey("bootstrap.servers")) {
      throw new IllegalStateException(
          "kafka.bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS) is not set");
    }
    return client;
  }

  /** The settings of {@code client} an admin client knows (security ones included), mutable. */
  public static Map<String, Object> admin(Map<String, Object> client) {
    return only(client, AdminClientConfig.configNames());
  }

  /** The settings of {@code client} a producer knows, mutable. */
  public static Map<String, Object> producer(Map<String, Object> client) {
    return only(client, ProducerConfig.configNames());
  }

  /** The settings of {@code client} a consumer knows, mutable. */
  public static Map<String, Object> consumer(Map<String, Object> client) {
    return only(client, ConsumerConfig.configNames());
  }

  /** So that no client warns about the settings that are the others'. */
  private static Map<String, Object> only(Map<String, Object> client, Set<String> known) {
    Map<String, Object> config = new HashMap<>();
    client.forEach(
        (k, v) -> {
          if (known.contains(k)) {
            config.put(k, v);
          }
        });
    return config;
  }
}
