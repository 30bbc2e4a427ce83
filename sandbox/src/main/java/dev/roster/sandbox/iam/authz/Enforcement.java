package dev.roster.sandbox.iam.authz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.sandbox.iam.action.Caller;
import dev.roster.sandbox.iam.eval.IamPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

  private final Map<String, Compiled> rules = new ConcurrentHashMap<>();

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
    rules.put(key(rule.account(), rule.accessKeyId(), rule.role()), compiled);
    return this;
  }

  public void clear() {
    rules.clear();
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
    synchronized (this) {
      rules.clear();
      for (Compiled c : parsed) {
        rules.put(key(c.rule().account(), c.rule().accessKeyId(), c.rule().role()), c);
      }
    }
  }

  /** The rule that applies to a caller, or null when the caller is not held to any. */
  Compiled ruleFor(Caller caller) {
    if (rules.isEmpty()) {
      return null;
    }
    if (caller.session() != null) {
      Compiled byRole = rules.get(key(caller.accountId(), null, caller.session().roleName));
      if (byRole != null) {
        return byRole;
      }
    }
    return caller.accessKeyId() == null
        ? null
        : rules.get(key(caller.accountId(), caller.accessKeyId(), null));
  }

  boolean isEmpty() {
    return rules.isEmpty();
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
        : account + "|role|" + role.toLowerCase(java.util.Locale.ROOT);
  }
}
