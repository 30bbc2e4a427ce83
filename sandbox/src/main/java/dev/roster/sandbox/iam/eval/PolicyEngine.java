package dev.roster.sandbox.iam.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sandbox's own IAM policy evaluation (deliberately not the product's evaluator, so that a bug
 * in one shows up against the other). It decides the way IAM does, with no "undecided": an explicit
 * deny in any policy wins; otherwise an identity policy must allow and, when permissions boundaries
 * are given, a boundary policy too; otherwise the implicit deny.
 *
 * <p>The resource {@code *} means "all resources", as in IAM's policy simulator: every {@code
 * Resource} pattern matches it, and a {@code NotResource} matches it unless it lists {@code *}.
 */
public final class PolicyEngine {
  private PolicyEngine() {}

  /** A statement that decided the result, as SimulatePrincipalPolicy reports it. */
  public record Matched(IamPolicy policy, IamPolicy.Stmt statement) {}

  /** The decision, the statements behind it and the context keys the policies lacked. */
  public record Result(EvalDecision decision, List<Matched> matched, Set<String> missingContext) {
    public Result {
      matched = List.copyOf(matched);
      missingContext = Set.copyOf(missingContext);
    }
  }

  /**
   * @param boundary permissions boundary policies, or null for none
   * @param context condition keys (case-insensitive) and their values
   */
  public static Result evaluate(
      List<IamPolicy> identity,
      List<IamPolicy> boundary,
      String action,
      String resource,
      Map<String, List<String>> context) {
    return evaluate(identity, boundary, action, resource, context, true);
  }

  /**
   * Decides a real request, as IAM authorises it: unlike the simulator, the resource {@code *} (an
   * action without resource-level permissions, such as ListUsers) is matched only by a {@code
   * Resource} pattern that matches the text {@code *}, in practice {@code "*"} itself.
   */
  public static Result authorize(
      List<IamPolicy> identity,
      List<IamPolicy> boundary,
      String action,
      String resource,
      Map<String, List<String>> context) {
    return evaluate(identity, boundary, action, resource, context, false);
  }

  private static Result evaluate(
      List<IamPolicy> identity,
      List<IamPolicy> boundary,
      String action,
      String resource,
      Map<String, List<String>> context,
      boolean simulator) {
    Context ctx = new Context(context);
    List<Matched> denies = new ArrayList<>();
    List<Matched> allows = new ArrayList<>();
    collect(identity, action, resource, ctx, allows, denies, simulator);
    boolean boundaryAllows = true;
    if (boundary != null) {
      List<Matched> boundaryAllowed = new ArrayList<>();
      collect(boundary, action, resource, ctx, boundaryAllowed, denies, simulator);
      boundaryAllows = !boundaryAllowed.isEmpty();
    }
    if (!denies.isEmpty()) {
      return new Result(EvalDecision.EXPLICIT_DENY, denies, ctx.missing);
    }
    if (!allows.isEmpty() && boundaryAllows) {
      return new Result(EvalDecision.ALLOWED, allows, ctx.missing);
    }
    return new Result(EvalDecision.IMPLICIT_DENY, List.of(), ctx.missing);
  }

  private static void collect(
      List<IamPolicy> policies,
      String action,
      String resource,
      Context ctx,
      List<Matched> allows,
      List<Matched> denies,
      boolean simulator) {
    for (IamPolicy policy : policies) {
      for (IamPolicy.Stmt s : policy.statements()) {
        if (applies(policy, s, action, resource, ctx, simulator)) {
          (s.allow() ? allows : denies).add(new Matched(policy, s));
        }
      }
    }
  }

  private static boolean applies(
      IamPolicy policy,
      IamPolicy.Stmt s,
      String action,
      String resource,
      Context ctx,
      boolean simulator) {
    boolean actionListed = false;
    for (String a : s.actions()) {
      actionListed |= Glob.matches(a, action, true);
    }
    if (actionListed == s.notAction()) {
      return false;
    }
    boolean resourceListed = false;
    for (String r : s.resources()) {
      resourceListed |= resourceMatches(policy, r, resource, ctx, s.notResource(), simulator);
    }
    if (resourceListed == s.notResource()) {
      return false;
    }
    return ConditionBlock.holds(s.condition(), ctx, policy.variables());
  }

  private static boolean resourceMatches(
      IamPolicy policy,
      String pattern,
      String resource,
      Context ctx,
      boolean negated,
      boolean simulator) {
    if (simulator && resource.equals("*")) {
      return !negated || pattern.equals("*");
    }
    String resolved = policy.variables() ? ctx.resolve(pattern) : pattern;
    return resolved != null && Glob.matches(resolved, resource, false);
  }
}
