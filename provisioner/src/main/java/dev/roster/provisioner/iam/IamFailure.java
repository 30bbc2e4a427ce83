package dev.roster.provisioner.iam;

/**
 * An IAM call that failed for good: a non-transient error, or a transient one that outlived every
 * retry ({@link #retriesExhausted()}).
 */
public class IamFailure extends RuntimeException {
  private final String action;
  private final String errorCode;
  private final String awsRequestId;
  private final boolean retriesExhausted;
  private final int attempts;

  public IamFailure(
      String action,
      String errorCode,
      String awsRequestId,
      boolean retriesExhausted,
      int attempts,
      String message,
      Throwable cause) {
    super(action + " failed: " + errorCode + ": " + message, cause);
    this.action = action;
    this.errorCode = errorCode;
    this.awsRequestId = awsRequestId;
    this.retriesExhausted = retriesExhausted;
    this.attempts = attempts;
  }

  /** Attempts made, the failing one included. */
  public int attempts() {
    return attempts;
  }

  public String action() {
    return action;
  }

  /** IAM's error code (e.g. {@code NoSuchEntity}), or the client-side exception's name. */
  public String errorCode() {
    return errorCode;
  }

  public String awsRequestId() {
    return awsRequestId;
  }

  public boolean retriesExhausted() {
    return retriesExhausted;
  }
}
