package dev.roster.listener.rest;

import dev.roster.events.FieldError;
import dev.roster.events.Problem;
import dev.roster.listener.ListenerMetrics;
import dev.roster.listener.RejectReason;
import dev.roster.listener.Rejection;
import dev.roster.listener.config.ListenerConfig;
import io.quarkus.logging.Log;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every refusal becomes RFC 9457 problem+json and is counted by reason. */
public class ProblemMappers {
  private final ListenerMetrics metrics;
  private final long retryAfterSeconds;

  public ProblemMappers(ListenerMetrics metrics, ListenerConfig config) {
    this.metrics = metrics;
    this.retryAfterSeconds = Math.max(1, config.publish().retryAfter().toSeconds());
  }

  @ServerExceptionMapper
  public Response rejection(Rejection rejection, UriInfo uri) {
    RejectReason reason = rejection.reason();
    metrics.rejected(reason);
    if (reason != RejectReason.KAFKA_UNAVAILABLE) {
      // Pointers only, never values: they may be anything the caller sent.
      Log.infof(
          "request %s outcome=rejected reason=%s errors=%s",
          uri.getPath(),
          reason.tag(),
          rejection.errors().stream().map(e -> printable(e.pointer())).limit(20).toList());
    }
    Response.ResponseBuilder response =
        problem(reason, rejection.getMessage(), uri, rejection.errors());
    if (reason == RejectReason.KAFKA_UNAVAILABLE) {
      response.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
    }
    if (reason.status() == 401) {
      response.header(
          HttpHeaders.WWW_AUTHENTICATE,
          "Signature realm=\"hr-listener\", header=\"X-Roster-Signature\"");
    }
    return response.build();
  }

  /** Unknown-field pointers carry names the caller chose: no line breaks into the log. */
  private static String printable(String pointer) {
    String clean = pointer.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
  }

  @ServerExceptionMapper
  public Response unsupportedMediaType(NotSupportedException e, UriInfo uri) {
    metrics.rejected(RejectReason.UNSUPPORTED_MEDIA_TYPE);
    return problem(
            RejectReason.UNSUPPORTED_MEDIA_TYPE,
            "send the event as Content-Type: application/json",
            uri,
            List.of())
        .build();
  }

  static Response.ResponseBuilder problem(
      RejectReason reason, String detail, UriInfo uri, List<FieldError> errors) {
    return Response.status(reason.status())
        .type(Problem.MEDIA_TYPE)
        .entity(
            new Problem(
                reason.type(), reason.title(), reason.status(), detail, uri.getPath(), errors));
  }
}
