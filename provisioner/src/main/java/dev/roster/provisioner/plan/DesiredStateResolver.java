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
    tags.put(Tags.LAST_EVENT_AT, event.occurredAt().toInstant().toString());
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
        event.occurredAt().toInstant());
  }

  private static List<String> roles(Employee employee) {
    return employee == null || employee.roles() == null ? List.of() : employee.roles();
  }
}
