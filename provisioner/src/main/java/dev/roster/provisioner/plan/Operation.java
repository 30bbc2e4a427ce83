package dev.roster.provisioner.plan;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One IAM mutation on one user. {@code target} names what is changed (group, key id, policy ARN or
 * name, MFA serial, tag keys) and, with the event id, account and action, makes the change id.
 *
 * @param tags tags to set ({@link IamAction#CREATE_USER}, {@link IamAction#TAG_USER})
 * @param tagKeys tag keys to remove ({@link IamAction#UNTAG_USER})
 */
public record Operation(
    IamAction action,
    String userName,
    String target,
    Map<String, String> tags,
    List<String> tagKeys) {

  public Operation {
    tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
    tagKeys = tagKeys == null ? List.of() : List.copyOf(tagKeys);
  }

  public static Operation of(IamAction action, String userName, String target) {
    return new Operation(action, userName, target, null, null);
  }

  public static Operation createUser(String userName, Map<String, String> tags) {
    return new Operation(IamAction.CREATE_USER, userName, userName, tags, null);
  }

  public static Operation tagUser(String userName, Map<String, String> tags) {
    return new Operation(
        IamAction.TAG_USER, userName, String.join(",", new TreeMap<>(tags).keySet()), tags, null);
  }

  public static Operation untagUser(String userName, List<String> keys) {
    List<String> sorted = keys.stream().sorted().toList();
    return new Operation(IamAction.UNTAG_USER, userName, String.join(",", sorted), null, sorted);
  }

  /** Whether this puts Roster's deny-all: the cut-off itself. */
  public boolean isDenyAll() {
    return action == IamAction.PUT_USER_POLICY && Tags.DENY_ALL_POLICY.equals(target);
  }

  @Override
  public String toString() {
    return action.apiName() + "(" + userName + ", " + target + ")";
  }
}
