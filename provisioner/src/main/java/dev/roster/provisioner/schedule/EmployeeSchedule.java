package dev.roster.provisioner.schedule;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One employee's value on {@code provisioner.scheduled}: what is pending, in due order, the last
 * {@link #MAX_CLOSED} events the schedule ended, and the HR state the last applied event left
 * ({@link Applied}, null before the first). Immutable; every change is a new value, written to
 * Kafka before it counts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmployeeSchedule(
    String employeeId, List<Pending> pending, List<Closed> closed, Applied applied) {
  /** Enough to recognise redeliveries, small enough for a compacted record per employee. */
  public static final int MAX_CLOSED = 50;

  static final Comparator<Pending> DUE_ORDER =
      Comparator.comparing(Pending::dueAt).thenComparingLong(Pending::seq);

  public EmployeeSchedule {
    pending = pending == null ? List.of() : pending.stream().sorted(DUE_ORDER).toList();
    closed = closed == null ? List.of() : List.copyOf(closed);
  }

  public EmployeeSchedule(String employeeId, List<Pending> pending, List<Closed> closed) {
    this(employeeId, pending, closed, null);
  }

  public static EmployeeSchedule empty(String employeeId) {
    return new EmployeeSchedule(employeeId, List.of(), List.of(), null);
  }

  /** Nothing pending, remembered or applied: the value is a tombstone. */
  @JsonIgnore // not part of the record on the topic, which readers refuse unknown fields of
  public boolean isEmpty() {
    return pending.isEmpty() && closed.isEmpty() && applied == null;
  }

  public EmployeeSchedule applying(Applied state) {
    return new EmployeeSchedule(employeeId, pending, closed, state);
  }

  public Optional<Pending> pending(String id) {
    return pending.stream().filter(p -> p.id().equals(id)).findFirst();
  }

  public Optional<Closed> closed(String eventId) {
    return closed.stream().filter(c -> c.eventId().equals(eventId)).findFirst();
  }

  /** The first pending entry due at {@code now}, if any. */
  public Optional<Pending> firstDue(Instant now) {
    return pending.isEmpty() || pending.get(0).dueAt().isAfter(now)
        ? Optional.empty()
        : Optional.of(pending.get(0));
  }

  public EmployeeSchedule with(Pending entry) {
    List<Pending> next = new ArrayList<>(pending);
    next.removeIf(p -> p.id().equals(entry.id()));
    next.add(entry);
    return new EmployeeSchedule(employeeId, next, closed, applied);
  }

  public EmployeeSchedule without(Predicate<Pending> which) {
    List<Pending> next = new ArrayList<>(pending);
    next.removeIf(which);
    return new EmployeeSchedule(employeeId, next, closed, applied);
  }

  public EmployeeSchedule closing(Closed c) {
    List<Closed> next = new ArrayList<>(closed);
    next.removeIf(x -> x.eventId().equals(c.eventId()));
    next.add(c);
    while (next.size() > MAX_CLOSED) {
      next.remove(0);
    }
    return new EmployeeSchedule(employeeId, pending, next, applied);
  }
}
