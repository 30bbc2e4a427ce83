package dev.roster.listener.messaging;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Sending a record and waiting for its acknowledgement, every failure as a PublishException. */
final class Acks {
  /** Time the producer gets beyond its own delivery timeout to report the failure itself. */
  static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private Acks() {}

  static Future<RecordMetadata> send(
      Producer<String, byte[]> producer, ProducerRecord<String, byte[]> record)
      throws PublishException {
    try {
      return producer.send(record);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new PublishException("Kafka did not acknowledge in time", e);
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new PublishException("Kafka refused the record: " + e, e);
    }
  }

  /** Waits until {@code deadlineNanos} ({@link System#nanoTime()}) for the broker's ack. */
  static void await(Future<RecordMetadata> ack, long deadlineNanos) throws PublishException {
    try {
      ack.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new PublishException("Kafka did not acknowledge: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new PublishException("Kafka did not acknowledge in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while waiting for Kafka", e);
    }
  }
}
