package dev.roster.auditor.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.roster.events.FieldError;
import java.util.List;

/**
 * RFC 9457 problem details, the same shape hr-listener answers with, so that one client reads both
 * APIs' errors. {@code errors} (an extension member) names each refused input and why; here the
 * input is a query parameter, so {@code pointer} is the parameter's name, e.g. {@code limit}.
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
  Problem at(String path) {
    return new Problem(type, title, status, detail, path, errors);
  }
}
