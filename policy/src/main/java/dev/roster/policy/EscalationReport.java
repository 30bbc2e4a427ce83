package dev.roster.policy;

import java.util.List;

/**
 * What a set of policies lets its principal do to gain more: the IAM write actions it may perform
 * and the escalation paths open to it. Each entry carries the statements that allow it.
 */
public record EscalationReport(List<Grant> iamWrites, List<OpenPath> paths) {
  public EscalationReport {
    iamWrites = List.copyOf(iamWrites);
    paths = List.copyOf(paths);
  }

  /** Whether membership must be treated as privileged. */
  public boolean escalates() {
    return !iamWrites.isEmpty() || !paths.isEmpty();
  }

  /** An action that is allowed ({@code ALLOWED}) or may be ({@code MAY_ALLOW}). */
  public record Grant(String action, Decision decision, List<String> allowedBy) {
    public Grant {
      allowedBy = List.copyOf(allowedBy);
    }
  }

  /** A path whose every step may be allowed; {@code ALLOWED} only if every step is. */
  public record OpenPath(EscalationPath path, Decision decision, List<Grant> steps) {
    public OpenPath {
      steps = List.copyOf(steps);
    }
  }
}
