package dev.roster.policy.review;

import dev.roster.events.FindingKind;
import dev.roster.events.Review;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Builds the findings of one review run: one review id, one observation time. */
final class Findings {
  private final String reviewId;
  private final OffsetDateTime observedAt;

  Findings(String reviewId, Instant now) {
    this.reviewId = java.util.Objects.requireNonNull(reviewId, "reviewId");
    this.observedAt = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
  }

  Review.Finding about(
      ReviewedUser user, FindingKind kind, String account, String subject, String detail) {
    return new Review.Finding(
        reviewId,
        FindingIds.of(kind, account, subject),
        kind,
        account,
        user.employeeId(),
        user.userName(),
        subject,
        detail,
        observedAt);
  }

  /** A finding about the organization: no employee, no user; {@code account} may be null. */
  Review.Finding organization(FindingKind kind, String account, String subject, String detail) {
    return new Review.Finding(
        reviewId,
        FindingIds.of(kind, account, subject),
        kind,
        account,
        null,
        null,
        subject,
        detail,
        observedAt);
  }
}
