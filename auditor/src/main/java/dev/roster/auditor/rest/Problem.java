package dev.roster.auditor.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** RFC 9457 problem details; {@code invalidParams} names each bad parameter and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, List<InvalidParam> invalidParams) {

  public static final String MEDIA_TYPE = "application/problem+json";

  public record InvalidParam(String name, String reason) {}
}
