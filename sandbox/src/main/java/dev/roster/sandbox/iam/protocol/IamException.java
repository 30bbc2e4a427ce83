package dev.roster.sandbox.iam.protocol;

/**
 * An error IAM would answer: the {@code Code} the AWS SDK maps to an exception class, the HTTP
 * status IAM uses for it, and whether the caller ({@code Sender}) or the service ({@code Receiver})
 * is at fault.
 */
public final class IamException extends RuntimeException {
  private final String code;
  private final int status;
  private final boolean senderFault;

  public IamException(String code, int status, boolean senderFault, String message) {
    super(message, null, false, false);
    this.code = code;
    this.status = status;
    this.senderFault = senderFault;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  public boolean senderFault() {
    return senderFault;
  }

  public static IamException noSuchEntity(String message) {
    return new IamException("NoSuchEntity", 404, true, message);
  }

  public static IamException alreadyExists(String message) {
    return new IamException("EntityAlreadyExists", 409, true, message);
  }

  public static IamException limitExceeded(String message) {
    return new IamException("LimitExceeded", 409, true, message);
  }

  /** IAM's quota message, e.g. {@code Cannot exceed quota for GroupsPerUser: 10}. */
  public static IamException quota(String quotaName, int limit) {
    return limitExceeded("Cannot exceed quota for " + quotaName + ": " + limit);
  }

  public static IamException deleteConflict(String message) {
    return new IamException("DeleteConflict", 409, true, message);
  }

  public static IamException validation(String message) {
    return new IamException("ValidationError", 400, true, message);
  }

  public static IamException invalidInput(String message) {
    return new IamException("InvalidInput", 400, true, message);
  }

  public static IamException malformedPolicy(String message) {
    return new IamException("MalformedPolicyDocument", 400, true, message);
  }

  public static IamException throttling() {
    return new IamException("Throttling", 400, true, "Rate exceeded");
  }

  public static IamException serviceFailure() {
    return new IamException(
        "ServiceFailure",
        500,
        false,
        "The request processing has failed because of an unknown error, exception or failure.");
  }

  /** IAM's answer while another request changes the same entity: retry a little later. */
  public static IamException concurrentModification() {
    return new IamException(
        "ConcurrentModification",
        409,
        true,
        "The request was rejected because multiple requests to change this object were submitted"
            + " simultaneously. Wait a few minutes and submit your request again.");
  }

  public static IamException accessDenied(String message) {
    return new IamException("AccessDenied", 403, true, message);
  }
}
