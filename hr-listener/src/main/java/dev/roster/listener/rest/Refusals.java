package dev.roster.listener.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.roster.events.EventJson;
import dev.roster.events.Problem;
import dev.roster.listener.ListenerMetrics;
import dev.roster.listener.RejectReason;
import dev.roster.listener.Rejection;
import dev.roster.listener.config.ListenerConfig;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every refusal gets, whether JAX-RS or a plain Vert.x route answers it: counted by reason,
 * one log line with the pointers (never values), RFC 9457 problem+json, {@code Retry-After} on a
 * 503 and {@code WWW-Authenticate} on a 401.
 */
@Singleton
public class Refusals {
  private final ListenerMetrics metrics;
  private final long retryAfterSeconds;

  public Refusals(ListenerMetrics metrics, ListenerConfig config) {
    this.metrics = metrics;
    this.retryAfterSeconds = Math.max(1, config.publish().retryAfter().toSeconds());
  }

  /** Counts and logs the refusal of the request at {@code path}; returns its extra headers. */
  Map<String, String> record(Rejection rejection, String path) {
    RejectReason reason = rejection.reason();
    metrics.rejected(reason, path);
    if (reason != RejectReason.KAFKA_UNAVAILABLE) {
      // Pointers only, never values: they may be anything the caller sent.
      Log.infof(
          "request %s outcome=rejected reason=%s errors=%s",
          path,
          reason.tag(),
          rejection.errors().stream().map(e -> printable(e.pointer())).limit(20).toList());
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (reason.status() == 503) {
      headers.put(HttpHeaders.RETRY_AFTER.toString(), Long.toString(retryAfterSeconds));
    }
    if (reason.status() == 401) {
      headers.put(
          "WWW-Authenticate", "Signature realm=\"hr-listener\", header=\"X-Roster-Signature\"");
    }
    return headers;
  }

  static Problem problem(Rejection rejection, String path) {
    RejectReason reason = rejection.reason();
    return new Problem(
        reason.type(),
        reason.title(),
        reason.status(),
        rejection.getMessage(),
        path,
        rejection.errors());
  }

  /**
   * Answers a Vert.x request with the refusal. {@code close}: the body was not read (whole), so the
   * connection cannot be reused.
   */
  void send(RoutingContext ctx, Rejection rejection, boolean close) {
    String path = ctx.request().path();
    Map<String, String> headers = record(rejection, path);
    String json;
    try {
      json = EventJson.mapper().writeValueAsString(problem(rejection, path));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    headers.forEach(ctx.response()::putHeader);
    if (close) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    ctx.response()
        .setStatusCode(rejection.reason().status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .end(json);
  }

  /** Unknown-field pointers carry names the caller chose: no line breaks into the log. */
  private static String printable(String pointer) {
    String clean = pointer.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
  }
}
