package dev.roster.auditor.rest;

import dev.roster.auditor.query.AuditQueries;
import dev.roster.auditor.query.Views.Leaver;
import dev.roster.auditor.query.Views.LeaversReport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code GET /v1/reports/leavers}: the deprovisioning SLA report. */
@Path("/v1/reports")
@RolesAllowed("auditor")
public class ReportsResource {
  private final AuditQueries queries;

  public ReportsResource(AuditQueries queries) {
    this.queries = queries;
  }

  @GET
  @Path("/leavers")
  @Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
  @Operation(
      summary =
          "Per leave with from <= effectiveAt < to: cutOffAt, completedAt, both lags, and whether"
              + " access is possibly still open")
  @APIResponse(
      responseCode = "200",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LeaversReport.class)),
        @Content(mediaType = Csv.MEDIA_TYPE)
      })
  public Response leavers(
      @QueryParam("from") String from, @QueryParam("to") String to, @Context HttpHeaders headers) {
    LeaversReport report = report(from, to);
    if (Csv.wanted(headers)) {
      return Response.ok(csv(report.items()), Csv.MEDIA_TYPE).build();
    }
    return Response.ok(report, MediaType.APPLICATION_JSON).build();
  }

  /** The report; also what the console's Leavers page shows. */
  public LeaversReport report(String from, String to) {
    Instant fromAt = Params.timestamp("from", from);
    Instant toAt = Params.timestamp("to", to);
    Params.range(fromAt, toAt);
    return new LeaversReport(fromAt, toAt, queries.leavers(fromAt, toAt));
  }

  private static StreamingOutput csv(List<Leaver> rows) {
    return out -> {
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      Csv.line(
          w,
          "employeeId",
          "eventId",
          "effectiveAt",
          "completedAt",
          "lagSeconds",
          "cutOffAt",
          "cutOffLagSeconds",
          "outcome",
          "failedChanges",
          "accessPossiblyOpen");
      for (Leaver l : rows) {
        Csv.line(
            w,
            l.employeeId(),
            l.eventId(),
            l.effectiveAt(),
            l.completedAt(),
            l.lagSeconds(),
            l.cutOffAt(),
            l.cutOffLagSeconds(),
            l.outcome(),
            l.failedChanges(),
            l.accessPossiblyOpen());
      }
      w.flush();
    };
  }
}
