package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The employee as HR describes them in an event. {@code roles} is null when the event does not
 * speak about roles (a leave), and empty for birthright access only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Employee(
    String username,
    String email,
    String displayName,
    String department,
    String title,
    List<String> roles) {

  public Employee {
    roles = roles == null ? null : List.copyOf(roles);
  }
}
