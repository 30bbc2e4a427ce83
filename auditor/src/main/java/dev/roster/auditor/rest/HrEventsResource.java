package dev.roster.auditor.rest;

import dev.roster.auditor.config.AuditorConfig;
import dev.roster.auditor.query.AuditQueries;
import dev.roster.auditor.query.Filters.HrEventFilter;
import dev.roster.auditor.query.Views;
import dev.roster.auditor.query.Views.HrEventDetail;
import dev.roster.auditor.query.Views.HrEventView;
import dev.roster.events.Employee;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code GET /v1/hr-events} and {@code /v1/hr-events/{eventId}}. */
@Path("/v1/hr-events")
@RolesAllowed("auditor")
public class HrEventsResource {
  private final AuditQueries queries;
  private final Listing<HrEventView> listing;

  public HrEventsResource(AuditQueries queries, AuditorConfig config) {
    this.queries = queries;
    this.listing =
        new Listing<>(
            "hr-events",
            HR_EVENT_HEADER,
            HrEventView::seq,
            (w, e) -> {
              Employee emp = e.employee();
              Csv.line(
                  w,
                  e.seq(),
                  e.eventId(),
                  e.type(),
                  e.employeeId(),
                  e.occurredAt(),
                  e.effectiveAt(),
                  emp == null ? null : emp.username(),
                  emp == null ? null : emp.email(),
                  emp == null ? null : emp.department(),
                  emp == null ? null : emp.title(),
                  emp == null || emp.roles() == null ? null : String.join(";", emp.roles()),
                  e.reason(),
                  e.recordedAt());
            },
            config);
  }

  /** The query parameters of the listing. */
  public static class HrEventParams extends EventParams {
    HrEventFilter filter() {
      return filter(HrEventFilter::new);
    }
  }

  @GET
  @Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
  @Operation(summary = "HR events, newest first, keyset-paginated (limit <= 1000)")
  @APIResponse(
      responseCode = "200",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Views.HrEventPage.class)),
        @Content(mediaType = Csv.MEDIA_TYPE)
      })
  public Response list(@BeanParam HrEventParams p, @Context HttpHeaders headers) {
    return listing.respond(p, headers, fetch(p.filter()));
  }

  private Keyset.Fetch<HrEventView> fetch(HrEventFilter filter) {
    return (before, size) ->
        queries.hrEvents(filter, before, size).stream().map(HrEventView::of).toList();
  }

  static final Object[] HR_EVENT_HEADER =
      Csv.header(
          "seq",
          "eventId",
          "type",
          "employeeId",
          "occurredAt",
          "effectiveAt",
          "username",
          "email",
          "department",
          "title",
          "roles",
          "reason",
          "recordedAt");

  @GET
  @Path("/{eventId}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "One HR event, the changes it caused, its outcome and the effectiveAt->done lag")
  public HrEventDetail get(@PathParam("eventId") String eventId) {
    return queries
        .hrEvent(eventId)
        .orElseThrow(() -> ProblemException.notFound("HR event", eventId));
  }
}
