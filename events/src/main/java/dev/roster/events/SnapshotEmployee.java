package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One row of an HR snapshot: the employee as HR knows them now. Field rules are those of an event's
 * {@code employee} (same patterns and lengths); {@code roles} is empty for birthright access only,
 * and ignored for a terminated employee.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SnapshotEmployee(
    String employeeId,
    String username,
    EmployeeStatus status,
    List<String> roles,
    String email,
    String displayName,
    String department,
    String title,
    String timeZone) {

  public SnapshotEmployee {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  /** The event form of this row's employee, for the planner. */
  public Employee employee() {
    return new Employee(username, email, displayName, department, title, roles, timeZone);
  }
}
