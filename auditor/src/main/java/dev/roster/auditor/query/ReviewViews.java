package dev.roster.auditor.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of {@code /v1/findings} and {@code /v1/reviews}. */
public final class ReviewViews {
  private ReviewViews() {}

  /**
   * One finding as its sightings say: {@code seq} (its first stored sighting's: the order and
   * cursor of the listing), what the latest sighting reported (kind, account, employeeId, userName,
   * subject, detail, {@code reviewId}), {@code firstSeenAt} (the earliest sighting's observedAt,
   * kept when the finding is reported again after a resolution), {@code lastSeenAt} (the latest
   * sighting's), {@code resolvedAt} (the completedAt of the first completed review of its account
   * started after the latest sighting that does not report it; null while open) and {@code status}
   * ({@code open} or {@code resolved}).
   */
  public record Finding(
      long seq,
      String findingId,
      String kind,
      String account,
      String employeeId,
      String userName,
      String subject,
      String detail,
      Instant firstSeenAt,
      Instant lastSeenAt,
      Instant resolvedAt,
      String status,
      String reviewId) {}

  /** {@link Views.Page} of findings, for the OpenAPI document. */
  public record FindingPage(List<Finding> items, String nextCursor) {}

  /**
   * One review as its latest status record says (the highest Kafka offset of its id), plus {@code
   * seq} (its first status record's), {@code findings} (finding records stored for it), {@code
   * counts} (per kind, as the provisioner reported them; null when it sent none) and {@code
   * updatedAt} (when the latest status was stored).
   */
  public record Review(
      long seq,
      String reviewId,
      String status,
      Instant startedAt,
      Instant completedAt,
      List<String> accounts,
      Map<String, Integer> counts,
      long findings,
      String reason,
      Instant updatedAt) {}

  /** {@link Views.Page} of reviews, for the OpenAPI document. */
  public record ReviewPage(List<Review> items, String nextCursor) {}
}
