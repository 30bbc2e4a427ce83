package dev.roster.auditor.rest;

import dev.roster.auditor.query.AuditQueries;
import dev.roster.auditor.query.Views.Leaver;
import dev.roster.auditor.query.Views.LeaversReport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

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
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Per leave with from <= effectiveAt < to: completedAt, lag, and whether a change failed")
  public LeaversReport leavers(@QueryParam("from") String from, @QueryParam("to") String to) {
    Instant fromAt = Params.timestamp("from", from);
    Instant toAt = Params.timestamp("to", to);
    Params.range(fromAt, toAt);
    return new LeaversReport(fromAt, toAt, queries.leavers(fromAt, toAt));
  }

  @GET
  @Path("/leavers")
  @Produces(Csv.MEDIA_TYPE)
  @Operation(summary = "The leavers report as CSV")
  public StreamingOutput leaversCsv(@QueryParam("from") String from, @QueryParam("to") String to) {
    List<Leaver> rows = leavers(from, to).items();
    return out -> {
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      Csv.line(
          w,
          "employeeId",
          "eventId",
          "effectiveAt",
          "completedAt",
          "lagSeconds",
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
            l.outcome(),
            l.failedChanges(),
            l.accessPossiblyOpen());
      }
      w.flush();
    };
  }
}
