package dev.roster.provisioner.messaging;

import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.SnapshotPart;
import dev.roster.events.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a snapshot's parts back from {@code hr.snapshots}, for an approval: whichever replica
 * consumes the approval finds them there (same key, so the same partition, at earlier offsets), so
 * no instance needs to remember a held snapshot. Reads the partition from its start up to the
 * approval (an assigned consumer, no group).
 */
public final class SnapshotParts {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Map<String, Object> client;

  public SnapshotParts(Map<String, Object> client) {
    this.client = Map.copyOf(client);
  }

  /** The parts of {@code snapshotId} on {@code partition} before {@code offset}, in part order. */
  public List<SnapshotPart> before(int partition, long offset, String snapshotId) {
    Map<String, Object> config = new HashMap<>();
    client.forEach(
        (k, v) -> {
          if (ConsumerConfig.configNames().contains(k)) {
            config.put(k, v);
          }
        });
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "roster-provisioner-snapshot-reader");
    TopicPartition tp = new TopicPartition(Topics.HR_SNAPSHOTS, partition);
    Map<Integer, SnapshotPart> parts = new TreeMap<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (consumer.position(tp) < offset) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "reading " + tp + " up to " + offset + " took more than " + TIMEOUT);
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < offset
              && snapshotId.equals(r.key())
              && CloudEvents.SNAPSHOT_PART_TYPE.equals(header(r, CloudEvents.HEADER_TYPE))) {
            SnapshotPart part = read(r.value());
            if (part != null && snapshotId.equals(part.snapshotId())) {
              parts.put(part.part(), part);
            }
          }
        }
      }
    }
    return new ArrayList<>(parts.values());
  }

  private static SnapshotPart read(String json) {
    try {
      return EventJson.mapper().readValue(json, SnapshotPart.class);
    } catch (IOException | RuntimeException e) {
      return null; // dead-lettered when it was first consumed
    }
  }

  static String header(ConsumerRecord<String, String> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
