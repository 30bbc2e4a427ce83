package dev.roster.events;

/** The outcome of checking {@code X-Roster-Signature}; every value but {@link #VALID} is a 401. */
public enum SignatureVerdict {
  VALID("signature valid"),
  MISSING("missing X-Roster-Signature header"),
  MALFORMED("malformed X-Roster-Signature header: expected t=<unix seconds>,v1=<hex HMAC-SHA256>"),
  STALE("signature timestamp t is too far from the server's clock (replay protection)"),
  MISMATCH("no v1 signature matches the body with a configured secret");

  private final String detail;

  SignatureVerdict(String detail) {
    this.detail = detail;
  }

  /** Safe to show the caller: says what is wrong, never what was expected. */
  public String detail() {
    return detail;
  }
}
