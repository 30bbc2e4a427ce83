package dev.roster.provisioner.preview;

import dev.roster.events.EventValidator;
import dev.roster.events.FieldError;
import dev.roster.events.HrEvent;
import dev.roster.events.Problem;
import dev.roster.events.SignatureVerdict;
import dev.roster.events.Validation;
import dev.roster.events.WebhookSignature;
import dev.roster.provisioner.Provisioner;
import dev.roster.provisioner.config.ProvisionerConfig;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/preview}: one HR event in, signed as for hr-listener, and the exact IAM calls it
 * would make now in every account out (in the order they would be sent), with nothing applied: the
 * provisioner's own reading and planning ({@link Provisioner#plan}), IAM only read.
 */
@Path("/v1/preview")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Tag(name = "preview")
public class PreviewResource {
  static final String TYPE_BASE = "https://roster.dev/problems/";

  /** An HR event is small; the same limit as hr-listener's. */
  static final int MAX_BODY_BYTES = 1_048_576;

  private final Provisioner provisioner;
  private final ProvisionerConfig config;
  private final Optional<WebhookSignature> signature;

  public PreviewResource(Provisioner provisioner, ProvisionerConfig config) {
    this.provisioner = provisioner;
    this.config = config;
    this.signature =
        config
            .webhook()
            .secrets()
            // Their strength is checked at start-up (CompositionRoot).
            .map(
                secrets ->
                    new WebhookSignature(secrets, config.webhook().tolerance(), Clock.systemUTC()));
  }

  @POST
  @Blocking
  @Operation(
      summary = "Preview the IAM calls of one HR event",
      description =
          "The event as for hr-listener's POST /v1/events, signed the same way"
              + " (X-Roster-Signature, ROSTER_WEBHOOK_SECRETS). Answers the calls the provisioner"
              + " would make now, per account and in order (a leave's deny-all first); reads IAM,"
              + " writes nothing.")
  @APIResponse(responseCode = "200", description = "The calls per account")
  @APIResponse(responseCode = "400", description = "Malformed JSON or invalid event")
  @APIResponse(responseCode = "401", description = "Missing, malformed, wrong or stale signature")
  @APIResponse(responseCode = "404", description = "No webhook secret configured: preview off")
  @APIResponse(responseCode = "413", description = "Body over 1 MiB")
  public Response preview(@HeaderParam(WebhookSignature.HEADER) String header, byte[] body) {
    if (signature.isEmpty()) {
      return problem(404, "preview-off", "Preview is off", "no roster.webhook.secrets", List.of())
          .build();
    }
    if (body == null || body.length > MAX_BODY_BYTES) {
      return problem(413, "body-too-large", "Body too large", "over 1 MiB", List.of()).build();
    }
    SignatureVerdict verdict = signature.get().verify(header, body);
    if (verdict != SignatureVerdict.VALID) {
      Log.warnf("preview refused: signature %s", verdict);
      return problem(
              401,
              "invalid-signature",
              "Invalid signature",
              "signature " + verdict.name().toLowerCase(java.util.Locale.ROOT),
              List.of())
          .header(
              "WWW-Authenticate", "Signature realm=\"provisioner\", header=\"X-Roster-Signature\"")
          .build();
    }
    Validation validation = EventValidator.validate(body, config.defaultTimeZone());
    if (!validation.isValid()) {
      return problem(
              400, "invalid-event", "Invalid event", "the event is not valid", validation.errors())
          .build();
    }
    HrEvent event = validation.event();
    Optional<Provisioner.Refusal> refusal = provisioner.refusal(event);
    PreviewPlan plan =
        refusal.isPresent()
            ? PreviewPlan.refused(event, refusal.get())
            : PreviewPlan.of(
                event,
                event.isDueAfter(Instant.now().plus(config.holdTolerance()))
                    ? event.effectiveOrOccurred()
                    : null,
                provisioner.plan(event));
    Log.infof(
        "preview of event %s (%s) of employee %s: %s",
        event.eventId(),
        event.type().wireName(),
        event.employeeId(),
        plan.refused() != null
            ? plan.refused()
            : plan.accounts().stream()
                .map(a -> a.name() + "=" + a.state() + "(" + a.calls().size() + ")")
                .toList());
    return Response.ok(plan, MediaType.APPLICATION_JSON).build();
  }

  private static Response.ResponseBuilder problem(
      int status, String slug, String title, String detail, List<FieldError> errors) {
    return Response.status(status)
        .type(Problem.MEDIA_TYPE)
        .entity(new Problem(TYPE_BASE + slug, title, status, detail, "/v1/preview", errors));
  }
}
