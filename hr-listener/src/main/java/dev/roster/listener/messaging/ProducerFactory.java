package dev.roster.listener.messaging;

import dev.roster.listener.config.ListenerConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one Kafka producer of hr-listener, built from the service's one Kafka configuration: the map
 * Quarkus produces as {@code default-kafka-broker} from every {@code kafka.*} property and {@code
 * KAFKA_*} environment variable ({@code bootstrap.servers}, {@code security.protocol}, {@code
 * sasl.*}, {@code ssl.*}, a Quarkus TLS configuration name), the same map the Kafka health check
 * and any SmallRye channel read. On top of it, the settings that make "202" mean "durably written".
 */
public class ProducerFactory {

  /** The producer settings that the acceptance contract depends on; config cannot override them. */
  static Map<String, Object> contractSettings(Duration publishTimeout) {
    long timeoutMs = Math.max(1_000, publishTimeout.toMillis());
    long lingerMs = 5;
    // delivery.timeout.ms must be >= linger.ms + request.timeout.ms (checked by the client).
    long requestTimeoutMs = Math.max(500, timeoutMs / 2);
    Map<String, Object> settings = new HashMap<>();
    // Written to every in-sync replica before the ack; SmallRye's connector would default to 1,
    // which silently disables idempotence, so both are explicit.
    settings.put(ProducerConfig.ACKS_CONFIG, "all");
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // An unacknowledged record is abandoned within the publish timeout: after a 503 the producer
    // no longer holds it, so an HR retry does not race a late original.
    settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestTimeoutMs);
    settings.put(ProducerConfig.LINGER_MS_CONFIG, (int) lingerMs);
    // send() blocks for metadata when the broker is down; never longer than the publish timeout.
    settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
    settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return settings;
  }

  /**
   * The producer's settings: every client setting of {@code kafkaConfig} (TLS and SASL included),
   * then the contract's, which win.
   */
  static Map<String, Object> settings(Map<String, Object> kafkaConfig, Duration publishTimeout) {
    Map<String, Object> settings = new HashMap<>(kafkaConfig);
    settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "hr-listener");
    // Keys that belong to consumers or admin clients only would make the producer warn.
    settings.remove("group.id");
    settings.putAll(contractSettings(publishTimeout));
    return settings;
  }

  @Produces
  @Singleton
  Producer<String, byte[]> producer(
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, ListenerConfig config) {
    return new KafkaProducer<>(settings(kafkaConfig, config.publish().timeout()));
  }

  void close(@Disposes Producer<String, byte[]> producer) {
    producer.close(Duration.ofSeconds(5));
  }
}
