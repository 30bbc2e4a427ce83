package dev.roster.auditor.rest;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Renders {@link ProblemException} as {@code application/problem+json}. */
public class ProblemMappers {

  @ServerExceptionMapper
  public Response problem(ProblemException e) {
    Problem p = e.problem();
    return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
  }
}
