package dev.roster.auditor.anchor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.events.EventJson;
import dev.roster.events.Topics;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes anchors to {@code audit.anchors} and reads the latest one back, with the same Kafka
 * settings as every other client of the auditor ({@code kafka.*}, including TLS/SASL).
 */
@ApplicationScoped
public class AnchorTopicClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = EventJson.mapper();

  private final Map<String, Object> kafka;
  private KafkaProducer<String, String> producer;

  public AnchorTopicClient(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
    this.kafka = Map.copyOf(kafka);
  }

  /**
   * Creates the topic compacted, one partition, when it does not exist (deployments may create it
   * themselves with the same settings).
   */
  public void ensureTopic() {
    try (Admin admin = Admin.create(kafka)) {
      NewTopic topic =
          new NewTopic(Topics.AUDIT_ANCHORS, Optional.of(1), Optional.empty())
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      admin.createTopics(List.of(topic)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      Log.infof("created the compacted topic %s", Topics.AUDIT_ANCHORS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        Log.warnf("cannot create %s: %s", Topics.AUDIT_ANCHORS, e.getCause().getMessage());
      }
    } catch (TimeoutException e) {
      Log.warnf("cannot create %s: timed out", Topics.AUDIT_ANCHORS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Publishes and waits for the acknowledgement of every in-sync replica. */
  public synchronized void publish(Anchor anchor) {
    try {
      producer()
          .send(
              new ProducerRecord<>(
                  Topics.AUDIT_ANCHORS, AnchorTopic.KEY, JSON.writeValueAsString(anchor)))
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (JsonProcessingException | TimeoutException | ExecutionException e) {
      throw new IllegalStateException("cannot publish an anchor: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing an anchor", e);
    }
  }

  /**
   * The last record of the topic (the highest seq over its partitions), parsed but not verified;
   * empty when nothing was anchored yet. Throws when Kafka cannot be read.
   */
  public Optional<Anchor> latest() {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.AUDIT_ANCHORS, TIMEOUT).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, TIMEOUT);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
      Anchor latest = null;
      for (TopicPartition p : partitions) {
        if (end.get(p) <= begin.get(p)) {
          continue;
        }
        consumer.assign(List.of(p));
        consumer.seek(p, end.get(p) - 1);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        ConsumerRecord<String, String> last = null;
        while (last == null && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            last = r;
          }
        }
        if (last == null) {
          throw new IllegalStateException("cannot read the last anchor of " + p);
        }
        Anchor a = parse(last.value());
        if (latest == null || a.seq() > latest.seq()) {
          latest = a;
        }
      }
      return Optional.ofNullable(latest);
    }
  }

  private static Anchor parse(String value) {
    try {
      return JSON.readValue(value, Anchor.class);
    } catch (JsonProcessingException e) {
      // Kept as an anchor nobody signed: verification then fails loudly instead of skipping it.
      return new Anchor(-1, null, null, null, null, null);
    }
  }

  private KafkaProducer<String, String> producer() {
    if (producer == null) {
      Map<String, Object> config = new HashMap<>(kafka);
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }
    return producer;
  }

  @PreDestroy
  synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
  }
}
