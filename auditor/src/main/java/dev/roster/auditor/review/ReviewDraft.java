package dev.roster.auditor.review;

import dev.roster.events.FindingKind;
import dev.roster.events.ReconciliationStatus;
import java.time.Instant;

/**
 * A record of {@code reviews} ready to store: a review's status or one finding it reported, with
 * where it was consumed (the partition and offset order a review's statuses).
 */
public sealed interface ReviewDraft {
  String reviewId();

  /** A {@code dev.roster.review} record; JSON fields kept as received text. */
  record Status(
      String reviewId,
      ReconciliationStatus status,
      Instant startedAt,
      Instant completedAt,
      String accounts,
      String counts,
      String reason,
      int partition,
      long offset)
      implements ReviewDraft {}

  /** A {@code dev.roster.review.finding} record: one sighting of the finding. */
  record Finding(
      String reviewId,
      String findingId,
      FindingKind kind,
      String account,
      String employeeId,
      String userName,
      String subject,
      String detail,
      Instant observedAt,
      int partition,
      long offset)
      implements ReviewDraft {}
}
