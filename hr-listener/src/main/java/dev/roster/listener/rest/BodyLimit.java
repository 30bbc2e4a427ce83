package dev.roster.listener.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.roster.events.EventJson;
import dev.roster.events.Problem;
import dev.roster.listener.EventIntake;
import dev.roster.listener.ListenerMetrics;
import dev.roster.listener.RejectReason;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Refuses a declared body over 1 MiB with problem+json before it is read. Quarkus' own check
 * ({@code quarkus.http.limits.max-body-size}, a route at order -2) would answer first with an empty
 * 413, so this route runs just before it; the Quarkus limit stays as the stop for chunked bodies.
 */
@Singleton
public class BodyLimit {
  private static final int BEFORE_QUARKUS_LIMIT = -3;

  private final ListenerMetrics metrics;

  public BodyLimit(ListenerMetrics metrics) {
    this.metrics = metrics;
  }

  void install(@Observes Router router) {
    router.route().order(BEFORE_QUARKUS_LIMIT).handler(this::check);
  }

  private void check(RoutingContext ctx) {
    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null || !isOver(length)) {
      ctx.next();
      return;
    }
    metrics.rejected(RejectReason.BODY_TOO_LARGE);
    RejectReason reason = RejectReason.BODY_TOO_LARGE;
    Problem problem =
        new Problem(
            reason.type(),
            reason.title(),
            reason.status(),
            "the body exceeds " + EventIntake.MAX_BODY_BYTES + " bytes; split it into batches",
            ctx.request().path(),
            List.of());
    String json;
    try {
      json = EventJson.mapper().writeValueAsString(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    ctx.response()
        .setStatusCode(reason.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        // The body is not read, so the connection cannot be reused.
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(json);
  }

  private static boolean isOver(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > EventIntake.MAX_BODY_BYTES;
    } catch (NumberFormatException e) {
      return false; // Vert.x refuses a malformed Content-Length itself.
    }
  }
}
