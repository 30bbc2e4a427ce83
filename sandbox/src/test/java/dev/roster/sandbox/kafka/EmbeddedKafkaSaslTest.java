package dev.roster.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaSaslTest {

  @Test
  void aSaslBrokerLetsInItsUsersOnlyAndAuthorizesByAcl() throws Exception {
    try (EmbeddedKafka kafka =
        EmbeddedKafka.builder()
            .sasl("svc", "svc-secret")
            .sasl("other", "x")
            .acls()
            .build()
            .start()) {
      kafka.admin().createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
      kafka.grant(
          List.of(
              new AclBinding(
                  new ResourcePattern(ResourceType.TOPIC, "t", PatternType.LITERAL),
                  new AccessControlEntry(
                      "User:svc", "*", AclOperation.WRITE, AclPermissionType.ALLOW))));

      assertThat(send(kafka, kafka.clientProperties("svc")).partition()).isZero();

      assertThatThrownBy(() -> send(kafka, kafka.clientProperties("other")))
          .hasRootCauseInstanceOf(TopicAuthorizationException.class);
      Map<String, String> wrongPassword = new HashMap<>(kafka.clientProperties("svc"));
      wrongPassword.put(
          "sasl.jaas.config", wrongPassword.get("sasl.jaas.config").replace("svc-secret", "guess"));
      assertThatThrownBy(() -> send(kafka, wrongPassword))
          .hasRootCauseInstanceOf(SaslAuthenticationException.class);
      assertThatThrownBy(() -> send(kafka, Map.of()))
          .as("a plaintext client gets nowhere")
          .isInstanceOf(Exception.class);
    }
  }

  private static org.apache.kafka.clients.producer.RecordMetadata send(
      EmbeddedKafka kafka, Map<String, String> security) throws Exception {
    Map<String, Object> config = new HashMap<>(security);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
    try (var producer =
        new KafkaProducer<String, String>(config, new StringSerializer(), new StringSerializer())) {
      try {
        return producer.send(new ProducerRecord<>("t", "k", "v")).get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException("send failed", e.getCause());
      }
    }
  }
}
