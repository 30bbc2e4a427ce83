package dev.roster.listener;

import dev.roster.events.FieldError;
import java.util.List;

/**
 * A request refused for a known reason; the REST layer turns it into problem+json. No stack trace:
 * this is control flow for bad input, not a bug.
 */
public class Rejection extends RuntimeException {
  private final RejectReason reason;
  private final transient List<FieldError> errors;

  public Rejection(RejectReason reason, String detail) {
    this(reason, detail, List.of());
  }

  public Rejection(RejectReason reason, String detail, List<FieldError> errors) {
    super(detail, null, false, false);
    this.reason = reason;
    this.errors = List.copyOf(errors);
  }

  /** The 401 for a signature that did not verify. */
  public static Rejection signature(dev.roster.events.SignatureVerdict verdict) {
    return new Rejection(RejectReason.of(verdict), verdict.detail());
  }

  public RejectReason reason() {
    return reason;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
