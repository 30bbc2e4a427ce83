package dev.roster.listener.rest;

import dev.roster.events.EventJson;
import dev.roster.events.FieldError;
import dev.roster.events.SignatureVerdict;
import dev.roster.events.SnapshotMode;
import dev.roster.events.WebhookSignature;
import dev.roster.listener.RejectReason;
import dev.roster.listener.Rejection;
import dev.roster.listener.SnapshotIntake;
import dev.roster.listener.config.ListenerConfig;
import dev.roster.listener.snapshot.SnapshotFormat;
import io.quarkus.logging.Log;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /v1/snapshots}: an HR snapshot of up to 100,000 employees, streamed to a spool file
 * and never held in memory.
 *
 * <p>A plain Vert.x route rather than a JAX-RS resource: the body may be far larger than the 1 MiB
 * that bounds every other request ({@code quarkus.http.limits.max-body-size}, and {@link BodyLimit}
 * for the bytes held before a signature check), so this route runs before both and enforces {@code
 * roster.snapshot.max-body-bytes} itself. In order: content type (415), {@code mode} (400),
 * declared size (413), the signature header (401), the snapshots in flight (503), all before a byte
 * of the body is read; then the body is written to the spool file as it arrives, counted (413) and
 * fed to the HMAC; then the signature (401), every row (400) and Kafka (503, or 202) on a worker
 * thread. The spool file is deleted once the request is answered or its connection closes,
 * whichever is later than the work on it.
 */
@Singleton
public class SnapshotRoute {
  public static final String PATH = "/v1/snapshots";

  /** Before {@link BodyLimit} (-3) and Quarkus' body size limit (-2). */
  private static final int ORDER = -4;

  private static final String SPOOL_PREFIX = "roster-snapshot-";
  private static final String SPOOL_PERMISSIONS = "rw-------";

  private final Refusals refusals;
  private final WebhookSignature signature;
  private final SnapshotIntake intake;
  private final long maxBodyBytes;
  private final Optional<Path> spoolDirectory;
  private final Semaphore inFlight;

  public SnapshotRoute(
      Refusals refusals, WebhookSignature signature, SnapshotIntake intake, ListenerConfig config) {
    this.refusals = refusals;
    this.signature = signature;
    this.intake = intake;
    this.maxBodyBytes = config.snapshot().maxBodyBytes();
    this.spoolDirectory = config.snapshot().spoolDirectory();
    spoolDirectory.ifPresent(
        dir -> {
          try {
            java.nio.file.Files.createDirectories(dir);
          } catch (java.io.IOException e) {
            throw new IllegalStateException(
                "roster.snapshot.spool-directory " + dir + " cannot be created: " + e, e);
          }
        });
    this.inFlight = new Semaphore(Math.max(1, config.snapshot().maxInFlight()));
  }

  void install(@Observes Router router) {
    router.post(PATH).order(ORDER).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    SnapshotFormat format;
    SnapshotMode mode;
    WebhookSignature.Check check;
    try {
      format =
          SnapshotFormat.of(request.getHeader(HttpHeaders.CONTENT_TYPE))
              .orElseThrow(
                  () ->
                      new Rejection(
                          RejectReason.UNSUPPORTED_MEDIA_TYPE,
                          "send the snapshot as Content-Type: application/json or text/csv"
                              + " (UTF-8)"));
      mode = mode(ctx.queryParam("mode"));
      if (declaredLength(request) > maxBodyBytes) {
        throw tooLarge();
      }
      check = signature.begin(request.getHeader(WebhookSignature.HEADER));
      if (check.headerVerdict() != SignatureVerdict.VALID) {
        throw Rejection.signature(check.headerVerdict());
      }
    } catch (Rejection rejection) {
      refusals.send(ctx, rejection, true);
      return;
    }
    if (!inFlight.tryAcquire()) {
      refusals.send(
          ctx,
          new Rejection(
              RejectReason.SNAPSHOTS_IN_FLIGHT_EXCEEDED,
              "roster.snapshot.max-in-flight snapshots are being received; retry later"),
          true);
      return;
    }
    new Upload(ctx, format, mode, check).start();
  }

  private static SnapshotMode mode(List<String> values) {
    if (values.isEmpty()) {
      return SnapshotMode.REPORT;
    }
    Optional<SnapshotMode> mode =
        values.size() == 1 ? SnapshotMode.fromWire(values.get(0)) : Optional.empty();
    return mode.orElseThrow(
        () ->
            new Rejection(
                RejectReason.INVALID_PARAMETER,
                "mode must be report (the default) or apply, once",
                List.of(new FieldError("mode", "must be report or apply"))));
  }

