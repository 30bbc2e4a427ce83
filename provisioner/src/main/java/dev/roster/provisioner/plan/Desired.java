package dev.roster.provisioner.plan;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What one employee's user must look like in one account after an event.
 *
 * @param active the user must exist with {@code groups}; otherwise it must be deactivated (if it
 *     exists at all)
 * @param reactivate an active target may lift an earlier deactivation (a hire does, a role change
 *     does not: only HR re-hiring someone gives a leaver access back)
 * @param groups groups the user must be in (besides ignored ones); empty when not active
 * @param tags tags the user must carry (status and watermark included)
 * @param watermark {@code occurredAt} of the event; an older event than the user's is stale
 */
public record Desired(
    String employeeId,
    String userName,
    boolean active,
    boolean reactivate,
    Set<String> groups,
    Map<String, String> tags,
    Instant watermark) {

  public Desired {
    groups = Set.copyOf(groups);
    tags = Map.copyOf(tags);
  }
}
