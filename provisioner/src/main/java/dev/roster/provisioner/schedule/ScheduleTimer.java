package dev.roster.provisioner.schedule;

import dev.roster.events.Topics;
import dev.roster.provisioner.iam.Fenced;
import dev.roster.provisioner.messaging.PartitionFence;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;

/**
 * Looks every {@link #TICK} for employees of owned partitions with a due entry and fires them on a
 * small pool, one task per employee at a time, under the employee's lock and a fence ticket of the
 * partition: a partition handed over stops firing here at once, its new owner fires what is left.
 * An employee whose lock the consumer holds (one of their events is being applied) is looked at
 * again on the next tick, so the timer never waits behind a slow event. A fire that fails (Kafka or
 * IAM down) leaves the entry pending; it is tried again after {@link #RETRY_AFTER}.
 */
public final class ScheduleTimer implements AutoCloseable {
  /** How often due entries are looked for: the bound on how late a held event is applied. */
  public static final Duration TICK = Duration.ofMillis(100);

  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final Schedule schedule;
  private final Timeline timeline;
  private final PartitionFence fence;
  private final Clock clock;
  private final ScheduledExecutorService ticker;
  private final ExecutorService firing;
  private final Set<String> busy = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> failedAt = new ConcurrentHashMap<>();

  public ScheduleTimer(
      Schedule schedule, Timeline timeline, PartitionFence fence, Clock clock, int threads) {
    this.schedule = schedule;
    this.timeline = timeline;
    this.fence = fence;
    this.clock = clock;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "roster-schedule-tick");
              t.setDaemon(true);
              return t;
            });
    AtomicInteger n = new AtomicInteger();
    this.firing =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "roster-schedule-fire-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public ScheduleTimer start() {
    ticker.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void tick() {
    try {
      long now = System.nanoTime();
      Instant at = clock.instant();
      for (int p : schedule.due(at)) {
        for (EmployeeSchedule due : schedule.dueIn(p, at)) {
          String employee = due.employeeId();
          String key = p + "/" + employee;
          Long failed = failedAt.get(key);
          if (failed != null && now - failed < RETRY_AFTER.toNanos()) {
            continue;
          }
          if (busy.add(key)) {
            firing.execute(() -> fire(p, employee, key));
          }
        }
      }
    } catch (RuntimeException e) {
      Log.errorf(e, "schedule tick failed: %s", e.getMessage());
    }
  }

  private void fire(int partition, String employeeId, String key) {
    try {
      Optional<Schedule.Held> held = schedule.tryLock(employeeId);
      if (held.isEmpty()) {
        return; // the consumer is applying one of theirs, and fires what is due first
      }
      try (Schedule.Held lock = held.get()) {
        PartitionFence.Ticket ticket =
            fence.beginTimer(new TopicPartition(Topics.HR_EVENTS, partition));
        if (ticket == null) {
          return; // handed over between the tick and now
        }
        boolean done = false;
        try {
          timeline.fireDue(partition, employeeId, ticket::owned);
          done = true;
          failedAt.remove(key);
        } catch (Fenced f) {
          Log.warnf("schedule partition %d: %s", partition, f.getMessage());
        } catch (RuntimeException e) {
          failedAt.put(key, System.nanoTime());
          Log.errorf(
              e,
              "schedule partition %d, employee %s: firing failed, retried in %s: %s",
              partition,
              employeeId,
              RETRY_AFTER,
              e.getMessage());
        } finally {
          fence.end(ticket, done);
        }
      }
    } finally {
      busy.remove(key);
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    firing.shutdownNow();
  }
}
