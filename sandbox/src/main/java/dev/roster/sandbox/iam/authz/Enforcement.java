package dev.roster.sandbox.iam.authz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.sandbox.iam.action.Caller;
import dev.roster.sandbox.iam.eval.IamPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Opt-in authorisation of callers, per account: requests signed with a given access key, or with
 * the session credentials of a given role (from AssumeRole), are held to identity policy documents
 * and optionally a permissions boundary, evaluated with the sandbox's own evaluator. Every other
 * caller may still do anything (the sandbox's default).
 */
public final class Enforcement {
  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

  /**
   * One rule, as the admin API shows it: exactly one of {@code accessKeyId} and {@code role};
   * {@code boundaries} may be empty (no permissions boundary).
   */
  public record Rule(
      String account,
      String accessKeyId,
      String role,
      List<String> policies,
      List<String> boundaries) {
    public Rule {
      policies = policies == null ? List.of() : List.copyOf(policies);
      boundaries = boundaries == null ? List.of() : List.copyOf(boundaries);
    }
  }

  /** A rule with its documents parsed; {@code boundary} is null without a boundary. */
  record Compiled(Rule rule, List<IamPolicy> identity, List<IamPolicy> boundary) {}

  // Copy-on-write: a request sees the old rules or the new ones, never a half-replaced set.
  private volatile Map<String, Compiled> rules = Map.of();

  /** Holds requests signed with {@code accessKeyId} in {@code account} to these policies. */
  public Enforcement forAccessKey(
      String account, String accessKeyId, List<String> policies, List<String> boundaries) {
    return add(new Rule(account, accessKeyId, null, policies, boundaries));
  }

  /** Holds every session of role {@code roleName} in {@code account} to these policies. */
  public Enforcement forRole(
      String account, String roleName, List<String> policies, List<String> boundaries) {
    return add(new Rule(account, null, roleName, policies, boundaries));
  }

  /** Adds (or replaces, for the same principal) one rule; IllegalArgumentException if invalid. */
  public Enforcement add(Rule rule) {
    Compiled compiled = compile(rule);
    synchronized (this) {
      Map<String, Compiled> next = new HashMap<>(rules);
      next.put(key(rule.account(), rule.accessKeyId(), rule.role()), compiled);
      rules = Map.copyOf(next);
    }
    return this;
  }

  public synchronized void clear() {
    rules = Map.of();
  }

  /** The rules in force, ordered by account, then principal. */
  public List<Rule> rules() {
    return rules.values().stream()
        .map(Compiled::rule)
        .sorted(
            Comparator.comparing(Rule::account)
                .thenComparing(r -> r.accessKeyId() == null ? "" : r.accessKeyId())
                .thenComparing(r -> r.role() == null ? "" : r.role()))
        .toList();
  }

  /**
   * Replaces every rule with those of {@code {"rules": [...]}} (admin API); policy documents may be
   * JSON objects or strings. Nothing changes when one rule is invalid.
   */
  public void configure(JsonNode body) {
    JsonNode list = body == null ? null : body.get("rules");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("body must be {\"rules\": [...]}");
    }
    List<Compiled> parsed = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode r = list.get(i);
      try {
        parsed.add(
            compile(
                new Rule(
                    r.path("account").asText(null),
                    r.path("accessKeyId").asText(null),
                    r.path("role").asText(null),
                    documents(r.get("policies")),
                    documents(r.get("boundaries")))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("rules[" + i + "]: " + e.getMessage());
      }
    }
    Map<String, Compiled> next = new HashMap<>();
    for (Compiled c : parsed) {
      next.put(key(c.rule().account(), c.rule().accessKeyId(), c.rule().role()), c);
    }
    synchronized (this) {
      rules = Map.copyOf(next);
    }
  }

  /** The rule that applies to a caller, or null when the caller is not held to any. */
  Compiled ruleFor(Caller caller) {
    Map<String, Compiled> current = rules;
    if (current.isEmpty()) {
      return null;
    }
    if (caller.session() != null) {
      Compiled byRole = current.get(key(caller.accountId(), null, caller.session().roleName));
      if (byRole != null) {
        return byRole;
      }
    }
    return caller.accessKeyId() == null
        ? null
        : current.get(key(caller.accountId(), caller.accessKeyId(), null));
  }

  private static Compiled compile(Rule rule) {
    if (rule.account() == null || !ACCOUNT_ID.matcher(rule.account()).matches()) {
      throw new IllegalArgumentException("account must be 12 digits: " + rule.account());
    }
    if ((rule.accessKeyId() == null) == (rule.role() == null)) {
      throw new IllegalArgumentException("give exactly one of accessKeyId and role");
    }
    if (rule.policies().isEmpty()) {
      throw new IllegalArgumentException("policies must list at least one policy document");
    }
    List<IamPolicy> identity = parse(rule.policies(), "policies");
    List<IamPolicy> boundary =
        rule.boundaries().isEmpty() ? null : parse(rule.boundaries(), "boundaries");
    return new Compiled(rule, identity, boundary);
  }

  private static List<IamPolicy> parse(List<String> documents, String field) {
    List<IamPolicy> out = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      String id = field + "[" + i + "]";
      try {
        out.add(IamPolicy.parse(id, "none", documents.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(id + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static List<String> documents(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException("policies and boundaries must be arrays");
    }
    node.forEach(d -> out.add(d.isTextual() ? d.asText() : d.toString()));
    return out;
  }

  private static String key(String account, String accessKeyId, String role) {
    // Role names are case-insensitive in IAM; access key ids are not.
    return accessKeyId != null
        ? account + "|key|" + accessKeyId
        : account + "|role|" + role.toLowerCase(Locale.ROOT);
  }
}
