package dev.roster.listener.rest;

import dev.roster.listener.EventIntake;
import dev.roster.listener.RejectReason;
import dev.roster.listener.Rejection;
import dev.roster.listener.config.ListenerConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Limits the body bytes held before the signature is checked, per request and across requests.
 *
 * <p>Per request: a declared body over 1 MiB is refused with problem+json before it is read.
 * Quarkus' own check ({@code quarkus.http.limits.max-body-size}, a route at order -2) would answer
 * first with an empty 413, so this route runs just before it; the Quarkus limit stays as the stop
 * for chunked bodies.
 *
 * <p>Across requests: the signature covers the whole body, so the whole body is in memory before
 * anyone is authenticated. Each request reserves its declared length (a chunked one, the 1 MiB
 * limit) in {@link UnverifiedBytes} on arrival and gives it back when its answer is sent or the
 * connection closes; when the cap is reached, the request is refused with 503 before its body is
 * read.
 */
@Singleton
public class BodyLimit {
  private static final int BEFORE_QUARKUS_LIMIT = -3;

  private final Refusals refusals;
  private final UnverifiedBytes unverified;

  public BodyLimit(Refusals refusals, ListenerConfig config) {
    this.refusals = refusals;
    this.unverified = new UnverifiedBytes(config.listener().maxUnverifiedBytes());
  }

  void install(@Observes Router router) {
    router.route().order(BEFORE_QUARKUS_LIMIT).handler(this::check);
  }

  private void check(RoutingContext ctx) {
    long declared = declaredLength(ctx);
    if (declared > EventIntake.MAX_BODY_BYTES) {
      refuse(
          ctx,
          RejectReason.BODY_TOO_LARGE,
          "the body exceeds " + EventIntake.MAX_BODY_BYTES + " bytes; split it into batches");
      return;
    }
    if (declared <= 0) {
      ctx.next();
      return;
    }
    switch (unverified.tryReserve(declared)) {
      case RESERVED -> {
        AtomicBoolean released = new AtomicBoolean();
        ctx.addEndHandler(
            done -> {
              if (released.compareAndSet(false, true)) {
                unverified.release(declared);
              }
            });
        ctx.next();
      }
      case CAP_REACHED -> {
        refuse(
            ctx,
            RejectReason.UNVERIFIED_BYTES_EXCEEDED,
            "too many request bytes are waiting for their signature check; retry later");
      }
      case LARGER_THAN_CAP ->
          refuse(
              ctx,
              RejectReason.BODY_TOO_LARGE,
              "the body exceeds roster.listener.max-unverified-bytes ("
                  + unverified.cap()
                  + " bytes); split it into batches");
    }
  }

  /**
   * The declared Content-Length; for a chunked body, the most Quarkus lets through; 0 without a
   * body or with a malformed Content-Length (Vert.x refuses that itself).
   */
  private static long declaredLength(RoutingContext ctx) {
    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      try {
        return Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null
        ? EventIntake.MAX_BODY_BYTES
        : 0;
  }

  private void refuse(RoutingContext ctx, RejectReason reason, String detail) {
    // The body is not read, so the connection cannot be reused.
    refusals.send(ctx, new Rejection(reason, detail), true);
  }
}
