package dev.roster.auditor.rest;

import dev.roster.events.EventType;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;

/**
 * The filter parameters of the listings of HR events ({@code employeeId}, {@code type}, {@code
 * from}, {@code to}), validated into the listing's own filter record.
 */
public abstract class EventParams extends PageParams {
  @QueryParam("employeeId")
  String employeeId;

  @QueryParam("type")
  String type;

  @QueryParam("from")
  String from;

  @QueryParam("to")
  String to;

  /** A filter record built from the validated parameters. */
  interface FilterOf<F> {
    F of(String employeeId, EventType type, Instant from, Instant to);
  }

  /** 400 naming the parameter for a bad value or a reversed range. */
  <F> F filter(FilterOf<F> filter) {
    var fromAt = Params.timestamp("from", from);
    var toAt = Params.timestamp("to", to);
    Params.range(fromAt, toAt);
    return filter.of(Params.text("employeeId", employeeId), Params.type(type), fromAt, toAt);
  }
}
