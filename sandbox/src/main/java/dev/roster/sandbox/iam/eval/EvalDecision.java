package dev.roster.sandbox.iam.eval;

/** IAM's {@code PolicyEvaluationDecisionType}, with its wire names. */
public enum EvalDecision {
  ALLOWED("allowed", 0),
  IMPLICIT_DENY("implicitDeny", 1),
  EXPLICIT_DENY("explicitDeny", 2);

  private final String wire;
  private final int restriction;

  EvalDecision(String wire, int restriction) {
    this.wire = wire;
    this.restriction = restriction;
  }

  public String wire() {
    return wire;
  }

  /** The more restrictive of two decisions (explicit deny, then implicit deny, then allowed). */
  public EvalDecision strictest(EvalDecision other) {
    return other.restriction > restriction ? other : this;
  }
}
