package dev.roster.auditor.rest;

import dev.roster.auditor.config.AuditorConfig;
import dev.roster.auditor.query.ReconciliationQueries;
import dev.roster.auditor.query.ReconciliationQueries.DifferenceFilter;
import dev.roster.auditor.query.ReconciliationQueries.ReconciliationFilter;
import dev.roster.auditor.query.ReconciliationViews;
import dev.roster.auditor.query.ReconciliationViews.Detail;
import dev.roster.auditor.query.ReconciliationViews.Difference;
import dev.roster.auditor.query.ReconciliationViews.Summary;
import dev.roster.auditor.query.Views.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code GET /v1/reconciliations}, {@code /v1/reconciliations/{id}} and {@code
 * /v1/reconciliations/{id}/differences}: what the provisioner's reconciliations found, as it
 * published them on {@code reconciliations}.
 */
@Path("/v1/reconciliations")
@RolesAllowed("auditor")
public class ReconciliationsResource {
  private final ReconciliationQueries queries;
  private final Listing<Summary> reconciliations;
  private final Listing<Difference> differences;

  public ReconciliationsResource(ReconciliationQueries queries, AuditorConfig config) {
    this.queries = queries;
    this.reconciliations =
        new Listing<>(
            "reconciliations",
            RECONCILIATION_HEADER,
            Summary::seq,
            (w, r) ->
                Csv.line(
                    w,
                    r.seq(),
                    r.reconciliationId(),
                    r.status(),
                    r.source(),
                    r.mode(),
                    r.startedAt(),
                    r.completedAt(),
                    r.employees(),
                    r.accounts() == null ? null : String.join(";", r.accounts()),
                    r.deactivations(),
                    r.differences(),
                    r.reason(),
                    r.updatedAt()),
            config);
    this.differences =
        new Listing<>(
            "differences",
            DIFFERENCE_HEADER,
            Difference::seq,
            (w, d) ->
                Csv.line(
                    w,
                    d.seq(),
                    d.reconciliationId(),
                    d.kind(),
                    d.account(),
                    d.employeeId(),
                    d.userName(),
                    d.detail(),
                    d.repaired(),
                    d.eventId(),
                    d.recordedAt()),
            config);
  }

  /** The query parameters of the listing; both filters are on the latest status. */
  public static class ReconciliationParams extends PageParams {
    @QueryParam("status")
    String status;

    @QueryParam("source")
    String source;

    ReconciliationFilter filter() {
      return new ReconciliationFilter(Params.reconciliationStatus(status), Params.source(source));
    }
  }

  /** The query parameters of a reconciliation's differences. */
  public static class DifferenceParams extends PageParams {
    @QueryParam("kind")
    String kind;

    @QueryParam("account")
    String account;

    DifferenceFilter filter() {
      return new DifferenceFilter(Params.kind(kind), Params.account(account));
    }
  }

  @GET
  @Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
  @Operation(
      summary =
          "Reconciliations, newest first (by their first status record), keyset-paginated"
              + " (limit <= 1000); status and source filter on the latest status")
  @APIResponse(
      responseCode = "200",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReconciliationViews.SummaryPage.class)),
        @Content(mediaType = Csv.MEDIA_TYPE)
      })
  public Response list(@BeanParam ReconciliationParams p, @Context HttpHeaders headers) {
    return reconciliations.respond(p, headers, fetch(p.filter()));
  }

  /** One JSON page; also what the console's Reconciliations page shows. */
  public Page<Summary> page(ReconciliationParams p) {
    return reconciliations.page(p, fetch(p.filter()));
  }

  private Keyset.Fetch<Summary> fetch(ReconciliationFilter filter) {
    return (before, size) -> queries.list(filter, before, size);
  }

  @GET
  @Path("/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "One reconciliation: its latest status, differences counted per kind and per account,"
              + " every status record, and a page of its differences (kind, account, limit,"
              + " cursor as /differences)")
  @APIResponse(
      responseCode = "200",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Detail.class)))
  @APIResponse(responseCode = "404", description = "unknown reconciliation id")
  public Detail get(@PathParam("id") String id, @BeanParam DifferenceParams p) {
    Page<Difference> page = differencePage(id, p);
    Summary s = summary(id);
    Map<String, Map<String, Long>> byAccount = queries.countsByAccount(id, s.accounts());
    return new Detail(
        s.reconciliationId(),
        s.status(),
        s.source(),
        s.mode(),
        s.startedAt(),
        s.completedAt(),
        s.employees(),
        s.accounts(),
        s.deactivations(),
        s.reason(),
        s.updatedAt(),
        s.differences(),
        ReconciliationQueries.counts(byAccount),
        byAccount,
        queries.reported(id),
        queries.history(id),
        page);
  }

  @GET
  @Path("/{id}/differences")
  @Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
  @Operation(
      summary =
          "A reconciliation's differences, newest first, keyset-paginated (limit <= 1000);"
              + " kind and account filters")
  @APIResponse(
      responseCode = "200",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReconciliationViews.DifferencePage.class)),
        @Content(mediaType = Csv.MEDIA_TYPE)
      })
  @APIResponse(responseCode = "404", description = "unknown reconciliation id")
  public Response differences(
      @PathParam("id") String id, @BeanParam DifferenceParams p, @Context HttpHeaders headers) {
    // parameters first (a bad one is a 400 whether or not the id is known), then the 404
    Response answer = differences.respond(p, headers, fetch(id, p.filter()));
    summary(id);
    return answer;
  }

  /** A page of differences of a known reconciliation; also what the console shows. */
  public Page<Difference> differencePage(String id, DifferenceParams p) {
    Page<Difference> page = differences.page(p, fetch(id, p.filter()));
    summary(id);
    return page;
  }

  /** The reconciliation's latest status, or a 404. */
  public Summary summary(String id) {
    return queries.summary(id).orElseThrow(() -> ProblemException.notFound("reconciliation", id));
  }

  private Keyset.Fetch<Difference> fetch(String id, DifferenceFilter filter) {
    return (before, size) -> queries.differences(id, filter, before, size);
  }

  static final Object[] RECONCILIATION_HEADER =
      Csv.header(
          "seq",
          "reconciliationId",
          "status",
          "source",
          "mode",
          "startedAt",
          "completedAt",
          "employees",
          "accounts",
          "deactivations",
          "differences",
          "reason",
          "updatedAt");

  static final Object[] DIFFERENCE_HEADER =
      Csv.header(
          "seq",
          "reconciliationId",
          "kind",
          "account",
          "employeeId",
          "userName",
          "detail",
          "repaired",
          "eventId",
          "recordedAt");
}
