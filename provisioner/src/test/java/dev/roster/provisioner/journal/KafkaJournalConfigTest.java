package dev.roster.provisioner.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.provisioner.config.KafkaClientConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The journal's clients are built from the same {@code kafka.*} settings as every channel: a
 * secured cluster's TLS and SASL settings reach its producer, consumer and admin client.
 */
class KafkaJournalConfigTest {
  /** What the connector's default-kafka-broker bean holds for a secured cluster. */
  static final Map<String, Object> CONNECTOR_DEFAULTS =
      Map.of(
          "bootstrap.servers", "broker-1:9093",
          "security.protocol", "SASL_SSL",
          "sasl.mechanism", "SCRAM-SHA-512",
          "sasl.jaas.config",
              "org.apache.kafka.common.security.scram.ScramLoginModule required"
                  + " username=\"roster\" password=\"secret\";",
          "ssl.truststore.location", "/etc/kafka/truststore.p12");

  static Map<String, Object> client() {
    return KafkaClientConfig.from(CONNECTOR_DEFAULTS);
  }

  @Test
  void everyJournalClientCarriesTheSecuritySettingsAndItsOwn() {
    Map<String, Object> client = client();
    for (Map<String, Object> config :
        java.util.List.of(
            KafkaJournal.adminConfig(client),
            KafkaJournal.producerConfig(client),
            KafkaJournal.consumerConfig(client))) {
      assertThat(config)
          .containsEntry("bootstrap.servers", "broker-1:9093")
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
          .containsKey("sasl.jaas.config");
    }
    assertThat(KafkaJournal.producerConfig(client))
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", true);
    assertThat(KafkaJournal.consumerConfig(client))
        .containsEntry("enable.auto.commit", false)
        .doesNotContainKey("group.id");
  }

  @Test
  void withoutBootstrapServersItRefusesToStart() {
    assertThatThrownBy(() -> KafkaClientConfig.from(Map.of()))
        .hasMessageContaining("kafka.bootstrap.servers");
  }
}
