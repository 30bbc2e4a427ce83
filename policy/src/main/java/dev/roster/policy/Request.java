package dev.roster.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One question to the evaluator: an action, a resource ARN or {@code null} for "some resource", and
 * what is known of the request context (condition keys, case-insensitive, each with its values). A
 * key the context does not hold is unknown, not absent: a condition on it is undecided.
 */
public record Request(String action, String resource, Map<String, List<String>> context) {
  public Request {
    Objects.requireNonNull(action, "action");
    Map<String, List<String>> normalized = new LinkedHashMap<>();
    context.forEach((k, v) -> normalized.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    context = Map.copyOf(normalized);
  }

  /** The action on some resource: allowed if any resource may be, denied only if all are. */
  public static Request of(String action) {
    return new Request(action, null, Map.of());
  }

  public static Request of(String action, String resource) {
    return new Request(action, Objects.requireNonNull(resource, "resource"), Map.of());
  }

  public Request with(String key, String... values) {
    Map<String, List<String>> next = new LinkedHashMap<>(context);
    next.put(key.toLowerCase(Locale.ROOT), List.of(values));
    return new Request(action, resource, next);
  }

  /** Whether the question is about some resource rather than one. */
  public boolean anyResource() {
    return resource == null;
  }
}
