package dev.roster.provisioner.config;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * The one Kafka client configuration of the provisioner: every {@code kafka.*} property (the same
 * the SmallRye connector gives every channel: {@code kafka.bootstrap.servers}, {@code
 * kafka.security.protocol}, {@code kafka.sasl.mechanism}, {@code kafka.sasl.jaas.config}, {@code
 * kafka.ssl.*}, ...) with the prefix removed. The write-ahead journal's producer, consumer and
 * admin client are built from it, so a secured cluster needs its settings once.
 */
public final class KafkaClientConfig {
  public static final String PREFIX = "kafka.";

  private KafkaClientConfig() {}

  public static Map<String, Object> from(Config config) {
    return from(config.getPropertyNames(), name -> config.getOptionalValue(name, String.class));
  }

  /** From property names and a way to read them (testable without a Quarkus start). */
  public static Map<String, Object> from(
      Iterable<String> names, Function<String, Optional<String>> value) {
    Map<String, Object> client = new TreeMap<>();
    for (String name : names) {
      if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
        value.apply(name).ifPresent(v -> client.put(name.substring(PREFIX.length()), v));
      }
    }
    if (!client.containsKey("bootstrap.servers")) {
      throw new IllegalStateException("kafka.bootstrap.servers is not set");
    }
    return client;
  }
}
