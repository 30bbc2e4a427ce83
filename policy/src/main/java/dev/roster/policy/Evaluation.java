package dev.roster.policy;

import java.util.List;

/**
 * A decision and the statements behind it: those that allow (or may), and those that deny (or may),
 * each named by its document's source and its Sid or index.
 */
public record Evaluation(Decision decision, List<String> allowedBy, List<String> deniedBy) {
  public Evaluation {
    allowedBy = List.copyOf(allowedBy);
    deniedBy = List.copyOf(deniedBy);
  }
}
