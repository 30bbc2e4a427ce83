package dev.roster.listener.rest;

import dev.roster.events.Problem;
import dev.roster.events.SnapshotApproval;
import dev.roster.events.WebhookSignature;
import dev.roster.listener.ApprovalIntake;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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

/** Approval of a reconciliation held by the mass-change guard, signed like an event. */
@Path("/v1/reconciliations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Tag(name = "snapshots")
public class ReconciliationResource {
  private final ApprovalIntake intake;

  public ReconciliationResource(ApprovalIntake intake) {
    this.intake = intake;
  }

  /** 202 body. */
  public record ApprovalAccepted(String snapshotId, String status) {}

  /** The body: the snapshot named again, so that the signature covers which one is approved. */
  public record ApprovalRequest(String snapshotId) {}

  @POST
  @Path("/{id}/approve")
  @Operation(
      summary = "Approve a held reconciliation",
      description =
          "Publishes a SnapshotApproval (dev.roster.snapshot.approval) to hr.snapshots, keyed by"
              + " the snapshot id; the provisioner then applies the reconciliation the mass-change"
              + " guard held. Signed like an event; the body names the same snapshot id."
              + " approvedBy is webhook-key:<first 16 hex digits of the SHA-256 of the secret>.")
  @APIResponse(
      responseCode = "202",
      description = "On Kafka",
      content = @Content(schema = @Schema(implementation = ApprovalAccepted.class)))
  @APIResponse(
      responseCode = "400",
      description =
          "An id not matching [A-Za-z0-9._:-]{1,128}, malformed JSON, or a body not naming it")
  @APIResponse(responseCode = "401", description = "Missing, malformed, wrong or stale signature")
  @APIResponse(responseCode = "415", description = "Not application/json")
  @APIResponse(responseCode = "503", description = "Kafka did not acknowledge; retry later")
  public Response approve(
      @Parameter(description = "The snapshotId of the held reconciliation") @PathParam("id")
          String id,
      @Parameter(description = "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>")
          @HeaderParam(WebhookSignature.HEADER)
          String signature,
      @RequestBody(
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      schema = @Schema(implementation = ApprovalRequest.class)))
          byte[] body) {
    SnapshotApproval approval = intake.approve(id, signature, body);
    return Response.accepted(new ApprovalAccepted(approval.snapshotId(), "approval-accepted"))
        .build();
  }
}
