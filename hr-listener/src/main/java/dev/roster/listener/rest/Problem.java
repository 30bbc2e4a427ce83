package dev.roster.listener.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.roster.events.FieldError;
import java.util.List;

/**
 * RFC 9457 problem details. {@code errors} (an extension member) names each offending field by JSON
 * pointer, e.g. {@code /3/employee/roles} for item 3 of a batch.
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
}
