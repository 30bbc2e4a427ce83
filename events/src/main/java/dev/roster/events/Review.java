package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * One review run on {@link Topics#REVIEWS} (CloudEvents type {@link CloudEvents#REVIEW_TYPE}),
 * keyed by {@code reviewId}: {@code running}, then {@code completed} or {@code failed}, never
 * {@code held} (a later record of the same id replaces an earlier one). Its findings follow as
 * {@link Finding} records, before the final status; a finding of an earlier completed review that a
 * later completed review no longer reports is resolved. {@code counts}: findings per kind wire
 * name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Review(
    String reviewId,
    ReconciliationStatus status,
    OffsetDateTime startedAt,
    OffsetDateTime completedAt,
    List<String> accounts,
    Map<String, Integer> counts,
    String reason) {

  /**
   * One finding (CloudEvents type {@link CloudEvents#FINDING_TYPE}), keyed by {@code reviewId}.
   * {@code findingId} is stable across reviews for the same fact (kind, account, subject), so that
   * first-seen and resolved times can be kept; {@code subject} names what it is about (a user, an
   * access key id, an OU or policy id); {@code account} is absent for an organization-wide finding.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Finding(
      String reviewId,
      String findingId,
      FindingKind kind,
      String account,
      String employeeId,
      String userName,
      String subject,
      String detail,
      OffsetDateTime observedAt) {}
}
