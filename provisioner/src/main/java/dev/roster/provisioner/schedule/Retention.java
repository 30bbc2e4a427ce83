package dev.roster.provisioner.schedule;

import dev.roster.events.HrEvent;
import dev.roster.events.Outcome;
import dev.roster.provisioner.Provisioner.Result;
import dev.roster.provisioner.config.Durations;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A leaver's users are deleted {@code roster.retention} after the cut-off: a {@link
 * Pending.Kind#RETENTION} entry on the employee's schedule, fired like a held event. A hire of the
 * same employee before then (rehire) removes it.
 */
public final class Retention {
  private final Optional<Duration> after;
  private final Schedule schedule;
  private final Deleter deleter;

  /** What deletes the leaver's users when the deadline comes. */
  public interface Deleter {
    /**
     * Deletes every user of the employee that Roster owns and deactivated; publishes the result.
     */
    void delete(int partition, String employeeId, Pending entry, BooleanSupplier owned);
  }

  /**
   * @param after empty: keep leavers' users for ever
   */
  public Retention(Optional<Duration> after, Schedule schedule, Deleter deleter) {
    this.after = after;
    this.schedule = schedule;
    this.deleter = deleter;
  }

  public Optional<Duration> after() {
    return after;
  }

  /**
   * Parses {@code roster.retention}: an ISO-8601 duration (e.g. {@code P90D}, {@code PT3S}) or
   * {@code none}.
   */
  public static Optional<Duration> parse(String value) {
    return Durations.orNone("roster.retention", value);
  }

  /** After a leave: the deadline, counted from the cut-off (only once every account is cut). */
  Optional<Pending> afterLeave(
      int partition, HrEvent leave, long seq, Result result, BooleanSupplier owned) {
    OffsetDateTime cutOffAt = result.outcome().cutOffAt();
    if (after.isEmpty() || cutOffAt == null) {
      return Optional.empty();
    }
    EmployeeSchedule mine = schedule.of(partition, leave.employeeId());
    boolean already = mine.pending().stream().anyMatch(p -> p.kind() == Pending.Kind.RETENTION);
    if (already) {
      return Optional.empty(); // the first cut-off counts, as for roster:deactivated-at
    }
    Pending entry = Pending.retention(leave.eventId(), cutOffAt.toInstant().plus(after.get()), seq);
    Timeline.fenceCheck(owned, entry.id());
    schedule.put(partition, mine.with(entry));
    Log.infof(
        "employee %s: users deleted at %s (retention %s after the cut-off of %s)",
        leave.employeeId(), entry.dueAt(), after.get(), leave.eventId());
    return Optional.of(entry);
  }

  /** A hire of the employee (rehire): the users are kept, the deadline removed. */
  List<Pending> afterHire(int partition, HrEvent hire, BooleanSupplier owned) {
    EmployeeSchedule mine = schedule.of(partition, hire.employeeId());
    List<Pending> deadlines =
        mine.pending().stream().filter(p -> p.kind() == Pending.Kind.RETENTION).toList();
    if (deadlines.isEmpty()) {
      return deadlines;
    }
    String reason = rehired(hire);
    EmployeeSchedule next = mine.without(deadlines::contains);
    for (Pending p : deadlines) {
      next = next.closing(new Closed(p.id(), Outcome.CANCELLED, reason));
    }
    Timeline.fenceCheck(owned, hire.eventId());
    schedule.put(partition, next);
    Log.infof(
        "employee %s: retention of %s %s",
        hire.employeeId(), deadlines.stream().map(Pending::id).toList(), reason);
    return deadlines;
  }

  static String rehired(HrEvent hire) {
    return "cancelled: employee rehired by event " + hire.eventId();
  }

  void fire(int partition, String employeeId, Pending entry, BooleanSupplier owned) {
    deleter.delete(partition, employeeId, entry, owned);
  }
}
