package dev.roster.provisioner.messaging;

import dev.roster.provisioner.config.ProvisionerConfig;
import dev.roster.provisioner.dispatch.OffsetTracker;
import dev.roster.provisioner.schedule.Schedule;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Keeps an employee's events from being applied by two consumers at once when partitions move
 * (scale out, rolling deploy, a consumer that fell out of the group).
 *
 * <p>Without it, a rebalance hands a partition to its new owner while the old one is still applying
 * an event; the new owner re-reads the uncommitted event and the next one (say, a leave) and a late
 * {@code AddUserToGroup} of the old owner could land after the leave. So:
 *
 * <ul>
 *   <li>a revoked partition's events in flight (several at once, of different employees) are
 *       drained: the revoke callback, which holds up the rebalance, waits for all of them (up to
 *       {@code roster.revoke-drain-timeout}) and commits up to the lowest record not finished, so
 *       the new owner starts behind what was done instead of re-applying it, and never after a
 *       record that was not;
 *   <li>an event that outlives the wait, or whose partition was lost, is fenced: the provisioner
 *       makes no further mutation (it asks {@link Ticket#owned()} before each one);
 *   <li>records polled before the partition changed hands (already buffered in the pipeline) are
 *       stale and skipped: the new owner reads them again.
 * </ul>
 *
 * One instance serves every consumer of the channel; the connector calls it on the polling thread.
 */
@ApplicationScoped
@Identifier(PartitionFence.NAME)
public class PartitionFence implements KafkaConsumerRebalanceListener {
  /** Referenced by {@code consumer-rebalance-listener.name} of the hr-events channel. */
  public static final String NAME = "roster-hr-events-fence";

  private final Duration drainTimeout;

  /** Partitions this process owns, with the group generation in which they were assigned. */
  private final Map<TopicPartition, Integer> owned = new HashMap<>();

  /** The events being applied per partition: several at once, at most one per employee. */
  private final Map<TopicPartition, Set<Ticket>> inFlight = new HashMap<>();

  /**
   * Per owned (or draining) partition, the records received and not yet finished: the commit on
   * revoke goes up to the lowest of them. The connector learns of completion asynchronously (the
   * acknowledgement), so its own commit on revoke can miss the newest ones; committing this too
   * spares the new owner re-applying them.
   */
  private final Map<TopicPartition, OffsetTracker> offsets = new HashMap<>();

  /** The held events of the owned partitions; null when not used (tests of the fence alone). */
  private final Schedule schedule;

  /** A fence alone, without a schedule to load and drop (tests). */
  public PartitionFence(ProvisionerConfig config) {
    this(config, (Schedule) null);
  }

  @jakarta.inject.Inject
  public PartitionFence(ProvisionerConfig config, Schedule schedule) {
    this.drainTimeout = config.revokeDrainTimeout();
    this.schedule = schedule;
  }

  /** One record being applied; {@link #owned()} turns false once it must stop mutating. */
  public final class Ticket {
    private final TopicPartition partition;
    private final long offset;
    private final boolean timer;
    private boolean fenced;

    private Ticket(TopicPartition partition, long offset, boolean timer) {
      this.partition = partition;
      this.offset = offset;
      this.timer = timer;
    }

    public boolean owned() {
      synchronized (PartitionFence.this) {
        return !fenced;
      }
    }
  }

  /**
   * A record polled, before it waits for its turn: until it is finished, nothing at or after its
   * offset is committed on revoke. False when it is stale (see {@link #begin}).
   */
  public synchronized boolean received(TopicPartition partition, long offset, int generation) {
    if (stale(partition, generation)) {
      return false;
    }
    offsets.computeIfAbsent(partition, p -> new OffsetTracker()).received(offset);
    return true;
  }

  /**
   * Starts applying a record; {@code null} when the record is stale (its partition is not owned
   * here, or was reassigned after the record was polled) and must be skipped.
   *
   * @param generation the consumer group generation the record was polled in, -1 if unknown
   */
  public synchronized Ticket begin(TopicPartition partition, long offset, int generation) {
    if (stale(partition, generation)) {
      return null;
    }
    OffsetTracker tracker = offsets.computeIfAbsent(partition, p -> new OffsetTracker());
    if (!tracker.pending(offset)) {
      tracker.received(offset); // begun without a received() of its own
    }
    Ticket ticket = new Ticket(partition, offset, false);
    inFlight.computeIfAbsent(partition, p -> new HashSet<>()).add(ticket);
    return ticket;
  }

  private boolean stale(TopicPartition partition, int generation) {
    Integer assignedIn = owned.get(partition);
    return assignedIn == null || (generation >= 0 && generation < assignedIn);
  }

  /**
   * Starts applying the partition's due held events (no record of its own: nothing to commit);
   * {@code null} when the partition is not owned here. Drained and fenced like a record.
   */
  public synchronized Ticket beginTimer(TopicPartition partition) {
    if (!owned.containsKey(partition)) {
      return null;
    }
    Ticket ticket = new Ticket(partition, -1, true);
    inFlight.computeIfAbsent(partition, p -> new HashSet<>()).add(ticket);
    return ticket;
  }

  /**
   * Starts a record's early step, ahead of its turn (a leave's cut-off), with nothing to commit:
   * {@code null} when the record is stale (see {@link #begin}). Drained and fenced like a record;
   * end it with {@link #end}.
   */
  public synchronized Ticket beginEarly(TopicPartition partition, int generation) {
    if (stale(partition, generation)) {
      return null;
    }
    Ticket ticket = new Ticket(partition, -1, true);
    inFlight.computeIfAbsent(partition, p -> new HashSet<>()).add(ticket);
    return ticket;
  }

  /** Ends a record; {@code completed} when it was fully handled (published), not fenced. */
  public synchronized void end(Ticket ticket, boolean completed) {
    if (completed && !ticket.fenced && !ticket.timer) {
      OffsetTracker tracker = offsets.get(ticket.partition);
      if (tracker != null) {
        tracker.finished(ticket.offset);
      }
    }
    Set<Ticket> running = inFlight.get(ticket.partition);
    if (running != null && running.remove(ticket) && running.isEmpty()) {
      inFlight.remove(ticket.partition);
    }
    notifyAll();
  }

  private boolean running(Ticket ticket) {
    Set<Ticket> running = inFlight.get(ticket.partition);
    return running != null && running.contains(ticket);
  }

  @Override
  public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    if (schedule != null && !partitions.isEmpty()) {
      // Before any record of these partitions is handled: the held events are read to the end
      // first, so this owner decides from the durable state. A failure fails the poll (and the
      // channel): consuming without the schedule could apply a cancelled event or lose a leave.
      String topic = partitions.iterator().next().topic();
      schedule.assigned(
          partitions.stream().map(TopicPartition::partition).toList(),
          consumer.partitionsFor(topic).size());
    }
    int generation = consumer.groupMetadata().generationId();
    synchronized (this) {
      partitions.forEach(
          p -> {
            owned.put(p, generation);
            offsets.remove(p); // whatever was recorded belongs to an earlier ownership
          });
    }
  }

  @Override
  public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    List<Ticket> draining = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    synchronized (this) {
      for (TopicPartition p : partitions) {
        owned.remove(p);
        draining.addAll(inFlight.getOrDefault(p, Set.of()));
      }
      long deadline = System.nanoTime() + drainTimeout.toNanos();
      try {
        while (draining.stream().anyMatch(this::running)) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          wait(Math.max(1, left / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      draining.stream()
          .filter(this::running)
          .forEach(
              t -> {
                t.fenced = true;
                Log.warnf(
                    "%s@%d still applying after %s: fenced, its new owner finishes it",
                    t.partition, t.offset, drainTimeout);
              });
      for (TopicPartition p : partitions) {
        OffsetTracker tracker = offsets.remove(p);
        OptionalLong upTo = tracker == null ? OptionalLong.empty() : tracker.commitPoint();
        if (upTo.isPresent()) {
          commits.put(p, new OffsetAndMetadata(upTo.getAsLong()));
        }
      }
    }
    if (schedule != null) {
      schedule.dropped(partitions.stream().map(TopicPartition::partition).toList());
    }
    // Still on the polling thread and still a member: committing here is what lets the new owner
    // start after the drained events rather than re-announce them.
    if (!commits.isEmpty()) {
      try {
        consumer.commitSync(commits);
      } catch (RuntimeException e) {
        // Only costs a redelivery, which is idempotent.
        Log.warnf("committing drained offsets %s failed: %s", commits, e.toString());
      }
    }
  }

  @Override
  public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    // Another consumer may already own them: stop at once, nothing to commit.
    synchronized (this) {
      for (TopicPartition p : partitions) {
        owned.remove(p);
        offsets.remove(p);
        for (Ticket t : inFlight.getOrDefault(p, Set.of())) {
          t.fenced = true;
          Log.warnf("%s@%d: partition lost while applying: fenced", p, t.offset);
        }
      }
    }
    if (schedule != null) {
      schedule.dropped(partitions.stream().map(TopicPartition::partition).toList());
    }
  }
}
