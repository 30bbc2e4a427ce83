package dev.roster.listener;

import static org.awaitility.Awaitility.await;

import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.Topics;
import dev.roster.sandbox.kafka.KafkaTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads {@code hr.snapshots} on the test broker from the beginning, without a consumer group. */
public final class HrSnapshotsTopicAccess {
  private HrSnapshotsTopicAccess() {}

  /** The records keyed by {@code snapshotId}, in offset order, once {@code done} holds for them. */
  public static List<ConsumerRecord<String, byte[]>> recordsOf(
      String snapshotId, Predicate<List<ConsumerRecord<String, byte[]>>> done) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          if (snapshotId.equals(r.key())) {
                            records.add(r);
                          }
                        });
                return done.test(records);
              });
    }
    return records;
  }

  /** Every part of the snapshot, once the last one (its {@code parts} says how many) is read. */
  public static List<ConsumerRecord<String, byte[]>> partsOf(String snapshotId) {
    return recordsOf(
        snapshotId,
        records -> {
          List<ConsumerRecord<String, byte[]>> parts =
              records.stream()
                  .filter(
                      r ->
                          CloudEvents.SNAPSHOT_PART_TYPE.equals(header(r, CloudEvents.HEADER_TYPE)))
                  .toList();
          return !parts.isEmpty() && parts.size() == json(parts.get(0)).get("parts").asInt();
        });
  }

  /** Records on the topic now, across partitions: what a refused request must not change. */
  public static long endOffsets() {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      return consumer.endOffsets(partitions(consumer)).values().stream()
          .mapToLong(Long::longValue)
          .sum();
    }
  }

  public static com.fasterxml.jackson.databind.JsonNode json(ConsumerRecord<?, byte[]> record) {
    try {
      return EventJson.mapper().readTree(record.value());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer) {
    return consumer.partitionsFor(Topics.HR_SNAPSHOTS).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition()))
        .toList();
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
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
            4 * 1024 * 1024,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }
}
