package dev.roster.sandbox.iam.protocol;

/** The status of a credential: {@code Active} or {@code Inactive}. */
public enum Status {
  Active,
  Inactive
}
