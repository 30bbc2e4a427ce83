package dev.roster.auditor.rest;

import dev.roster.events.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Renders {@link ProblemException} as {@code application/problem+json}. */
public class ProblemMappers {

  @ServerExceptionMapper
  public Response problem(ProblemException e, UriInfo uri) {
    Problem p = e.problem().at(uri.getPath());
    return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
  }
}
