package dev.roster.auditor.rest;

import dev.roster.auditor.config.AuditorConfig;
import dev.roster.auditor.query.AuditQueries;
import dev.roster.auditor.query.Filters.ChangeFilter;
import dev.roster.auditor.query.Views;
import dev.roster.auditor.query.Views.Change;
import dev.roster.auditor.query.Views.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code GET /v1/changes}: every IAM change, newest first, as JSON pages or streamed CSV. */
@Path("/v1/changes")
@RolesAllowed("auditor")
public class ChangesResource {
  private final AuditQueries queries;
  private final Listing<Change> listing;

  public ChangesResource(AuditQueries queries, AuditorConfig config) {
    this.queries = queries;
    this.listing =
        new Listing<>(
            "changes",
            CHANGE_HEADER,
            Change::seq,
            (w, c) ->
                Csv.line(
                    w,
                    c.seq(),
                    c.changeId(),
                    c.eventId(),
                    c.employeeId(),
                    c.account(),
                    c.action(),
                    c.userName(),
                    c.target(),
                    c.status(),
                    c.error(),
                    c.awsRequestId(),
                    c.at(),
                    c.kind(),
                    c.privilegedReason()),
            config);
  }

  /** The query parameters of the listing. */
  public static class ChangeParams extends PageParams {
    @QueryParam("kind")
    String kind;

    @QueryParam("employeeId")
    String employeeId;

    @QueryParam("eventId")
    String eventId;

    @QueryParam("account")
    String account;

    @QueryParam("action")
    String action;

    @QueryParam("status")
    String status;

    @QueryParam("from")
    String from;

    @QueryParam("to")
    String to;

    ChangeFilter filter() {
      var fromAt = Params.timestamp("from", from);
      var toAt = Params.timestamp("to", to);
      Params.range(fromAt, toAt);
      return new ChangeFilter(
          Params.changeKind(kind),
          Params.text("employeeId", employeeId),
          Params.text("eventId", eventId),
          Params.text("account", account),
          Params.text("action", action),
          Params.status(status),
          fromAt,
          toAt);
    }
  }

  @GET
  @Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
  @Operation(summary = "IAM changes, newest first, keyset-paginated (limit <= 1000)")
  @APIResponse(
      responseCode = "200",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Views.ChangePage.class)),
        @Content(mediaType = Csv.MEDIA_TYPE)
      })
  public Response list(@BeanParam ChangeParams p, @Context HttpHeaders headers) {
    return listing.respond(p, headers, fetch(p.filter()));
  }

  /** One JSON page; also what the console's Changes page shows. */
  public Page<Change> page(ChangeParams p) {
    return listing.page(p, fetch(p.filter()));
  }

  private Keyset.Fetch<Change> fetch(ChangeFilter filter) {
    return (before, size) ->
        queries.changes(filter, before, size).stream().map(Change::of).toList();
  }

  static final Object[] CHANGE_HEADER =
      Csv.header(
          "seq",
          "changeId",
          "eventId",
          "employeeId",
          "account",
          "action",
          "userName",
          "target",
          "status",
          "error",
          "awsRequestId",
          "at",
          "kind",
          "privilegedReason");
}
