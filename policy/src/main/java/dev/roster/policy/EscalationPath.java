package dev.roster.policy;

import java.util.List;

/**
 * A known way for a principal to gain more than it was given: it exists when every one of {@code
 * requires} may be allowed. {@code id} is stable (reports and tests use it).
 */
public record EscalationPath(String id, String description, List<Request> requires) {
  public EscalationPath {
    requires = List.copyOf(requires);
  }
}
