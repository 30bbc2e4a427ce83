package dev.roster.policy;

/** What a principal's identity policies decide for one request. */
public enum Decision {
  /** An allow applies for certain and no deny can apply. */
  ALLOWED,
  /** A deny applies for certain; nothing can override it. */
  DENIED_EXPLICIT,
  /** No allow can apply: IAM's default. */
  DENIED_IMPLICIT,
  /**
   * An allow may apply: one whose condition or policy variable the evaluator cannot decide, or a
   * certain allow beside a deny that may or may not apply. Treat as allowed when looking for risk.
   */
  MAY_ALLOW;

  /** Allowed, or possibly allowed: what a conservative check must count as access. */
  public boolean mayBeAllowed() {
    return this == ALLOWED || this == MAY_ALLOW;
  }
}
