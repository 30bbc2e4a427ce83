package dev.roster.policy;

/** A statement's {@code Effect}. */
public enum Effect {
  ALLOW,
  DENY
}
