package dev.roster.provisioner.messaging;

import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.SnapshotApproval;
import dev.roster.events.SnapshotMode;
import dev.roster.events.SnapshotPart;
import dev.roster.provisioner.DlqReason;
import dev.roster.provisioner.reconcile.Reconciler;
import dev.roster.provisioner.reconcile.Snapshot;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code hr.snapshots} (group {@code roster-provisioner-reconcile}): transport only. A
 * snapshot's parts are held unacknowledged until its last part has arrived and the whole
 * reconciliation is published; only then are they all acknowledged, so the committed offset never
 * passes part 0 of an unfinished snapshot and a crash half-way runs it again (which is harmless).
 * An approval reads the held snapshot's parts back from the topic ({@link SnapshotParts}). A record
 * that cannot be read goes to {@code hr.events.dlq} ({@code malformed}), like an HR event.
 */
@ApplicationScoped
public class SnapshotsConsumer {
  private final Reconciler reconciler;
  private final SnapshotParts store;
  private final Publisher publisher;

  /** Parts received of unfinished snapshots, by snapshot id then part number. */
  private final Map<String, Map<Integer, Received>> pending =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record Received(SnapshotPart part, Message<String> message) {}

  public SnapshotsConsumer(Reconciler reconciler, SnapshotParts store, Publisher publisher) {
    this.reconciler = reconciler;
    this.store = store;
    this.publisher = publisher;
  }

  @Incoming(Channels.HR_SNAPSHOTS)
  @Blocking // IAM reads and the repairs block; one record at a time, in order
  public CompletionStage<Void> consume(Message<String> message) {
    ConsumerRecord<String, String> record =
        message
            .getMetadata(IncomingKafkaRecordMetadata.class)
            .map(m -> (ConsumerRecord<String, String>) m.getRecord())
            .orElseThrow(() -> new IllegalStateException("not a Kafka record"));
    try {
      handle(record, message);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      // Kafka or IAM failing as a whole: not acknowledged, the channel fails and is redelivered.
      Log.errorf(e, "%s@%d: reconciliation failed", record.topic(), record.offset());
      return message.nack(e);
    }
  }

  private void handle(ConsumerRecord<String, String> record, Message<String> message) {
    String type = SnapshotParts.header(record, CloudEvents.HEADER_TYPE);
    if (CloudEvents.SNAPSHOT_PART_TYPE.equals(type)) {
      SnapshotPart part = read(record, SnapshotPart.class);
      if (part == null) {
        reject(record, message, "not a snapshot part");
        return;
      }
      String problem = problem(record, part);
      if (problem != null) {
        reject(record, message, problem);
        return;
      }
      Map<Integer, Received> parts =
          pending.computeIfAbsent(part.snapshotId(), k -> new TreeMap<>());
      parts.put(part.part(), new Received(part, message));
      if (!part.last()) {
        return; // acknowledged with the whole snapshot
      }
      pending.remove(part.snapshotId());
      List<SnapshotPart> all = parts.values().stream().map(Received::part).toList();
      Snapshot snapshot;
      try {
        snapshot = Snapshot.of(all);
      } catch (IllegalArgumentException e) {
        reject(record, message, e.getMessage());
        parts.values().forEach(r -> r.message().ack());
        return;
      }
      reconciler.run(snapshot, false);
      parts.values().forEach(r -> r.message().ack());
    } else if (CloudEvents.SNAPSHOT_APPROVAL_TYPE.equals(type)) {
      SnapshotApproval approval = read(record, SnapshotApproval.class);
      if (approval == null
          || approval.snapshotId() == null
          || !approval.snapshotId().equals(record.key())) {
        reject(record, message, "not an approval keyed by its snapshot id");
        return;
      }
      List<SnapshotPart> parts =
          store.before(record.partition(), record.offset(), approval.snapshotId());
      Snapshot snapshot;
      try {
        snapshot = Snapshot.of(parts);
      } catch (IllegalArgumentException e) {
        reject(
            record,
            message,
            "approval of snapshot "
                + approval.snapshotId()
                + " found no whole snapshot before it: "
                + e.getMessage());
        return;
      }
      if (snapshot.mode() != SnapshotMode.APPLY) {
        reject(
            record,
            message,
            "approval of snapshot " + snapshot.snapshotId() + " in report mode: nothing to apply");
        return;
      }
      Log.infof(
          "snapshot %s approved by %s at %s: applying",
          approval.snapshotId(), approval.approvedBy(), approval.approvedAt());
      reconciler.run(snapshot, true);
      message.ack();
    } else {
      reject(record, message, "unknown ce_type " + type);
    }
  }

  private static String problem(ConsumerRecord<String, String> record, SnapshotPart part) {
    if (part.snapshotId() == null || !part.snapshotId().equals(record.key())) {
      return "record key " + record.key() + " differs from snapshotId " + part.snapshotId();
    }
    if (part.mode() == null || part.receivedAt() == null) {
      return "snapshot part without mode or receivedAt";
    }
    if (part.parts() < 1 || part.part() < 0 || part.part() >= part.parts()) {
      return "part " + part.part() + " of " + part.parts();
    }
    if (part.employees().size() > SnapshotPart.MAX_EMPLOYEES) {
      return "more than " + SnapshotPart.MAX_EMPLOYEES + " employees in one part";
    }
    for (int i = 0; i < part.employees().size(); i++) {
      var e = part.employees().get(i);
      if (e == null || e.employeeId() == null || e.username() == null || e.status() == null) {
        return "employee "
            + i
            + " of part "
            + part.part()
            + " lacks employeeId, username or status";
      }
    }
    return null;
  }

  private void reject(ConsumerRecord<String, String> record, Message<String> message, String why) {
    Log.warnf(
        "%s@%d (key %s) cannot be processed: %s",
        record.topic(), record.offset(), record.key(), why);
    publisher.deadLetter(record, DlqReason.MALFORMED, why);
    message.ack();
  }

  private static <T> T read(ConsumerRecord<String, String> record, Class<T> type) {
    try {
      return record.value() == null ? null : EventJson.mapper().readValue(record.value(), type);
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /** Parts waiting for the rest of their snapshot (tests). */
  List<String> waiting() {
    return new ArrayList<>(pending.keySet());
  }
}
