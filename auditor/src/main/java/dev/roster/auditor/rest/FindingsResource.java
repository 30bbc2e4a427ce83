package dev.roster.auditor.rest;

import dev.roster.auditor.config.AuditorConfig;
import dev.roster.auditor.query.ReviewQueries;
import dev.roster.auditor.query.ReviewQueries.FindingFilter;
import dev.roster.auditor.query.ReviewViews;
import dev.roster.auditor.query.ReviewViews.Finding;
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
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code GET /v1/findings}: what the security reviews found, one item per finding id with its first
 * and latest sighting and, once a later completed review no longer reports it, when it was
 * resolved.
 */
@Path("/v1/findings")
@RolesAllowed("auditor")
public class FindingsResource {
  private final ReviewQueries queries;
  private final Listing<Finding> listing;

  public FindingsResource(ReviewQueries queries, AuditorConfig config) {
    this.queries = queries;
    this.listing =
        new Listing<>(
            "findings",
            HEADER,
            Finding::seq,
            (w, f) ->
                Csv.line(
                    w,
                    f.seq(),
                    f.findingId(),
                    f.kind(),
                    f.account(),
                    f.employeeId(),
                    f.userName(),
                    f.subject(),
                    f.detail(),
                    f.status(),
                    f.firstSeenAt(),
                    f.lastSeenAt(),
                    f.resolvedAt(),
                    f.reviewId()),
            config);
  }

  /** The query parameters; {@code from}/{@code to} are on firstSeenAt. */
  public static class FindingParams extends PageParams {
    @QueryParam("kind")
    String kind;

    @QueryParam("account")
    String account;

    @QueryParam("employeeId")
    String employeeId;

    @QueryParam("from")
    String from;

    @QueryParam("to")
    String to;

    @QueryParam("status")
    String status;

    FindingFilter filter() {
      Instant fromAt = Params.timestamp("from", from);
      Instant toAt = Params.timestamp("to", to);
      Params.range(fromAt, toAt);
      return new FindingFilter(
          Params.findingKind(kind),
          Params.account(account),
          Params.text("employeeId", employeeId),
          fromAt,
          toAt,
          Params.findingStatus(status));
    }
  }

  @GET
  @Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
  @Operation(
      summary =
          "Findings of the security reviews, newest first (by their first stored sighting),"
              + " keyset-paginated (limit <= 1000); kind, account, employeeId, from/to (on"
              + " firstSeenAt), status (open|resolved)")
  @APIResponse(
      responseCode = "200",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReviewViews.FindingPage.class)),
        @Content(mediaType = Csv.MEDIA_TYPE)
      })
  public Response list(@BeanParam FindingParams p, @Context HttpHeaders headers) {
    return listing.respond(p, headers, fetch(p.filter()));
  }

  /** One JSON page; also what the console's Findings page shows. */
  public Page<Finding> page(FindingParams p) {
    return listing.page(p, fetch(p.filter()));
  }

  private Keyset.Fetch<Finding> fetch(FindingFilter filter) {
    return (before, size) -> queries.list(filter, before, size);
  }

  static final Object[] HEADER =
      Csv.header(
          "seq",
          "findingId",
          "kind",
          "account",
          "employeeId",
          "userName",
          "subject",
          "detail",
          "status",
          "firstSeenAt",
          "lastSeenAt",
          "resolvedAt",
          "reviewId");
}
