package dev.roster.listener.rest;

import dev.roster.listener.RejectReason;
import dev.roster.listener.Rejection;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every refusal becomes RFC 9457 problem+json and is counted by reason. */
public class ProblemMappers {
  private final Refusals refusals;

  public ProblemMappers(Refusals refusals) {
    this.refusals = refusals;
  }

  @ServerExceptionMapper
  public Response rejection(Rejection rejection, UriInfo uri) {
    Response.ResponseBuilder response =
        Response.status(rejection.reason().status())
            .type(dev.roster.events.Problem.MEDIA_TYPE)
            .entity(Refusals.problem(rejection, uri.getPath()));
    refusals.record(rejection, uri.getPath()).forEach(response::header);
    return response.build();
  }

  @ServerExceptionMapper
  public Response unsupportedMediaType(NotSupportedException e, UriInfo uri) {
    return rejection(
        new Rejection(
            RejectReason.UNSUPPORTED_MEDIA_TYPE, "send the body as Content-Type: application/json"),
        uri);
  }
}
