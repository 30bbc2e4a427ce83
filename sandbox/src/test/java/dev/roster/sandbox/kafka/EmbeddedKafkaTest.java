package dev.roster.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

  @Test
  void producesAndConsumesThroughAConsumerGroupAndSurvivesARestart() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
      kafka.createTopics(1, List.of("t"));
      produce(kafka, "k1", "before-restart");

      kafka.stop();
      assertThat(kafka.isRunning()).isFalse();
      kafka.start();

      produce(kafka, "k2", "after-restart");
      assertThat(consumeAll(kafka, 2)).containsExactly("before-restart", "after-restart");
    }
  }

  private static void produce(EmbeddedKafka kafka, String key, String value) throws Exception {
    try (var producer =
        new KafkaProducer<String, String>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>("t", key, value)).get();
    }
  }

  private static List<String> consumeAll(EmbeddedKafka kafka, int expected) {
    try (var consumer =
        new KafkaConsumer<String, String>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "g",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of("t"));
      var values = new java.util.ArrayList<String>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
      return values;
    }
  }
}
