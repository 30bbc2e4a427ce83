package dev.roster.listener;

import static org.awaitility.Awaitility.await;

import dev.roster.events.CloudEvents;
import dev.roster.events.Topics;
import dev.roster.sandbox.kafka.KafkaTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads {@code hr.events} on the test broker from the beginning, without a consumer group. */
public final class HrEventsTopicAccess {
  private HrEventsTopicAccess() {}

  /**
   * Every record on the topic up to and including the one whose {@code ce_id} is {@code marker}.
   * Posting a marker for the same employee after the request under test proves absence without
   * sleeping: same key, same partition, so anything published before it is read before it.
   */
  public static List<ConsumerRecord<String, byte[]>> readUntil(String marker) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.HR_EVENTS).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.stream()
                    .anyMatch(r -> marker.equals(header(r, CloudEvents.HEADER_ID)));
              });
    }
    return records;
  }

  public static List<ConsumerRecord<String, byte[]>> withId(
      List<ConsumerRecord<String, byte[]>> records, String eventId) {
    return records.stream().filter(r -> eventId.equals(header(r, CloudEvents.HEADER_ID))).toList();
  }

  public static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static KafkaConsumer<String, byte[]> consumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KafkaTestResource.broker().bootstrapServers(),
            ConsumerConfig.CLIENT_ID_CONFIG,
            "hr-listener-test-" + UUID.randomUUID(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }
}
