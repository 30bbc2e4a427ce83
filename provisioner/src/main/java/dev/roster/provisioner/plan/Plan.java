package dev.roster.provisioner.plan;

import java.util.List;

/** The planner's answer for one user in one account. */
public record Plan(Verdict verdict, List<Operation> operations, String reason) {

  public enum Verdict {
    /** Apply {@code operations} (none when already converged). */
    APPLY,
    /** The event is older than the last one applied to this user: nothing is done. */
    STALE,
    /** The user name belongs to someone else (not Roster's, or another employee): hands off. */
    REJECTED
  }

  public Plan {
    operations = List.copyOf(operations);
  }

  public static Plan apply(List<Operation> operations) {
    return new Plan(Verdict.APPLY, operations, null);
  }

  public static Plan stale(String reason) {
    return new Plan(Verdict.STALE, List.of(), reason);
  }

  public static Plan rejected(String reason) {
    return new Plan(Verdict.REJECTED, List.of(), reason);
  }
}
