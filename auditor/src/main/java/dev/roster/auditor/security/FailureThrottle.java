package dev.roster.auditor.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per key (client address and user name) within a window and says how long the
 * next attempt of that key waits: nothing for the first {@code free-failures}, then {@code
 * failure-delay} doubling up to {@code max-failure-delay}. A success forgets the key. Per instance,
 * in memory: it slows guessing, it does not lock anyone out.
 */
@ApplicationScoped
public class FailureThrottle {
  /** Keys kept at most; beyond it the oldest half is dropped (an attacker cycling keys). */
  private static final int MAX_KEYS = 10_000;

  private record Failures(int count, Instant last) {}

  private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
  private final BasicAuthConfig config;
  private final Clock clock;

  @Inject
  public FailureThrottle(BasicAuthConfig config) {
    this(config, Clock.systemUTC());
  }

  FailureThrottle(BasicAuthConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** How long the next attempt of this key waits before it is answered. */
  public Duration delay(String key) {
    Failures f = current(key);
    int over = f == null ? -1 : f.count() - config.freeFailures();
    if (over < 0) {
      return Duration.ZERO;
    }
    Duration d = config.failureDelay().multipliedBy(1L << Math.min(over, 20));
    return d.compareTo(config.maxFailureDelay()) > 0 ? config.maxFailureDelay() : d;
  }

  /** Records a failure; returns the failures of the key in the window. */
  public int failed(String key) {
    if (failures.size() > MAX_KEYS) {
      failures.entrySet().removeIf(e -> expired(e.getValue()));
      if (failures.size() > MAX_KEYS) {
        failures.clear();
      }
    }
    Instant now = clock.instant();
    return failures
        .compute(
            key,
            (k, f) ->
                f == null || expired(f) ? new Failures(1, now) : new Failures(f.count() + 1, now))
        .count();
  }

  public void succeeded(String key) {
    failures.remove(key);
  }

  private Failures current(String key) {
    Failures f = failures.get(key);
    return f == null || expired(f) ? null : f;
  }

  private boolean expired(Failures f) {
    return f.last().plus(config.failureWindow()).isBefore(clock.instant());
  }
}
