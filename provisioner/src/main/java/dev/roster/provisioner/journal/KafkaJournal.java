package dev.roster.provisioner.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.events.Topics;
import dev.roster.provisioner.config.CompactedTopics;
import dev.roster.provisioner.config.KafkaClientConfig;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The journal on the compacted topic {@link Topics#PROVISIONER_JOURNAL}, keyed by event id: an
 * intent is a JSON value, done is a tombstone. A reader thread follows every partition from the
 * beginning into a map of unfinished intents, so whichever instance gets an event after a crash or
 * rebalance knows what the previous attempt meant to do. Before answering {@link #unfinished} it
 * waits until the reader has reached the end offsets of that moment.
 */
public final class KafkaJournal implements Journal, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Duration timeout;
  private final Admin admin;
  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> consumer;
  private final Map<String, Intent> unfinished = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Long> positions = new HashMap<>(); // guarded by itself
  private final Thread reader;
  private volatile boolean running = true;
  private volatile String stoppedBy; // what stopped the reader, if it failed
  private volatile List<TopicPartition> partitions;

  /**
   * @param client the common Kafka client settings (bootstrap servers, TLS, SASL...), see {@code
   *     KafkaClientConfig}; the journal adds its own on top
   */
  public KafkaJournal(Map<String, Object> client, Duration timeout) {
    this.timeout = timeout;
    this.admin = Admin.create(adminConfig(client));
    this.producer =
        new KafkaProducer<>(producerConfig(client), new StringSerializer(), new StringSerializer());
    this.consumer =
        new KafkaConsumer<>(
            consumerConfig(client), new StringDeserializer(), new StringDeserializer());
    this.reader = new Thread(this::read, "roster-journal-reader");
    this.reader.setDaemon(true);
  }

  static Map<String, Object> adminConfig(Map<String, Object> client) {
    return KafkaClientConfig.admin(client);
  }

  static Map<String, Object> producerConfig(Map<String, Object> client) {
    Map<String, Object> config = KafkaClientConfig.producer(client);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "roster-provisioner-journal");
    return config;
  }

  static Map<String, Object> consumerConfig(Map<String, Object> client) {
    Map<String, Object> config = KafkaClientConfig.consumer(client);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, no group
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "roster-provisioner-journal-reader");
    return config;
  }

  /** Creates the topic if missing (compacted), then starts following it from the beginning. */
  public KafkaJournal start() {
    createTopic();
    partitions = describePartitions();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    reader.start();
    Log.infof("journal %s: following %d partitions", Topics.PROVISIONER_JOURNAL, partitions.size());
    return this;
  }

  @Override
  public Optional<Intent> unfinished(String eventId) {
    catchUp(timeout);
    return Optional.ofNullable(unfinished.get(eventId));
  }

  @Override
  public void begin(Intent intent) {
    send(intent.eventId(), json(intent));
  }

  @Override
  public void done(String eventId) {
    send(eventId, null);
  }

  /** Unfinished intents known now (without catching up), for health and tests. */
  public int size() {
    return unfinished.size();
  }

  private void send(String eventId, String value) {
    try {
      producer
          .send(new ProducerRecord<>(Topics.PROVISIONER_JOURNAL, eventId, value))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing the journal", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("journal write for event " + eventId + " failed", e);
    }
  }

  /**
   * Ready when the reader reaches the journal's current end within {@code within}: what {@link
   * #unfinished} needs before every event. Down while the broker cannot answer or after the reader
   * stopped, so no event is taken by an instance that cannot read what another left unfinished.
   */
  @Override
  public Optional<String> unavailable(Duration within) {
    try {
      catchUp(within);
      return Optional.empty();
    } catch (IllegalStateException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Waits until the reader has read every record written before this call. */
  private void catchUp(Duration within) {
    if (!running) {
      throw new IllegalStateException("journal reader stopped" + stopReason());
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    try {
      admin
          .listOffsets(latest)
          .all()
          .get(within.toMillis(), TimeUnit.MILLISECONDS)
          .forEach((tp, info) -> ends.put(tp, info.offset()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the journal's end offsets", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot read the journal's end offsets within " + within + ": " + e, e);
    }
    long deadline = System.nanoTime() + within.toNanos();
    synchronized (positions) {
      while (!reached(ends)) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (!running) {
          throw new IllegalStateException("journal reader stopped" + stopReason());
        }
        if (left <= 0) {
          throw new IllegalStateException(
              "journal reader did not reach " + ends + " (at " + positions + ")");
        }
        try {
          positions.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted waiting for the journal reader", e);
        }
      }
    }
  }

  private String stopReason() {
    String cause = stoppedBy;
    return cause == null ? "" : ": " + cause;
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream()
        .allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue());
  }

  private void read() {
    try {
      while (running) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          apply(r);
        }
        synchronized (positions) {
          for (TopicPartition tp : partitions) {
            positions.put(tp, consumer.position(tp));
          }
          positions.notifyAll();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      stoppedBy = e.toString();
      Log.errorf(e, "journal reader stopped: %s", e.getMessage());
    } finally {
      running = false;
      synchronized (positions) {
        positions.notifyAll();
      }
    }
  }

  private void apply(ConsumerRecord<String, String> r) {
    if (r.key() == null) {
      return;
    }
    if (r.value() == null) {
      unfinished.remove(r.key());
      return;
    }
    try {
      unfinished.put(r.key(), JSON.readValue(r.value(), Intent.class));
    } catch (JsonProcessingException e) {
      Log.errorf(
          "unreadable journal record %s@%d (event %s) ignored: %s",
          r.partition(), r.offset(), r.key(), e.getOriginalMessage());
    }
  }

  private void createTopic() {
    try {
      if (CompactedTopics.create(admin, Topics.PROVISIONER_JOURNAL, Optional.empty(), timeout)) {
        Log.infof("journal topic %s created (compacted)", Topics.PROVISIONER_JOURNAL);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating " + Topics.PROVISIONER_JOURNAL, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create " + Topics.PROVISIONER_JOURNAL, e);
    }
  }

  private List<TopicPartition> describePartitions() {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        try {
          return admin
              .describeTopics(List.of(Topics.PROVISIONER_JOURNAL))
              .allTopicNames()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(Topics.PROVISIONER_JOURNAL)
              .partitions()
              .stream()
              .map(p -> new TopicPartition(Topics.PROVISIONER_JOURNAL, p.partition()))
              .toList();
        } catch (ExecutionException e) {
          // Just created: its metadata may not have reached the answering broker yet.
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
              || System.nanoTime() > deadline) {
            throw new IllegalStateException("cannot describe " + Topics.PROVISIONER_JOURNAL, e);
          }
          TimeUnit.MILLISECONDS.sleep(100);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted describing " + Topics.PROVISIONER_JOURNAL, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot describe " + Topics.PROVISIONER_JOURNAL, e);
    }
  }

  private static String json(Intent intent) {
    try {
      return JSON.writeValueAsString(intent);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the intent of " + intent.eventId(), e);
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close();
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
