package dev.roster.sandbox.orgs;

/** An error as AWS Organizations answers it: HTTP 400 with {@code __type} and {@code Message}. */
public final class OrgsException extends RuntimeException {
  private final String type;
  private final int status;

  public OrgsException(String type, String message) {
    this(type, 400, message);
  }

  public OrgsException(String type, int status, String message) {
    super(message);
    this.type = type;
    this.status = status;
  }

  public String type() {
    return type;
  }

  public int status() {
    return status;
  }
}
