package dev.roster.local;

import dev.roster.sandbox.kafka.EmbeddedKafka;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SASL passwords of a secured local broker: one per service and one for the broker's admin (the
 * operator commands and the tests), generated once into the data directory (mode 600).
 */
record KafkaCredentials(Map<String, String> services, String adminPassword) {

  static KafkaCredentials of(DataDir dataDir) {
    Map<String, String> services = new LinkedHashMap<>();
    for (Component c : Component.values()) {
      if (c.isService()) {
        String user = KafkaAccess.user(c);
        services.put(user, dataDir.secret(null, null, "kafka-" + user + ".password"));
      }
    }
    return new KafkaCredentials(
        Map.copyOf(services),
        dataDir.secret(null, null, "kafka-" + EmbeddedKafka.ADMIN_USER + ".password"));
  }

  static String asProperties(Map<String, String> settings) {
    java.util.Properties p = new java.util.Properties();
    p.putAll(settings);
    java.io.StringWriter w = new java.io.StringWriter();
    try {
      p.store(w, "Kafka admin client of the local stack: secret");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return w.toString();
  }

  /** The broker admin's client settings (the operator commands and the tests). */
  Map<String, String> adminClientProperties() {
    return EmbeddedKafka.saslPlainClient(EmbeddedKafka.ADMIN_USER, adminPassword);
  }

  /** A service's client settings (the JAAS line holds its password). */
  Map<String, String> clientProperties(Component service) {
    String user = KafkaAccess.user(service);
    return EmbeddedKafka.saslPlainClient(user, services.get(user));
  }
}
