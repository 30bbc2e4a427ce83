package dev.roster.listener.messaging;

import dev.roster.events.CloudEventHeaders;
import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.SnapshotApproval;
import dev.roster.events.SnapshotPart;
import dev.roster.events.Topics;
import dev.roster.listener.config.ListenerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes HR snapshots ({@link SnapshotPart}s, in order) and approvals ({@link SnapshotApproval})
 * to {@link Topics#HR_SNAPSHOTS} as CloudEvents 1.0 in binary mode, keyed by snapshot id, and
 * returns only once the broker acknowledged every record (acks=all), through the one producer of
 * hr-listener.
 */
@ApplicationScoped
public class SnapshotPublisher {
  /**
   * Parts sent but not yet acknowledged: enough to keep the broker busy, few enough that the parts
   * held in memory do not grow with the snapshot (each is at most about 1 MB).
   */
  static final int MAX_UNACKED_PARTS = 4;

  private record Pending(Future<RecordMetadata> ack, long deadline) {}

  private final Producer<String, byte[]> producer;
  private final ListenerConfig config;

  public SnapshotPublisher(Producer<String, byte[]> producer, ListenerConfig config) {
    this.producer = producer;
    this.config = config;
  }

  /**
   * Sends the parts in order (one key, so one partition: consumers read them in this order) and
   * waits for every acknowledgement, each within the publish timeout of its send.
   *
   * @throws PublishException if any part was not acknowledged in time; the parts before it may be
   *     on the topic, but a snapshot without its last part is never used
   */
  public void publish(Iterator<SnapshotPart> parts) throws PublishException {
    Deque<Pending> pending = new ArrayDeque<>();
    while (parts.hasNext()) {
      SnapshotPart part = parts.next();
      ProducerRecord<String, byte[]> record =
          record(
              part.snapshotId(),
              part.snapshotId() + ":part:" + part.part(),
              CloudEvents.SNAPSHOT_PART_TYPE,
              part.receivedAt(),
              part);
      pending.add(new Pending(Acks.send(producer, record), deadline()));
      while (pending.size() >= MAX_UNACKED_PARTS) {
        Pending oldest = pending.removeFirst();
        Acks.await(oldest.ack(), oldest.deadline());
      }
    }
    for (Pending p : pending) {
      Acks.await(p.ack(), p.deadline());
    }
  }

  /** Sends one approval and waits for its acknowledgement. */
  public void publish(SnapshotApproval approval) throws PublishException {
    ProducerRecord<String, byte[]> record =
        record(
            approval.snapshotId(),
            UUID.randomUUID().toString(),
            CloudEvents.SNAPSHOT_APPROVAL_TYPE,
            approval.approvedAt(),
            approval);
    Acks.await(Acks.send(producer, record), deadline());
  }

  private long deadline() {
    return System.nanoTime() + config.publish().timeout().toNanos() + Acks.GRACE_NANOS;
  }

  private ProducerRecord<String, byte[]> record(
      String snapshotId, String id, String type, OffsetDateTime time, Object value) {
    byte[] bytes;
    try {
      bytes = EventJson.mapper().writeValueAsBytes(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + type + " of " + snapshotId, e);
    }
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.HR_SNAPSHOTS, snapshotId, bytes);
    CloudEventHeaders.of(id, type, config.hrSource(), time, snapshotId)
        .forEach(record.headers()::add);
    return record;
  }
}
