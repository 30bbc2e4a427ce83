package dev.roster.listener.rest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the body bytes held, across all concurrent requests, by requests whose signature has not
 * been checked yet, against a cap: an unauthenticated client must not be able to fill the heap by
 * opening many connections that each send a large body. Thread-safe, lock-free.
 */
public final class UnverifiedBytes {

  /** What {@link #tryReserve} decided. */
  public enum Outcome {
    /** Counted; the caller must {@link #release} the same amount once done. */
    RESERVED,
    /** Not counted: with the bytes already held, the cap would be exceeded. Retry later. */
    CAP_REACHED,
    /** Not counted: this body alone is larger than the cap. Retrying cannot help. */
    LARGER_THAN_CAP
  }

  private final long cap;
  private final AtomicLong held = new AtomicLong();

  public UnverifiedBytes(long cap) {
    if (cap <= 0) {
      throw new IllegalArgumentException("the unverified byte cap must be positive");
    }
    this.cap = cap;
  }

  public Outcome tryReserve(long bytes) {
    if (bytes > cap) {
      return Outcome.LARGER_THAN_CAP;
    }
    while (true) {
      long current = held.get();
      if (current + bytes > cap) {
        return Outcome.CAP_REACHED;
      }
      if (held.compareAndSet(current, current + bytes)) {
        return Outcome.RESERVED;
      }
    }
  }

  public void release(long bytes) {
    held.addAndGet(-bytes);
  }

  public long held() {
    return held.get();
  }

  public long cap() {
    return cap;
  }
}
