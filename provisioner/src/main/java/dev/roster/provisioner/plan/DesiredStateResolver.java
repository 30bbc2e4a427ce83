package dev.roster.provisioner.plan;

import dev.roster.events.Employee;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.provisioner.config.RoleMapping;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** From an HR event and the role mapping to the desired state of the employee in one account. */
public final class DesiredStateResolver {
  private DesiredStateResolver() {}

  /**
   * @param userName the employee's user name in that account (existing, or the one to create)
   * @param now processing time, recorded as {@code roster:deactivated-at}
   */
  public static Desired resolve(
      RoleMapping mapping, HrEvent event, String account, String userName, Instant now) {
    Set<String> groups =
        event.type() == EventType.LEAVE
            ? Set.of()
            : mapping.desiredGroups(account, roles(event.employee()));
    boolean active = !groups.isEmpty();
    Map<String, String> tags = new HashMap<>();
    tags.put(Tags.EMPLOYEE_ID, event.employeeId());
    tags.put(Tags.MANAGED_BY, Tags.MANAGED_BY_ROSTER);
    Instant watermark = watermark(event);
    tags.put(Tags.LAST_EVENT_AT, watermark.toString());
    tags.put(Tags.LAST_EVENT_ID, event.eventId());
    Employee employee = event.employee();
    if (employee != null && employee.department() != null && !employee.department().isBlank()) {
      tags.put(Tags.DEPARTMENT, Tags.value(employee.department()));
    }
    if (employee != null && employee.title() != null && !employee.title().isBlank()) {
      tags.put(Tags.TITLE, Tags.value(employee.title()));
    }
    if (active) {
      tags.put(Tags.STATUS, Tags.STATUS_ACTIVE);
    } else {
      tags.put(Tags.STATUS, Tags.STATUS_DEACTIVATED);
      tags.put(Tags.DEACTIVATED_AT, now.toString());
    }
    return new Desired(
        event.employeeId(),
        userName,
        active,
        event.type() == EventType.HIRE,
        groups,
        tags,
        watermark);
  }

  /**
   * Where the event stands in the employee's order: when it occurred, or when it takes effect if
   * that is later (a held event applied at its moment). So a leave posted Monday for Friday,
   * applied on Friday, is not "older" than a role change posted and applied on Tuesday: it comes
   * after it, and the leaver is cut off.
   */
  public static Instant watermark(HrEvent event) {
    Instant occurred = event.occurredAt().toInstant();
    Instant effective = event.effectiveOrOccurred().toInstant();
    return effective.isAfter(occurred) ? effective : occurred;
  }

  private static List<String> roles(Employee employee) {
    return employee == null || employee.roles() == null ? List.of() : employee.roles();
  }
}
