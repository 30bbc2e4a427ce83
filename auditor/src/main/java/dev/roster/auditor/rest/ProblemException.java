package dev.roster.auditor.rest;

import dev.roster.events.FieldError;
import dev.roster.events.Problem;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Ends a request with a problem+json answer. */
public final class ProblemException extends RuntimeException {
  private final transient Problem problem;

  private ProblemException(Problem problem) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
  }

  /** 400 naming the query parameter and why it is refused. */
  public static ProblemException badParameter(String name, String reason) {
    return new ProblemException(
        new Problem(
            "urn:roster:problem:invalid-parameter",
            "Invalid query parameter",
            Response.Status.BAD_REQUEST.getStatusCode(),
            name + ": " + reason,
            null,
            List.of(new FieldError(name, reason))));
  }

  /** 404 for an id the log does not know. */
  public static ProblemException notFound(String what, String id) {
    return new ProblemException(
        new Problem(
            "urn:roster:problem:not-found",
            "Not found",
            Response.Status.NOT_FOUND.getStatusCode(),
            "no " + what + " " + id + " in the audit log",
            null,
            List.of()));
  }

  public Problem problem() {
    return problem;
  }
}
