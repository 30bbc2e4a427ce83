package dev.roster.provisioner.iam;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Groups seen to exist, per account: a mapped group is checked once, not on every event. A group
 * deleted later makes {@code AddUserToGroup} fail with {@code NoSuchEntity} (reason iam-error).
 */
public final class KnownGroups {
  private final IamGateway iam;
  private final Map<String, Set<String>> known = new ConcurrentHashMap<>();

  public KnownGroups(IamGateway iam) {
    this.iam = iam;
  }

  /** The groups of {@code groups} that IAM does not have in {@code account}. */
  public List<String> missing(String account, Collection<String> groups) {
    Set<String> seen = known.computeIfAbsent(account, a -> ConcurrentHashMap.newKeySet());
    List<String> missing = new ArrayList<>();
    for (String group : groups) {
      if (seen.contains(group)) {
        continue;
      }
      if (iam.groupExists(account, group)) {
        seen.add(group);
      } else {
        missing.add(group);
      }
    }
    return missing;
  }
}
