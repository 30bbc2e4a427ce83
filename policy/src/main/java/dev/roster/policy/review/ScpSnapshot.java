package dev.roster.policy.review;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a review saw of the SCPs, kept for the next review: per target (root, OU or account id), the
 * SCPs attached to it with their content hash ({@link ScpHash}). A plain record, so it serializes
 * with Jackson as it is.
 */
public record ScpSnapshot(Map<String, List<Entry>> targets) {

  /** One attached SCP. */
  public record Entry(String id, String name, String hash) {}

  public ScpSnapshot {
    Map<String, List<Entry>> copy = new LinkedHashMap<>();
    targets.forEach((target, entries) -> copy.put(target, List.copyOf(entries)));
    targets = Collections.unmodifiableMap(copy);
  }

  /** Whether the SCP of this id was attached to this target. */
  public boolean attached(String targetId, String scpId) {
    return targets.getOrDefault(targetId, List.of()).stream().anyMatch(e -> e.id().equals(scpId));
  }

  /** The content hash the SCP of this id had (on any target), if it was seen. */
  public Optional<String> hashOf(String scpId) {
    return targets.values().stream()
        .flatMap(List::stream)
        .filter(e -> e.id().equals(scpId))
        .map(Entry::hash)
        .findFirst();
  }
}
