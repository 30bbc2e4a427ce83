package dev.roster.provisioner.reconcile;

import dev.roster.events.HrEvent;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.SnapshotEmployee;
import dev.roster.events.Topics;
import dev.roster.provisioner.Provisioner;
import dev.roster.provisioner.iam.Fenced;
import dev.roster.provisioner.messaging.PartitionFence;
import dev.roster.provisioner.schedule.Applied;
import dev.roster.provisioner.schedule.EmployeeSchedule;
import dev.roster.provisioner.schedule.Schedule;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * Every {@code roster.reconcile.interval}, holds IAM against the HR state Roster last applied to
 * the employees of the {@code hr.events} partitions this instance owns ({@link Applied}, durable on
 * {@code provisioner.scheduled}), and corrects what differs ({@link Reconciler#drift}). So each
 * replica checks its own employees, and the owner of a partition is the only one that corrects
 * them. A correction runs under the employee's lock and a fence ticket of their partition, like an
 * HR event, and only if the employee's state is still the one the check compared: an event applied
 * meanwhile wins, and the next check looks again.
 */
public final class DriftCheck implements AutoCloseable {
  /** Applies one correction through the provisioner and publishes its records. */
  @FunctionalInterface
  public interface Corrections {
    /**
     * @param owned whether this instance still owns the employee's partition (asked before each
     *     mutation, as for an HR event)
     */
    Provisioner.Result apply(HrEvent event, BooleanSupplier owned);
  }

  private final Reconciler reconciler;
  private final Schedule schedule;
  private final PartitionFence fence;
  private final Corrections corrections;
  private final boolean repairAll;
  private final ScheduledExecutorService timer;

  /**
   * @param repairAll {@code roster.reconcile.drift=repair}: every difference is corrected; else
   *     ({@code report}) only a leaver's
   */
  public DriftCheck(
      Reconciler reconciler,
      Schedule schedule,
      PartitionFence fence,
      Corrections corrections,
      boolean repairAll) {
    this.reconciler = reconciler;
    this.schedule = schedule;
    this.fence = fence;
    this.corrections = corrections;
    this.repairAll = repairAll;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "roster-drift-check");
              t.setDaemon(true);
              return t;
            });
  }

  /** Checks every {@code interval}, the first time one interval after now. */
  public DriftCheck every(Duration interval) {
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            runOnce();
          } catch (RuntimeException e) {
            Log.errorf(e, "drift check failed, tried again in %s: %s", interval, e.getMessage());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
    return this;
  }

  /** One check now; empty when this instance owns no partition with a kept state. */
  public Optional<ReconciliationStatus> runOnce() {
    // HR's side first, then IAM: a change Roster applies in between is newer than the state
    // compared, so its correction is stale or skipped, never an undo.
    Map<Integer, List<EmployeeSchedule>> owned = schedule.applied();
    List<SnapshotEmployee> employees = new ArrayList<>();
    Map<String, Instant> watermarks = new HashMap<>();
    Map<String, Integer> partitions = new HashMap<>();
    Map<String, String> compared = new HashMap<>();
    owned.forEach(
        (p, values) -> {
          for (EmployeeSchedule v : values) {
            employees.add(v.applied().asSnapshotEmployee(v.employeeId()));
            watermarks.put(v.employeeId(), v.applied().watermark());
            partitions.put(v.employeeId(), p);
            compared.put(v.employeeId(), v.applied().eventId());
          }
        });
    if (employees.isEmpty()) {
      return Optional.empty();
    }
    String runId = "drift-" + UUID.randomUUID();
    return Optional.of(
        reconciler.drift(
            runId,
            employees,
            watermarks,
            repairAll,
            event -> correct(event, partitions.get(event.employeeId()), compared)));
  }

  private Provisioner.Result correct(HrEvent event, int partition, Map<String, String> compared) {
    String employee = event.employeeId();
    try (Schedule.Held lock = schedule.lock(employee)) {
      PartitionFence.Ticket ticket =
          fence.beginTimer(new TopicPartition(Topics.HR_EVENTS, partition));
      if (ticket == null) {
        return null; // handed over: the new owner checks its employees
      }
      boolean done = false;
      try {
        Applied now = schedule.of(partition, employee).applied();
        if (now == null || !now.eventId().equals(compared.get(employee))) {
          Log.infof(
              "drift check: employee %s changed since it was compared; not corrected now",
              employee);
          return null;
        }
        Provisioner.Result r = corrections.apply(event, ticket::owned);
        done = true;
        return r;
      } catch (Fenced f) {
        Log.warnf("drift check: %s", f.getMessage());
        return null;
      } finally {
        fence.end(ticket, done);
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
