package dev.roster.auditor.rest;

import dev.roster.auditor.config.AuditorConfig;
import dev.roster.auditor.query.AuditQueries;
import dev.roster.auditor.query.Filters.ScheduledFilter;
import dev.roster.auditor.query.Views;
import dev.roster.auditor.query.Views.Page;
import dev.roster.auditor.query.Views.Scheduled;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code GET /v1/scheduled}: the events the provisioner holds until their effective time (latest
 * outcome {@code scheduled}), newest hold first, as JSON pages or streamed CSV.
 */
@Path("/v1/scheduled")
@RolesAllowed("auditor")
public class ScheduledResource {
  private final AuditQueries queries;
  private final Listing<Scheduled> listing;

  public ScheduledResource(AuditQueries queries, AuditorConfig config) {
    this.queries = queries;
    this.listing =
        new Listing<>(
            "scheduled",
            SCHEDULED_HEADER,
            Scheduled::seq,
            (w, s) ->
                Csv.line(
                    w,
                    s.seq(),
                    s.eventId(),
                    s.type(),
                    s.employeeId(),
                    s.effectiveAt(),
                    s.scheduledAt()),
            config);
  }

  /** The query parameters of the listing; {@code from}/{@code to} are on effectiveAt. */
  public static class ScheduledParams extends EventParams {
    ScheduledFilter filter() {
      return filter(ScheduledFilter::new);
    }
  }

  @GET
  @Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
  @Operation(
      summary =
          "Pending events (held until effectiveAt: latest outcome scheduled), newest hold first,"
              + " keyset-paginated (limit <= 1000); from/to on effectiveAt")
  @APIResponse(
      responseCode = "200",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Views.ScheduledPage.class)),
        @Content(mediaType = Csv.MEDIA_TYPE)
      })
  public Response list(@BeanParam ScheduledParams p, @Context HttpHeaders headers) {
    return listing.respond(p, headers, fetch(p.filter()));
  }

  /** One JSON page; also what the console's Scheduled page shows. */
  public Page<Scheduled> page(ScheduledParams p) {
    return listing.page(p, fetch(p.filter()));
  }

  private Keyset.Fetch<Scheduled> fetch(ScheduledFilter filter) {
    return (before, size) -> queries.scheduled(filter, before, size);
  }

  static final Object[] SCHEDULED_HEADER =
      Csv.header("seq", "eventId", "type", "employeeId", "effectiveAt", "scheduledAt");
}
