package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The employee as HR describes them in an event. {@code roles} is null when the event does not
 * speak about roles (a leave), and empty for birthright access only. {@code timeZone} is an IANA
 * zone name (e.g. {@code Europe/Berlin}): the zone in which a date-only {@code effectiveAt} is
 * read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Employee(
    String username,
    String email,
    String displayName,
    String department,
    String title,
    List<String> roles,
    String timeZone) {

  public Employee {
    roles = roles == null ? null : List.copyOf(roles);
  }

  /** An employee without a time zone of their own (the configured default applies). */
  public Employee(
      String username,
      String email,
      String displayName,
      String department,
      String title,
      List<String> roles) {
    this(username, email, displayName, department, title, roles, null);
  }
}
