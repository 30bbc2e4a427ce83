package dev.roster.listener;

import dev.roster.events.EventType;
import dev.roster.events.SnapshotMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code roster_events_accepted_total{type}}, {@code roster_events_rejected_total{reason}}, and for
 * HR snapshots {@code roster_snapshots_accepted_total{mode}}, {@code
 * roster_snapshots_rejected_total{reason}}, {@code roster_snapshot_rows_total} and {@code
 * roster_snapshot_approvals_total}, registered up front so that dashboards see zeros rather than
 * gaps.
 */
@Singleton
public class ListenerMetrics {
  /** Requests under these paths are counted as snapshot requests. */
  private static final String[] SNAPSHOT_PATHS = {"/v1/snapshots", "/v1/reconciliations"};

  private final Map<EventType, Counter> accepted = new EnumMap<>(EventType.class);
  private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
  private final Map<SnapshotMode, Counter> snapshotsAccepted = new EnumMap<>(SnapshotMode.class);
  private final Map<RejectReason, Counter> snapshotsRejected = new EnumMap<>(RejectReason.class);
  private final Counter snapshotRows;
  private final Counter approvals;

  public ListenerMetrics(MeterRegistry registry) {
    for (EventType type : EventType.values()) {
      accepted.put(
          type,
          Counter.builder("roster.events.accepted")
              .description("HR events acknowledged by Kafka and answered 202")
              .tag("type", type.wireName())
              .register(registry));
    }
    for (RejectReason reason : RejectReason.values()) {
      rejected.put(
          reason,
          Counter.builder("roster.events.rejected")
              .description("Requests refused, by reason")
              .tag("reason", reason.tag())
              .register(registry));
      snapshotsRejected.put(
          reason,
          Counter.builder("roster.snapshots.rejected")
              .description("Snapshot and approval requests refused, by reason")
              .tag("reason", reason.tag())
              .register(registry));
    }
    for (SnapshotMode mode : SnapshotMode.values()) {
      snapshotsAccepted.put(
          mode,
          Counter.builder("roster.snapshots.accepted")
              .description("HR snapshots acknowledged by Kafka and answered 202")
              .tag("mode", mode.wireName())
              .register(registry));
    }
    snapshotRows =
        Counter.builder("roster.snapshot.rows")
            .description("Employees of the HR snapshots acknowledged by Kafka")
            .register(registry);
    approvals =
        Counter.builder("roster.snapshot.approvals")
            .description("Approvals of held reconciliations acknowledged by Kafka")
            .register(registry);
  }

  public void accepted(EventType type) {
    accepted.get(type).increment();
  }

  public void rejected(RejectReason reason) {
    rejected.get(reason).increment();
  }

  /** A refusal of the request at {@code path}: snapshot and approval requests apart. */
  public void rejected(RejectReason reason, String path) {
    for (String prefix : SNAPSHOT_PATHS) {
      if (path != null && path.startsWith(prefix)) {
        snapshotsRejected.get(reason).increment();
        return;
      }
    }
    rejected(reason);
  }

  public void snapshotAccepted(SnapshotMode mode, int rows) {
    snapshotsAccepted.get(mode).increment();
    snapshotRows.increment(rows);
  }

  public void approvalAccepted() {
    approvals.increment();
  }
}
