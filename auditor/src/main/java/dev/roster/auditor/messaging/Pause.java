package dev.roster.auditor.messaging;

import java.time.Duration;

/** Backoff between attempts of a write that must not be dropped. */
final class Pause {
  private Pause() {}

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a write", e);
    }
  }

  /** Doubles the pause, up to {@code max}. */
  static Duration next(Duration current, Duration max) {
    Duration doubled = current.multipliedBy(2);
    return doubled.compareTo(max) <= 0 ? doubled : max;
  }
}