  private Rejection tooLarge() {
    return new Rejection(
        RejectReason.BODY_TOO_LARGE,
        "the snapshot exceeds roster.snapshot.max-body-bytes (" + maxBodyBytes + " bytes)");
  }

  /** The declared Content-Length; -1 for a chunked body (counted as it arrives). */
  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** One request, from its first body byte to the deletion of its spool file. */
  private final class Upload {
    private final RoutingContext ctx;
    private final SnapshotFormat format;
    private final SnapshotMode mode;
    private final WebhookSignature.Check check;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean working = new AtomicBoolean();
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile String spool;
    private AsyncFile file;
    private long received;
    private boolean refused;
    private boolean fileClosed;

    Upload(
        RoutingContext ctx,
        SnapshotFormat format,
        SnapshotMode mode,
        WebhookSignature.Check check) {
      this.ctx = ctx;
      this.format = format;
      this.mode = mode;
      this.check = check;
    }

    void start() {
      HttpServerRequest request = ctx.request();
      request.pause();
      ctx.addEndHandler(
          done -> {
            answered.set(true);
            if (!working.get()) {
              finish();
            }
          });
      FileSystem fs = ctx.vertx().fileSystem();
      Future<String> created =
          spoolDirectory.isPresent()
              ? fs.createTempFile(
                  spoolDirectory.get().toString(), SPOOL_PREFIX, ".body", SPOOL_PERMISSIONS)
              : fs.createTempFile(SPOOL_PREFIX, ".body", SPOOL_PERMISSIONS);
      created
          .compose(
              path -> {
                spool = path;
                if (finished.get()) {
                  // The connection closed meanwhile: finish() ran before the file existed.
                  return fs.delete(path).compose(v -> Future.failedFuture("connection closed"));
                }
                return fs.open(path, new OpenOptions().setWrite(true).setCreate(false));
              })
          .onSuccess(this::receive)
          .onFailure(
              e -> {
                if (!finished.get()) {
                  Log.errorf("snapshot spool file could not be created: %s", e.toString());
                  ctx.fail(500, e);
                }
              });
    }

    private void receive(AsyncFile opened) {
      this.file = opened;
      if (finished.get()) {
        opened.close();
        return;
      }
      HttpServerRequest request = ctx.request();
      if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
        ctx.response().writeContinue();
      }
      request.handler(this::chunk);
      request.endHandler(v -> uploaded());
      request.exceptionHandler(e -> Log.debugf("snapshot upload broken off: %s", e));
      request.resume();
    }

    private void chunk(Buffer buffer) {
      if (refused) {
        return;
      }
      received += buffer.length();
      if (received > maxBodyBytes) {
        refused = true;
        refusals.send(ctx, tooLarge(), true);
        return;
      }
      byte[] bytes = buffer.getBytes();
      check.update(bytes, 0, bytes.length);
      file.write(buffer);
      if (file.writeQueueFull()) {
        ctx.request().pause();
        file.drainHandler(v -> ctx.request().resume());
      }
    }

    private void uploaded() {
      if (refused) {
        return;
      }
      working.set(true);
      fileClosed = true;
      file.close()
          .compose(
              v -> {
                WebhookSignature.Result verified = check.finish();
                if (verified.verdict() != SignatureVerdict.VALID) {
                  return Future.failedFuture(Rejection.signature(verified.verdict()));
                }
                return ctx.vertx()
                    .executeBlocking(() -> intake.accept(Path.of(spool), format, mode), false);
              })
          .onComplete(
              result -> {
                if (result.succeeded()) {
                  accepted(result.result());
                } else if (result.cause() instanceof Rejection rejection) {
                  refusals.send(ctx, rejection, false);
                } else {
                  Log.errorf(result.cause(), "snapshot could not be processed");
                  if (!ctx.response().ended()) {
                    ctx.fail(500, result.cause());
                  }
                }
                working.set(false);
                if (answered.get()) {
                  finish();
                }
              });
    }

    private void accepted(SnapshotIntake.Accepted accepted) {
      if (ctx.response().ended() || ctx.response().closed()) {
        return;
      }
      String json;
      try {
        json =
            EventJson.mapper()
                .writeValueAsString(
                    Map.of("snapshotId", accepted.snapshotId(), "status", "accepted"));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      ctx.response()
          .setStatusCode(202)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(json);
    }

    /** Once: the slot given back, the spool file closed and deleted. */
    private void finish() {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      inFlight.release();
      if (file != null && !fileClosed) {
        fileClosed = true;
        file.close();
      }
      if (spool != null) {
        ctx.vertx()
            .fileSystem()
            .delete(spool)
            .onFailure(e -> Log.warnf("snapshot spool file %s not deleted: %s", spool, e));
      }
    }
  }
}
