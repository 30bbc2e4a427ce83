package dev.roster.provisioner.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.roster.events.EventJson;
import dev.roster.events.Topics;
import dev.roster.provisioner.config.CompactedTopics;
import dev.roster.provisioner.config.KafkaClientConfig;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The schedule on the compacted topic {@link Topics#PROVISIONER_SCHEDULED}: key employee id, value
 * the employee's {@link EmployeeSchedule} as JSON (a tombstone once nothing is pending or
 * remembered), written to the same partition number as the employee's {@code hr.events} partition.
 * So the owner of {@code hr.events} partition p finds every employee it is responsible for in
 * partition p, whatever the key hashes to.
 */
public final class KafkaScheduleStore implements ScheduleStore, AutoCloseable {
  private static final String TOPIC = Topics.PROVISIONER_SCHEDULED;

  private final Map<String, Object> client;
  private final Duration timeout;
  private final Admin admin;
  private final KafkaProducer<String, String> producer;

  /**
   * @param client the common Kafka client settings (see {@code KafkaClientConfig})
   */
  public KafkaScheduleStore(Map<String, Object> client, Duration timeout) {
    this.client = Map.copyOf(client);
    this.timeout = timeout;
    this.admin = Admin.create(KafkaClientConfig.admin(client));
    Map<String, Object> producerConfig = KafkaClientConfig.producer(client);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "roster-provisioner-schedule");
    this.producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
  }

  @Override
  public synchronized void ensurePartitions(int partitions) {
    try {
      int have = partitionCount();
      if (have < 0) {
        if (CompactedTopics.create(admin, TOPIC, Optional.of(partitions), timeout)) {
          Log.infof("schedule topic %s created (compacted, %d partitions)", TOPIC, partitions);
        }
        awaitPartitions(partitions);
      } else if (have < partitions) {
        // Values go to explicit partitions, so more partitions never move an employee's value.
        admin
            .createPartitions(Map.of(TOPIC, NewPartitions.increaseTo(partitions)))
            .all()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Log.infof("schedule topic %s grown to %d partitions", TOPIC, partitions);
        awaitPartitions(partitions);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted preparing " + TOPIC, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot prepare " + TOPIC, e);
    }
  }

  private void awaitPartitions(int partitions)
      throws InterruptedException, TimeoutException, ExecutionException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (partitionCount() < partitions) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(TOPIC + " does not show " + partitions + " partitions");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** -1 when the topic does not exist (yet). */
  private int partitionCount() throws InterruptedException, TimeoutException, ExecutionException {
    try {
      return admin
          .describeTopics(List.of(TOPIC))
          .allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .get(TOPIC)
          .partitions()
          .size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return -1;
      }
      throw e;
    }
  }

  @Override
  public Map<String, EmployeeSchedule> load(int partition) {
    Map<String, Object> config = KafkaClientConfig.consumer(client);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "roster-provisioner-schedule-loader-" + partition);
    TopicPartition tp = new TopicPartition(TOPIC, partition);
    Map<String, EmployeeSchedule> values = new HashMap<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (consumer.position(tp, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "schedule partition " + partition + " not read to its end " + end + " in time");
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() == null) {
            continue;
          }
          if (r.value() == null) {
            values.remove(r.key());
          } else {
            values.put(r.key(), read(r));
          }
        }
      }
    }
    return values;
  }

  private static EmployeeSchedule read(ConsumerRecord<String, String> r) {
    try {
      return EventJson.mapper().readValue(r.value(), EmployeeSchedule.class);
    } catch (JsonProcessingException e) {
      // A value this code cannot read must not be dropped silently: it may hold a leave.
      throw new IllegalStateException(
          "unreadable schedule record "
              + r.partition()
              + "@"
              + r.offset()
              + " (employee "
              + r.key()
              + "): "
              + e.getOriginalMessage(),
          e);
    }
  }

  @Override
  public void write(int partition, EmployeeSchedule value) {
    String json;
    try {
      json = value.isEmpty() ? null : EventJson.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the schedule of " + value.employeeId(), e);
    }
    try {
      producer
          .send(new ProducerRecord<>(TOPIC, partition, value.employeeId(), json))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing the schedule", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "schedule write for employee " + value.employeeId() + " failed", e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
