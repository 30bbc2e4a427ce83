package dev.roster.provisioner.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.provisioner.config.KafkaClientConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The journal's clients are built from the same {@code kafka.*} settings as every channel: a
 * secured cluster's TLS and SASL settings reach its producer, consumer and admin client.
 */
class KafkaJournalConfigTest {
  static final Map<String, String> PROPERTIES =
      Map.of(
          "kafka.bootstrap.servers", "broker-1:9093",
          "kafka.security.protocol", "SASL_SSL",
          "kafka.sasl.mechanism", "SCRAM-SHA-512",
          "kafka.sasl.jaas.config",
              "org.apache.kafka.common.security.scram.ScramLoginModule required"
                  + " username=\"roster\" password=\"secret\";",
          "kafka.ssl.truststore.location", "/etc/kafka/truststore.p12",
          "mp.messaging.incoming.hr-events.topic", "hr.events",
          "quarkus.http.port", "8081");

  static Map<String, Object> client() {
    return KafkaClientConfig.from(PROPERTIES.keySet(), n -> Optional.ofNullable(PROPERTIES.get(n)));
  }

  @Test
  void onlyKafkaPropertiesArePickedUpWithoutTheirPrefix() {
    assertThat(client())
        .containsEntry("bootstrap.servers", "broker-1:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsKey("sasl.jaas.config")
        .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
        .hasSize(5);
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
    assertThatThrownBy(() -> KafkaClientConfig.from(java.util.List.of(), n -> Optional.empty()))
        .hasMessageContaining("kafka.bootstrap.servers");
  }
}
