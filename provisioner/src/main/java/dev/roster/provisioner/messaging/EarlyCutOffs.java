package dev.roster.provisioner.messaging;

import dev.roster.events.EventValidator;
import dev.roster.events.HrEvent;
import dev.roster.events.Validation;
import dev.roster.provisioner.Provisioner;
import dev.roster.provisioner.Provisioner.EarlyCut;
import dev.roster.provisioner.iam.Fenced;
import dev.roster.provisioner.schedule.Timeline;
import io.quarkus.logging.Log;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Leaves cut off as soon as they are taken in, not when their turn comes: a leave's turn may wait
 * behind its employee's earlier events and behind other events' cleanups (a burst of 1,000 leaves),
 * but its deny-alls need not. Each leave admitted by the dispatcher starts its cut-off here, on a
 * bounded executor (waiting cut-offs hold no thread); its turn then takes the answer ({@link
 * #take}) and goes on with the full read and cleanup. Only leaves the timeline applies now (not
 * held for a later {@code effectiveAt}, not refused) are cut early; whatever fails or is in doubt
 * here leaves the cut-off to the leave's turn.
 */
public final class EarlyCutOffs {
  /** Nothing cut early: every leave's cut-off comes at its turn. */
  public static final EarlyCutOffs NONE = new EarlyCutOffs(null, null, null, null);

  private final Provisioner provisioner;
  private final Timeline timeline;
  private final PartitionFence fence;
  private final Executor executor;
  private final Map<String, CompletableFuture<Optional<EarlyCut>>> started =
      new ConcurrentHashMap<>();

  /**
   * @param executor runs the early cut-offs, a few at once: each forks its accounts onto the
   *     cut-off threads
   */
  public EarlyCutOffs(
      Provisioner provisioner, Timeline timeline, PartitionFence fence, Executor executor) {
    this.provisioner = provisioner;
    this.timeline = timeline;
    this.fence = fence;
    this.executor = executor;
  }

  private static String key(ConsumerRecord<String, String> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }

  /** Starts the cut-off of {@code record} if it is a leave (polled in {@code generation}). */
  public void start(ConsumerRecord<String, String> record, int generation) {
    if (executor == null) {
      return;
    }
    started.put(
        key(record), CompletableFuture.supplyAsync(() -> cut(record, generation), executor));
  }

  /**
   * The record's early cut-off, waited for; empty when none was started or it did not cut (the
   * leave's turn then cuts as it always did). Call once per record, whatever becomes of it.
   */
  public Optional<EarlyCut> take(ConsumerRecord<String, String> record) {
    CompletableFuture<Optional<EarlyCut>> early = started.remove(key(record));
    if (early == null) {
      return Optional.empty();
    }
    try {
      return early.join();
    } catch (RuntimeException e) {
      return Optional.empty(); // logged where it failed
    }
  }

  /** Early cut-offs started and not yet taken (a gauge, tests). */
  public int pending() {
    return started.size();
  }

  private Optional<EarlyCut> cut(ConsumerRecord<String, String> record, int generation) {
    String value = record.value();
    if (value == null) {
      return Optional.empty();
    }
    Validation validation =
        EventValidator.validate(value.getBytes(StandardCharsets.UTF_8), timeline.defaultZone());
    if (!validation.isValid()) {
      return Optional.empty(); // the leave's turn rejects it, with the reasons
    }
    HrEvent event = validation.event();
    if ((record.key() != null && !record.key().equals(event.employeeId()))
        || !timeline.appliesNow(event)) {
      return Optional.empty();
    }
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    PartitionFence.Ticket ticket = fence.beginEarly(partition, generation);
    if (ticket == null) {
      return Optional.empty();
    }
    try {
      return provisioner.cutOffEarly(event, ticket::owned);
    } catch (Fenced f) {
      Log.warnf("%s@%d: early cut-off: %s", partition, record.offset(), f.getMessage());
      return Optional.empty();
    } catch (RuntimeException e) {
      Log.warnf(
          e,
          "%s@%d: early cut-off of event %s failed, left to its turn: %s",
          partition,
          record.offset(),
          event.eventId(),
          e.getMessage());
      return Optional.empty();
    } finally {
      fence.end(ticket, false);
    }
  }
}
