package dev.roster.provisioner.review;

import dev.roster.policy.review.ScpSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What reviews share across runs and instances (durable, never per-instance memory): the SCPs the
 * last review saw, and who started the latest review when.
 */
public interface ReviewState {
  /** The SCPs the previous review of this organization saw (empty: none yet). */
  Optional<ScpSnapshot> scps(String organization);

  /** Keeps what this review saw, for the next one. */
  void scps(String organization, ScpSnapshot snapshot);

  /**
   * Whether this instance runs the scheduled review {@code reviewId} now: false when any instance
   * started a review less than {@code quiet} ago, or another instance claimed this turn first. The
   * claim itself is recorded (it is the latest start from now on).
   */
  boolean claim(String reviewId, Instant now, Duration quiet);

  /** Records a review started on demand as the latest start (no claim is weighed). */
  void started(String reviewId, Instant now);
}
