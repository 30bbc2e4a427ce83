package dev.roster.provisioner.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.roster.events.Employee;
import dev.roster.events.EmployeeStatus;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.SnapshotEmployee;
import dev.roster.provisioner.plan.DesiredStateResolver;
import java.time.Instant;
import java.util.List;

/**
 * What HR last said of an employee, as far as Roster applied it: the state the drift check holds
 * IAM against. Kept in the employee's {@link EmployeeSchedule} on {@code provisioner.scheduled}, so
 * it is durable, and owned and read by the owner of the employee's {@code hr.events} partition
 * only.
 *
 * @param eventId the HR event that left this state
 * @param watermark that event's watermark (as the planner tags it): a drift correction is dated
 *     there, so an event applied meanwhile makes it stale, never the other way round
 * @param employee the employee as the events described them (fields of a later event win; absent
 *     for someone HR only ever sent a leave for)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Applied(
    String eventId, EventType type, Instant watermark, EmployeeStatus status, Employee employee) {

  /** The state after {@code event} was applied on top of {@code before} (may be null). */
  public static Applied after(HrEvent event, Applied before) {
    Employee earlier = before == null ? null : before.employee();
    Employee merged = merge(earlier, event.type() == EventType.LEAVE ? null : event.employee());
    return new Applied(
        event.eventId(),
        event.type(),
        DesiredStateResolver.watermark(event),
        event.type() == EventType.LEAVE ? EmployeeStatus.TERMINATED : EmployeeStatus.ACTIVE,
        merged);
  }

  /**
   * Whether {@code event} may replace this state: it is not older, and a hire of the same instant
   * does not undo a leave (the leave wins the tie, as in the planner).
   */
  public boolean replacedBy(HrEvent event) {
    Instant at = DesiredStateResolver.watermark(event);
    if (at.isBefore(watermark)) {
      return false;
    }
    return !(at.equals(watermark)
        && status == EmployeeStatus.TERMINATED
        && event.type() != EventType.LEAVE);
  }

  /** This state as a snapshot row, for the comparison with IAM. */
  public SnapshotEmployee asSnapshotEmployee(String employeeId) {
    Employee e = employee;
    return new SnapshotEmployee(
        employeeId,
        e == null ? null : e.username(),
        status,
        e == null || e.roles() == null ? List.of() : e.roles(),
        e == null ? null : e.email(),
        e == null ? null : e.displayName(),
        e == null ? null : e.department(),
        e == null ? null : e.title(),
        e == null ? null : e.timeZone());
  }

  private static Employee merge(Employee before, Employee now) {
    if (now == null) {
      return before;
    }
    if (before == null) {
      return now;
    }
    return new Employee(
        or(now.username(), before.username()),
        or(now.email(), before.email()),
        or(now.displayName(), before.displayName()),
        or(now.department(), before.department()),
        or(now.title(), before.title()),
        now.roles() != null ? now.roles() : before.roles(),
        or(now.timeZone(), before.timeZone()));
  }

  private static String or(String a, String b) {
    return a != null ? a : b;
  }
}
