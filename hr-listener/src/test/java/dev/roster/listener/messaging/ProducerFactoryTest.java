package dev.roster.listener.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.kafka.client.runtime.KafkaRuntimeConfigProducer;
import io.quarkus.runtime.ApplicationConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

/**
 * The producer is built from the service's one Kafka configuration: TLS and SASL settings given as
 * {@code kafka.*} properties or {@code KAFKA_*} environment variables reach it, read the way
 * Quarkus reads them ({@code default-kafka-broker}) and parsed by the Kafka client itself.
 */
class ProducerFactoryTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"hr-listener\""
          + " password=\"s3cret\";";

  /** The shipped application.properties, these properties and environment, as Quarkus reads it. */
  private static Map<String, Object> kafkaConfig(
      Map<String, String> properties, Map<String, String> env) throws IOException {
    URL shipped = ProducerFactoryTest.class.getClassLoader().getResource("application.properties");
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .addDefaultInterceptors()
            .withProfile("prod")
            .withSources(new PropertiesConfigSource(shipped, 250))
            .withSources(new PropertiesConfigSource(properties, "test", 260))
            .withSources(new EnvConfigSource(env, 300))
            .build();
    return new KafkaRuntimeConfigProducer()
        .createKafkaRuntimeConfig(config, new Application("hr-listener"));
  }

  private static ProducerConfig producerConfig(Map<String, Object> kafkaConfig) {
    return new ProducerConfig(ProducerFactory.settings(kafkaConfig, Duration.ofSeconds(5)));
  }

  @Test
  void securitySettingsFromTheEnvironmentReachTheProducer() throws IOException {
    ProducerConfig producer =
        producerConfig(
            kafkaConfig(
                Map.of(),
                Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", "kafka-1.example:9093",
                    "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                    "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                    "KAFKA_SASL_JAAS_CONFIG", JAAS,
                    "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/roster/kafka-ca.p12")));

    assertThat(producer.getList(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG))
        .containsExactly("kafka-1.example:9093");
    assertThat(producer.getString("security.protocol")).isEqualTo("SASL_SSL");
    assertThat(producer.getString("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
    assertThat(producer.getPassword("sasl.jaas.config")).isEqualTo(new Password(JAAS));
    assertThat(producer.getString("ssl.truststore.location")).isEqualTo("/etc/roster/kafka-ca.p12");
  }

  @Test
  void securitySettingsFromPropertiesReachTheProducer() throws IOException {
    ProducerConfig producer =
        producerConfig(
            kafkaConfig(
                Map.of(
                    "kafka.security.protocol", "SSL",
                    "kafka.ssl.keystore.location", "/etc/roster/hr-listener.p12",
                    "kafka.ssl.endpoint.identification.algorithm", "https"),
                Map.of()));

    assertThat(producer.getList(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG))
        .as("the shipped default")
        .containsExactly("localhost:9092");
    assertThat(producer.getString("security.protocol")).isEqualTo("SSL");
    assertThat(producer.getString("ssl.keystore.location"))
        .isEqualTo("/etc/roster/hr-listener.p12");
    assertThat(producer.getString("ssl.endpoint.identification.algorithm")).isEqualTo("https");
  }

  @Test
  void configurationCannotWeakenTheAcknowledgementContract() throws IOException {
    ProducerConfig producer =
        producerConfig(
            kafkaConfig(
                Map.of("kafka.acks", "1", "kafka.enable.idempotence", "false"),
                Map.of("KAFKA_DELIVERY_TIMEOUT_MS", "600000")));

    assertThat(producer.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1"); // "all"
    assertThat(producer.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
    assertThat(producer.getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).isEqualTo(5_000);
    assertThat(producer.getString(ProducerConfig.CLIENT_ID_CONFIG)).isEqualTo("hr-listener");
  }

  private record Application(String applicationName) implements ApplicationConfig {
    @Override
    public Optional<String> name() {
      return Optional.of(applicationName);
    }

    @Override
    public Optional<String> version() {
      return Optional.empty();
    }

    @Override
    public Optional<String> uiHeader() {
      return Optional.empty();
    }
  }
}
