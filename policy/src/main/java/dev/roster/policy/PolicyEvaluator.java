package dev.roster.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * IAM's evaluation of a principal's identity policies for one request: an explicit deny wins, then
 * an allow, else the implicit deny. Where it cannot decide (conditions, policy variables) it is
 * conservative in both directions: an undecided allow makes the answer {@link Decision#MAY_ALLOW},
 * and an undecided deny is never counted as a certain one, so it can only turn {@code ALLOWED} into
 * {@code MAY_ALLOW}.
 *
 * <p>Only identity policies are evaluated: not resource policies, permissions boundaries, session
 * policies or SCPs (each of which can only narrow, except resource policies, which can also grant).
 */
public final class PolicyEvaluator {
  private PolicyEvaluator() {}

  public static Decision decide(Collection<PolicyDocument> policies, Request request) {
    return evaluate(policies, request).decision();
  }

  public static Evaluation evaluate(Collection<PolicyDocument> policies, Request request) {
    List<String> certainAllow = new ArrayList<>();
    List<String> possibleAllow = new ArrayList<>();
    List<String> certainDeny = new ArrayList<>();
    List<String> possibleDeny = new ArrayList<>();
    for (PolicyDocument policy : policies) {
      List<Statement> statements = policy.statements();
      for (int i = 0; i < statements.size(); i++) {
        Statement s = statements.get(i);
        Match match = applies(policy, s, request);
        if (match == Match.NO) {
          continue;
        }
        String name =
            policy.source() + " " + (s.sid() == null || s.sid().isEmpty() ? "#" + i : s.sid());
        boolean deny = s.effect() == Effect.DENY;
        (deny
                ? (match == Match.YES ? certainDeny : possibleDeny)
                : (match == Match.YES ? certainAllow : possibleAllow))
            .add(name);
      }
    }
    List<String> allows = new ArrayList<>(certainAllow);
    allows.addAll(possibleAllow);
    List<String> denies = new ArrayList<>(certainDeny);
    denies.addAll(possibleDeny);
    Decision decision;
    if (!certainDeny.isEmpty()) {
      decision = Decision.DENIED_EXPLICIT;
    } else if (!certainAllow.isEmpty() && possibleDeny.isEmpty()) {
      decision = Decision.ALLOWED;
    } else if (!allows.isEmpty()) {
      decision = Decision.MAY_ALLOW;
    } else {
      decision = Decision.DENIED_IMPLICIT;
    }
    return new Evaluation(decision, allows, denies);
  }

  /** Whether a statement applies: action, resource and condition together. */
  static Match applies(PolicyDocument policy, Statement s, Request request) {
    Match action = action(s, request.action());
    if (action == Match.NO) {
      return Match.NO;
    }
    Match resource = resource(policy, s, request);
    if (resource == Match.NO) {
      return Match.NO;
    }
    return action
        .and(resource)
        .and(Conditions.evaluate(s.condition(), request.context(), policy.variables()));
  }

  private static Match action(Statement s, String action) {
    boolean listed = s.actions().stream().anyMatch(p -> Wildcards.matches(p, action, true));
    return Match.of(listed != s.notAction());
  }

  private static Match resource(PolicyDocument policy, Statement s, Request request) {
    if (request.anyResource()) {
      return someResource(s);
    }
    Match listed = Match.NO;
    for (String pattern : s.resources()) {
      listed =
          listed.or(
              Wildcards.matches(
                  pattern, request.resource(), false, policy.variables(), request.context()));
    }
    return s.notResource() ? listed.not() : listed;
  }

  /**
   * "Some resource": an allow applies if it names any resource at all; a deny applies for certain
   * only if it covers every resource ({@code Resource: "*"}), otherwise it may deny some of them.
   */
  private static Match someResource(Statement s) {
    boolean everything = s.resources().stream().anyMatch(PolicyEvaluator::matchesEverything);
    if (s.notResource()) {
      if (everything) {
        return Match.NO;
      }
      return s.effect() == Effect.ALLOW ? Match.YES : Match.MAYBE;
    }
    if (s.effect() == Effect.ALLOW) {
      return Match.YES;
    }
    return everything ? Match.YES : Match.MAYBE;
  }

  private static boolean matchesEverything(String pattern) {
    return !pattern.isEmpty() && pattern.chars().allMatch(c -> c == '*');
  }
}
