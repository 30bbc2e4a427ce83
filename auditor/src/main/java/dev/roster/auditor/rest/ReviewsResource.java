package dev.roster.auditor.rest;

import dev.roster.auditor.config.AuditorConfig;
import dev.roster.auditor.query.ReviewQueries;
import dev.roster.auditor.query.ReviewViews;
import dev.roster.auditor.query.ReviewViews.Review;
import dev.roster.events.ReconciliationStatus;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code GET /v1/reviews}: the security review runs, newest first, with their latest status. */
@Path("/v1/reviews")
@RolesAllowed("auditor")
public class ReviewsResource {
  private final Listing<Review> listing;
  private final ReviewQueries queries;

  public ReviewsResource(ReviewQueries queries, AuditorConfig config) {
    this.queries = queries;
    this.listing =
        new Listing<>(
            "reviews",
            HEADER,
            Review::seq,
            (w, r) ->
                Csv.line(
                    w,
                    r.seq(),
                    r.reviewId(),
                    r.status(),
                    r.startedAt(),
                    r.completedAt(),
                    r.accounts() == null ? null : String.join(";", r.accounts()),
                    counts(r.counts()),
                    r.findings(),
                    r.reason(),
                    r.updatedAt()),
            config);
  }

  /** The query parameters; {@code status} filters on the latest status. */
  public static class ReviewParams extends PageParams {
    @QueryParam("status")
    String status;

    ReconciliationStatus filter() {
      return Params.reviewStatus(status);
    }
  }

  @GET
  @Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
  @Operation(
      summary =
          "Security reviews, newest first (by their first status record), keyset-paginated"
              + " (limit <= 1000); status (running|completed|failed) filters on the latest status")
  @APIResponse(
      responseCode = "200",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReviewViews.ReviewPage.class)),
        @Content(mediaType = Csv.MEDIA_TYPE)
      })
  public Response list(@BeanParam ReviewParams p, @Context HttpHeaders headers) {
    ReconciliationStatus status = p.filter();
    return listing.respond(p, headers, (before, size) -> queries.reviews(status, before, size));
  }

  /** {@code kind=n;kind=n}, sorted by kind. */
  private static String counts(Map<String, Integer> counts) {
    return counts == null
        ? null
        : new TreeMap<>(counts)
            .entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(";"));
  }

  static final Object[] HEADER =
      Csv.header(
          "seq",
          "reviewId",
          "status",
          "startedAt",
          "completedAt",
          "accounts",
          "counts",
          "findings",
          "reason",
          "updatedAt");
}
