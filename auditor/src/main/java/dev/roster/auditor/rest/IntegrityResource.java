package dev.roster.auditor.rest;

import dev.roster.auditor.chain.ChainVerifier;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /v1/integrity}: re-verifies the hash chain from the stored rows. */
@Path("/v1/integrity")
@RolesAllowed("auditor")
public class IntegrityResource {
  private final ChainVerifier verifier;

  public IntegrityResource(ChainVerifier verifier) {
    this.verifier = verifier;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Verify the whole chain, or fromSeq..toSeq")
  public ChainVerifier.Report verify(
      @QueryParam("fromSeq") String fromSeq, @QueryParam("toSeq") String toSeq) {
    Long from = Params.seq("fromSeq", fromSeq);
    Long to = Params.seq("toSeq", toSeq);
    if (from != null && to != null && from > to) {
      throw ProblemException.badParameter("toSeq", "must not be below fromSeq");
    }
    return verifier.verify(from, to);
  }
}
