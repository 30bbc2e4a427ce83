package dev.roster.provisioner.rest;

import dev.roster.events.Problem;
import dev.roster.provisioner.config.ProvisionerConfig;
import dev.roster.provisioner.review.ReviewRunner;
import io.quarkus.logging.Log;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /v1/reviews}: starts a security review on this instance now. {@code Authorization:
 * Bearer <roster.review.token>} (compared in constant time); 202 with the review id, 409 while a
 * review runs here, 401 without the right token, 403 when no token is configured (on-demand reviews
 * are off).
 */
@Path("/v1/reviews")
public class ReviewResource {
  private static final String BEARER = "Bearer ";

  /** The 202 body. */
  public record Started(String reviewId, String status) {}

  private final ReviewRunner runner;
  private final Optional<byte[]> token;

  public ReviewResource(ReviewRunner runner, ProvisionerConfig config) {
    this.runner = runner;
    this.token = config.review().token().filter(t -> !t.isBlank()).map(ReviewResource::digest);
  }

  @POST
  @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
  public Response start(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    if (token.isEmpty()) {
      return problem(
          403,
          "forbidden",
          "Forbidden",
          "on-demand reviews are off: no roster.review.token (ROSTER_REVIEW_TOKEN) is configured");
    }
    if (authorization == null
        || !authorization.startsWith(BEARER)
        || !MessageDigest.isEqual(
            token.get(), digest(authorization.substring(BEARER.length()).strip()))) {
      return Response.fromResponse(
              problem(
                  401, "unauthorized", "Unauthorized", "Authorization: Bearer <token> required"))
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"roster-provisioner\"")
          .build();
    }
    Optional<String> started = runner.runNow();
    if (started.isEmpty()) {
      return problem(
          409,
          "review-running",
          "Conflict",
          "review " + runner.current().orElse("") + " is running on this instance");
    }
    Log.infof("review %s started on demand", started.get());
    return Response.accepted(new Started(started.get(), "running"))
        .type(MediaType.APPLICATION_JSON)
        .build();
  }

  private static Response problem(int status, String type, String title, String detail) {
    return Response.status(status)
        .type(Problem.MEDIA_TYPE)
        .entity(
            new Problem(
                "urn:roster:problem:" + type, title, status, detail, "/v1/reviews", List.of()))
        .build();
  }

  /** Compared as SHA-256 digests: equal length whatever was sent, so no length leaks either. */
  private static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
