package dev.roster.provisioner.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.events.EventJson;
import dev.roster.events.Topics;
import dev.roster.policy.review.ScpSnapshot;
import dev.roster.provisioner.config.CompactedTopics;
import dev.roster.provisioner.config.KafkaClientConfig;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@link ReviewState} on the compacted one-partition topic {@link Topics#PROVISIONER_REVIEWS}: key
 * {@code scps:<management account id>} holds the last {@link ScpSnapshot} as JSON, key {@code
 * started} each review start ({@link Start}). One partition totally orders the starts, so when two
 * instances claim the same turn (both saw the same latest start), every reader agrees that the
 * first claim wins. Read from the beginning with an assigned consumer each time: a review runs once
 * a day and compaction keeps the topic at a few records.
 */
public final class KafkaReviewState implements ReviewState, AutoCloseable {
  static final String STARTED = "started";
  private static final ObjectMapper JSON = EventJson.mapper();
  private static final TopicPartition PARTITION = new TopicPartition(Topics.PROVISIONER_REVIEWS, 0);

  private final Map<String, Object> client;
  private final Duration timeout;
  private final KafkaProducer<String, String> producer;
  private volatile boolean created;

  /**
   * A review start as recorded: {@code after} the offset of the start that was latest when it was
   * made (-1: none), {@code onDemand} when it was started on demand (never weighed).
   */
  public record Start(String reviewId, Instant at, long after, boolean onDemand) {}

  private record Entry(long offset, String value) {}

  /**
   * @param client the common Kafka client settings (see {@code KafkaClientConfig})
   */
  public KafkaReviewState(Map<String, Object> client, Duration timeout) {
    this.client = Map.copyOf(client);
    this.timeout = timeout;
    Map<String, Object> config = KafkaClientConfig.producer(client);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "roster-provisioner-reviews");
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  @Override
  public Optional<ScpSnapshot> scps(String organization) {
    Entry e = latest(0).get(scpsKey(organization));
    if (e == null || e.value() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(e.value(), ScpSnapshot.class));
    } catch (JsonProcessingException ex) {
      // Not readable: the next review compares with the layout only, as a first review does.
      Log.warnf(
          "review state: SCP snapshot of %s unreadable, ignored: %s",
          organization, ex.getOriginalMessage());
      return Optional.empty();
    }
  }

  @Override
  public void scps(String organization, ScpSnapshot snapshot) {
    send(scpsKey(organization), json(snapshot));
  }

  @Override
  public boolean claim(String reviewId, Instant now, Duration quiet) {
    Optional<Current> current = current(Long.MAX_VALUE);
    if (current.isPresent() && current.get().start().at().isAfter(now.minus(quiet))) {
      Log.infof(
          "review: %s started at %s (less than %s ago): this instance does not run %s",
          current.get().start().reviewId(), current.get().start().at(), quiet, reviewId);
      return false;
    }
    long after = current.map(Current::offset).orElse(-1L);
    long mine = send(STARTED, json(new Start(reviewId, now, after, false)));
    // Of the claims that follow the same start, the first wins, as every instance reads it.
    Optional<Current> winner = current(mine);
    boolean won = winner.isPresent() && winner.get().offset() == mine;
    if (!won) {
      Log.infof(
          "review: %s claimed this turn first: this instance does not run %s",
          winner.map(w -> w.start().reviewId()).orElse("another instance"), reviewId);
    }
    return won;
  }

  @Override
  public void started(String reviewId, Instant now) {
    long after = current(Long.MAX_VALUE).map(Current::offset).orElse(-1L);
    send(STARTED, json(new Start(reviewId, now, after, true)));
  }

  /** A start record at its offset. */
  record Current(long offset, Start start) {}

  /** The latest start that ran, reading the start records up to offset {@code to}. */
  private Optional<Current> current(long to) {
    List<Current> starts = new java.util.ArrayList<>();
    read(
        0,
        to == Long.MAX_VALUE ? Long.MAX_VALUE : to + 1,
        r -> {
          if (STARTED.equals(r.key()) && r.value() != null && r.offset() <= to) {
            Start s = start(r.value());
            if (s != null) {
              starts.add(new Current(r.offset(), s));
            }
          }
        });
    return lastRun(starts);
  }

  /**
   * Of the start records in offset order, the latest that ran: a claim counts when it follows the
   * start that was latest when it was made (a claim that lost its turn follows an older one); a
   * start on demand always counts. After compaction only the last record survives, and it counts.
   */
  static Optional<Current> lastRun(List<Current> starts) {
    Current current = null;
    for (Current c : starts) {
      if (current == null || c.start().onDemand() || c.start().after() == current.offset()) {
        current = c;
      }
    }
    return Optional.ofNullable(current);
  }

  private static String scpsKey(String organization) {
    return "scps:" + organization;
  }

  private static Start start(String value) {
    try {
      return JSON.readValue(value, Start.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private long send(String key, String value) {
    ensureTopic();
    try {
      return producer
          .send(new ProducerRecord<>(Topics.PROVISIONER_REVIEWS, 0, key, value))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .offset();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing " + Topics.PROVISIONER_REVIEWS, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write " + Topics.PROVISIONER_REVIEWS, e);
    }
  }

  /** The latest value of every key from {@code from} to the end (null: a tombstone). */
  private Map<String, Entry> latest(long from) {
    Map<String, Entry> latest = new HashMap<>();
    read(from, Long.MAX_VALUE, r -> latest.put(r.key(), new Entry(r.offset(), r.value())));
    return latest;
  }

  private void read(
      long from, long until, java.util.function.Consumer<ConsumerRecord<String, String>> each) {
    ensureTopic();
    Map<String, Object> config = KafkaClientConfig.consumer(client);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "roster-provisioner-reviews-reader");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(PARTITION));
      long end = Math.min(until, consumer.endOffsets(List.of(PARTITION), timeout).get(PARTITION));
      if (from <= 0) {
        consumer.seekToBeginning(List.of(PARTITION));
      } else {
        consumer.seek(PARTITION, from);
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      while (consumer.position(PARTITION, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "reading " + Topics.PROVISIONER_REVIEWS + " took longer than " + timeout);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(each);
      }
    }
  }

  /** Creates the topic if missing: compacted, one partition (so starts are totally ordered). */
  private void ensureTopic() {
    if (created) {
      return;
    }
    try (Admin admin = Admin.create(KafkaClientConfig.admin(client))) {
      Set<String> names = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!names.contains(Topics.PROVISIONER_REVIEWS)) {
        if (CompactedTopics.create(admin, Topics.PROVISIONER_REVIEWS, Optional.of(1), timeout)) {
          Log.infof("created topic %s (compacted, 1 partition)", Topics.PROVISIONER_REVIEWS);
        }
      }
      created = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating " + Topics.PROVISIONER_REVIEWS, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create " + Topics.PROVISIONER_REVIEWS, e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
