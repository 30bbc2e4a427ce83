package dev.roster.auditor.rest;

import dev.roster.auditor.query.AuditQueries;
import dev.roster.auditor.query.Views.Timeline;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /v1/employees/{employeeId}/timeline}. */
@Path("/v1/employees")
@RolesAllowed("auditor")
public class EmployeesResource {
  private final AuditQueries queries;

  public EmployeesResource(AuditQueries queries) {
    this.queries = queries;
  }

  @GET
  @Path("/{employeeId}/timeline")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Everything about one person (HR events, IAM changes, outcomes) in time order")
  public Timeline timeline(@PathParam("employeeId") String employeeId) {
    return queries
        .timeline(employeeId)
        .orElseThrow(() -> ProblemException.notFound("employee", employeeId));
  }
}
