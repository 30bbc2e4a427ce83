package dev.roster.listener.rest;

import dev.roster.events.HrEvent;
import dev.roster.events.Problem;
import dev.roster.events.WebhookSignature;
import dev.roster.listener.EventIntake;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * HR webhooks. The body is taken as raw bytes: the signature covers exactly those bytes, and JSON
 * is parsed only after it verified. Blocking (a worker thread) because the answer waits for Kafka.
 */
@Path("/v1/events")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Tag(name = "events")
public class EventResource {
  private final EventIntake intake;

  public EventResource(EventIntake intake) {
    this.intake = intake;
  }

  @POST
  @Operation(
      summary = "Publish one HR event",
      description =
          "202 only after Kafka acknowledged the record (acks=all). Posting the same eventId"
              + " again publishes it again; consumers are idempotent on eventId. A date-only"
              + " effectiveAt is published as an instant: the start of that day (hire,"
              + " role_change) or 23:59:59 (leave) in employee.timeZone, else in"
              + " roster.default-time-zone. A cancel names the pending event in cancelsEventId.")
  @APIResponse(
      responseCode = "202",
      description = "On Kafka",
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @APIResponse(responseCode = "400", description = "Malformed JSON or invalid event")
  @APIResponse(responseCode = "401", description = "Missing, malformed, wrong or stale signature")
  @APIResponse(responseCode = "413", description = "Body over 1 MiB")
  @APIResponse(responseCode = "415", description = "Not application/json")
  @APIResponse(responseCode = "503", description = "Kafka did not acknowledge; retry later")
  public Response publish(
      @Parameter(description = "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>")
          @HeaderParam(WebhookSignature.HEADER)
          String signature,
      @RequestBody(
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      schema = @Schema(implementation = HrEvent.class)))
          byte[] body) {
    HrEvent event = intake.acceptOne(signature, body);
    return Response.accepted(Accepted.one(event.eventId())).build();
  }

  @POST
  @Path("/batch")
  @Operation(
      summary = "Publish up to 1000 HR events",
      description =
          "All events are validated first; if any is invalid, 400 lists every error with a"
              + " pointer such as /3/employee/roles and nothing is published. Otherwise 202 after"
              + " every record is acknowledged.")
  @APIResponse(
      responseCode = "202",
      description = "All on Kafka",
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @APIResponse(responseCode = "400", description = "Not an array, too many, or invalid events")
  @APIResponse(responseCode = "401", description = "Missing, malformed, wrong or stale signature")
  @APIResponse(responseCode = "413", description = "Body over 1 MiB")
  @APIResponse(responseCode = "415", description = "Not application/json")
  @APIResponse(responseCode = "503", description = "Kafka did not acknowledge; retry later")
  public Response publishBatch(
      @HeaderParam(WebhookSignature.HEADER) String signature, byte[] body) {
    var events = intake.acceptBatch(signature, body);
    return Response.accepted(Accepted.batch(events.stream().map(HrEvent::eventId).toList()))
        .build();
  }
}
