package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * RFC 9457 problem details, the one shape both HTTP APIs answer with, so that one client reads both
 * APIs' errors. {@code errors} (an extension member) names each refused input and why: a JSON
 * pointer into a body (e.g. {@code /3/employee/roles} for item 3 of a batch), or a query
 * parameter's name (e.g. {@code limit}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** The same problem, answered for the request at {@code path}. */
  public Problem at(String path) {
    return new Problem(type, title, status, detail, path, errors);
  }
}
