package dev.roster.provisioner.schedule;

import dev.roster.provisioner.iam.Fenced;
import io.quarkus.logging.Log;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is pending for the employees of the {@code hr.events} partitions this instance owns: loaded
 * from the {@link ScheduleStore} (read to its end) when a partition is assigned, before any of its
 * records is handled, and dropped when it is revoked or lost. So only the partition's owner decides
 * about its employees' pending events, and it decides from the durable state, never from what it
 * happened to see: a new owner, or the same instance after a restart, finds everything.
 *
 * <p>One lock per employee serialises the consumer applying an employee's event and the timer
 * firing the employee's due entries, so one employee's events are never applied two at a time,
 * while other employees of the partition go ahead.
 */
public final class Schedule {
  private final ScheduleStore store;
  private final Map<Integer, Map<String, EmployeeSchedule>> partitions = new ConcurrentHashMap<>();
  private final EmployeeLocks locks = new EmployeeLocks();

  /** An employee's lock, held until closed. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  public Schedule(ScheduleStore store) {
    this.store = store;
  }

  /** Loads the schedule of newly assigned partitions of hr.events ({@code count} in all). */
  public void assigned(Collection<Integer> assigned, int count) {
    if (assigned.isEmpty()) {
      return;
    }
    store.ensurePartitions(count);
    for (int p : assigned) {
      Map<String, EmployeeSchedule> values = new ConcurrentHashMap<>(store.load(p));
      partitions.put(p, values);
      long pending = values.values().stream().mapToLong(v -> v.pending().size()).sum();
      Log.infof(
          "schedule partition %d loaded: %d pending for %d employees", p, pending, values.size());
    }
  }

  /** Forgets revoked or lost partitions: their new owner loads them. */
  public void dropped(Collection<Integer> gone) {
    gone.forEach(partitions::remove);
  }

  /** Waits for the employee's lock. */
  public Held lock(String employeeId) {
    return locks.lock(employeeId);
  }

  /** The employee's lock if nobody holds it now. */
  public Optional<Held> tryLock(String employeeId) {
    return locks.tryLock(employeeId);
  }

  public boolean loaded(int partition) {
    return partitions.containsKey(partition);
  }

  /** The employee's value (empty if nothing is pending). */
  public EmployeeSchedule of(int partition, String employeeId) {
    Map<String, EmployeeSchedule> values = partitions.get(partition);
    if (values == null) {
      throw new Fenced("schedule partition " + partition + " is not owned here");
    }
    return values.getOrDefault(employeeId, EmployeeSchedule.empty(employeeId));
  }

  /** Writes the employee's new value durably, then uses it. Call with the employee's lock held. */
  public void put(int partition, EmployeeSchedule value) {
    Map<String, EmployeeSchedule> values = partitions.get(partition);
    if (values == null) {
      throw new Fenced("schedule partition " + partition + " is not owned here");
    }
    store.write(partition, value);
    if (value.isEmpty()) {
      values.remove(value.employeeId());
    } else {
      values.put(value.employeeId(), value);
    }
  }

  /** The owned partitions with an entry due at {@code now}. */
  public List<Integer> due(Instant now) {
    List<Integer> due = new ArrayList<>();
    partitions.forEach(
        (p, values) -> {
          if (values.values().stream().anyMatch(v -> v.firstDue(now).isPresent())) {
            due.add(p);
          }
        });
    return due;
  }

  /** The partition's employees with an entry due at {@code now}, earliest first. */
  public List<EmployeeSchedule> dueIn(int partition, Instant now) {
    Map<String, EmployeeSchedule> values = partitions.get(partition);
    if (values == null) {
      return List.of();
    }
    return values.values().stream()
        .filter(v -> v.firstDue(now).isPresent())
        .sorted(
            (a, b) ->
                EmployeeSchedule.DUE_ORDER.compare(
                    a.firstDue(now).orElseThrow(), b.firstDue(now).orElseThrow()))
        .toList();
  }

  /**
   * The employees of the owned partitions whose last applied HR state is kept, by partition: a copy
   * taken now (the drift check's view of HR).
   */
  public Map<Integer, List<EmployeeSchedule>> applied() {
    Map<Integer, List<EmployeeSchedule>> out = new TreeMap<>();
    partitions.forEach(
        (p, values) ->
            out.put(p, values.values().stream().filter(v -> v.applied() != null).toList()));
    return out;
  }

  /** Held HR events in the owned partitions (retention deadlines not counted). */
  public int heldCount() {
    return partitions.values().stream()
        .flatMap(v -> v.values().stream())
        .mapToInt(
            v -> (int) v.pending().stream().filter(p -> p.kind() == Pending.Kind.EVENT).count())
        .sum();
  }

  /** Everything pending in the owned partitions (health, tests). */
  public int pendingCount() {
    return partitions.values().stream()
        .flatMap(v -> v.values().stream())
        .mapToInt(v -> v.pending().size())
        .sum();
  }
}
