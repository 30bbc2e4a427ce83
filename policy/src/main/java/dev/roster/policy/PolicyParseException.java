package dev.roster.policy;

/** A policy document that is not one IAM would accept; the message names the field and why. */
public final class PolicyParseException extends IllegalArgumentException {
  private final String field;

  PolicyParseException(String source, String field, String reason) {
    super(source + ": " + field + ": " + reason);
    this.field = field;
  }

  /** The offending field, e.g. {@code Statement[1].Effect}. */
  public String field() {
    return field;
  }
}
