package dev.roster.policy;

import java.util.List;
import java.util.Map;

/**
 * One statement of an identity policy. {@code notAction}/{@code notResource} say whether the lists
 * came from {@code NotAction}/{@code NotResource}. {@code condition} maps an operator (as written,
 * e.g. {@code StringEqualsIfExists}) to its keys and values.
 */
public record Statement(
    String sid,
    Effect effect,
    List<String> actions,
    boolean notAction,
    List<String> resources,
    boolean notResource,
    Map<String, Map<String, List<String>>> condition) {
  public Statement {
    actions = List.copyOf(actions);
    resources = List.copyOf(resources);
    condition = Map.copyOf(condition);
  }
}
