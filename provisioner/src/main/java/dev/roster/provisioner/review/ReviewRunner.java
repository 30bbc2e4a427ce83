package dev.roster.provisioner.review;

import io.quarkus.logging.Log;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * When reviews run on this instance: every {@code interval} after {@code initialDelay}, and on
 * demand; never two at once here. A scheduled turn runs only if no instance started a review in the
 * last half interval and this instance's claim on {@link ReviewState} came first (so of several
 * replicas one runs, and another takes over when it is gone); an on-demand review always runs (and
 * counts as the latest start).
 */
public final class ReviewRunner implements AutoCloseable {
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ReviewRun run;
  private final ReviewState state;
  private final Clock clock;
  private final Optional<Duration> interval;
  private final Duration initialDelay;
  private final AtomicReference<String> running = new AtomicReference<>();
  private final ExecutorService onDemand = daemon("roster-review");
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "roster-review-timer");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param interval empty: no scheduled reviews (on demand only)
   */
  public ReviewRunner(
      ReviewRun run,
      ReviewState state,
      Clock clock,
      Optional<Duration> interval,
      Duration initialDelay) {
    this.run = run;
    this.state = state;
    this.clock = clock;
    this.interval = interval;
    this.initialDelay = initialDelay;
  }

  /** {@code roster.review.interval}: an ISO-8601 duration, or {@code none}; else refused. */
  public static Optional<Duration> parseInterval(String value) {
    if ("none".equals(value.strip())) {
      return Optional.empty();
    }
    try {
      Duration d = Duration.parse(value.strip());
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(
            "roster.review.interval must be positive or none, was " + value);
      }
      return Optional.of(d);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "roster.review.interval must be an ISO-8601 duration (PT24H) or none, was " + value, e);
    }
  }

  /** Starts the schedule (nothing when the interval is none). */
  public ReviewRunner start() {
    if (interval.isEmpty()) {
      Log.info("review: no scheduled reviews (roster.review.interval=none); on demand only");
      return this;
    }
    Duration every = interval.get();
    timer.scheduleAtFixedRate(
        this::scheduled, initialDelay.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    Log.infof("review: every %s, the first %s after start-up", every, initialDelay);
    return this;
  }

  /** Starts a review now on this instance; empty when one is already running here. */
  public Optional<String> runNow() {
    String id = newId();
    if (!running.compareAndSet(null, id)) {
      return Optional.empty();
    }
    try {
      onDemand.execute(
          () -> {
            try {
              state.started(id, clock.instant());
              execute(id);
            } catch (RuntimeException e) {
              Log.errorf(e, "review %s (on demand) failed: %s", id, e.getMessage());
            } finally {
              running.set(null);
            }
          });
    } catch (RuntimeException e) {
      running.set(null);
      throw e;
    }
    return Optional.of(id);
  }

  /** The review running on this instance, if any. */
  public Optional<String> current() {
    return Optional.ofNullable(running.get());
  }

  void scheduled() {
    String id = newId();
    if (!running.compareAndSet(null, id)) {
      Log.infof("review: %s still running here, this turn is skipped", running.get());
      return;
    }
    try {
      if (state.claim(id, clock.instant(), interval.orElseThrow().dividedBy(2))) {
        execute(id);
      }
    } catch (RuntimeException e) {
      // Never let the timer die: the next turn tries again.
      Log.errorf(e, "review %s (scheduled) failed: %s", id, e.getMessage());
    } finally {
      running.set(null);
    }
  }

  private void execute(String id) {
    Log.infof("review %s: starting", id);
    run.run(id);
  }

  String newId() {
    byte[] random = new byte[3];
    RANDOM.nextBytes(random);
    Instant now = clock.instant();
    return "review-" + ID_TIME.format(now) + "-" + HexFormat.of().formatHex(random);
  }

  private static ExecutorService daemon(String name) {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public void close() {
    timer.shutdownNow();
    onDemand.shutdownNow();
  }
}
