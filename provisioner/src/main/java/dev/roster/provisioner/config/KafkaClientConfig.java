package dev.roster.provisioner.config;

import java.util.Map;
import java.util.TreeMap;

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
}
