package dev.roster.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a user is cut off: every one of a fixed set of sensitive actions must be denied
 * <em>explicitly</em> on every resource. An implicit deny is not enough, because a resource policy
 * (a bucket policy, a role's trust policy, a key policy) can grant a user access without any
 * identity policy allowing it, and only an explicit deny in the user's own policies overrides
 * those. A deny the evaluator cannot decide (a condition) does not count.
 */
public record DenyAllVerdict(boolean deniedEverything, Map<String, Decision> decisions) {
  /** The actions checked by default: data, credentials, roles and compute. */
  public static final List<String> SENSITIVE_ACTIONS =
      List.of(
          "s3:GetObject",
          "s3:PutObject",
          "iam:CreateAccessKey",
          "iam:CreateLoginProfile",
          "iam:PassRole",
          "sts:AssumeRole",
          "sts:GetFederationToken",
          "ec2:RunInstances",
          "lambda:InvokeFunction",
          "secretsmanager:GetSecretValue",
          "ssm:GetParameter",
          "kms:Decrypt",
          "dynamodb:GetItem",
          "codecommit:GitPull");

  public DenyAllVerdict {
    decisions = Collections.unmodifiableMap(new LinkedHashMap<>(decisions));
  }

  public static DenyAllVerdict of(PolicySet policies) {
    return of(policies, SENSITIVE_ACTIONS);
  }

  public static DenyAllVerdict of(PolicySet policies, Collection<String> actions) {
    Map<String, Decision> decisions = new LinkedHashMap<>();
    for (String action : actions) {
      decisions.put(action, policies.decide(Request.of(action)));
    }
    boolean denied =
        !decisions.isEmpty()
            && decisions.values().stream().allMatch(d -> d == Decision.DENIED_EXPLICIT);
    return new DenyAllVerdict(denied, decisions);
  }

  /**
   * The verdict from IAM's own answer: {@code SimulatePrincipalPolicy}'s {@code EvalDecision} per
   * action ({@code allowed}, {@code explicitDeny}, {@code implicitDeny}). Only {@code explicitDeny}
   * everywhere is a cut-off; an empty answer is not.
   */
  public static DenyAllVerdict fromSimulation(Map<String, String> evalDecisions) {
    Map<String, Decision> decisions = new LinkedHashMap<>();
    evalDecisions.forEach(
        (action, d) ->
            decisions.put(
                action,
                switch (d) {
                  case "explicitDeny" -> Decision.DENIED_EXPLICIT;
                  case "implicitDeny" -> Decision.DENIED_IMPLICIT;
                  case "allowed" -> Decision.ALLOWED;
                  default -> Decision.MAY_ALLOW;
                }));
    boolean denied =
        !decisions.isEmpty()
            && decisions.values().stream().allMatch(x -> x == Decision.DENIED_EXPLICIT);
    return new DenyAllVerdict(denied, decisions);
  }

  /** The actions not explicitly denied, in the order checked. */
  public List<String> notDenied() {
    List<String> out = new ArrayList<>();
    decisions.forEach(
        (a, d) -> {
          if (d != Decision.DENIED_EXPLICIT) {
            out.add(a);
          }
        });
    return out;
  }
}
