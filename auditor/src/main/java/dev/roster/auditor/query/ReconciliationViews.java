package dev.roster.auditor.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of {@code /v1/reconciliations} (kept apart from the stored form). */
public final class ReconciliationViews {
  private ReconciliationViews() {}

  /**
   * One reconciliation as its latest status record says (the highest Kafka offset of its id), plus
   * {@code seq} (its first status record's: the order and cursor of the listing), {@code
   * differences} (difference records stored for it) and {@code updatedAt} (when the latest status
   * was stored).
   */
  public record Summary(
      long seq,
      String reconciliationId,
      String status,
      String source,
      String mode,
      Instant startedAt,
      Instant completedAt,
      Integer employees,
      List<String> accounts,
      Integer deactivations,
      String reason,
      long differences,
      Instant updatedAt) {}

  /** {@link Views.Page} of reconciliations, for the OpenAPI document. */
  public record SummaryPage(List<Summary> items, String nextCursor) {}

  /** One status record of a reconciliation, in the order they were published. */
  public record StatusRecord(
      long seq,
      String status,
      String reason,
      Instant startedAt,
      Instant completedAt,
      Integer deactivations,
      Instant recordedAt) {}

  /** What the provisioner's latest status record itself counted (null fields when it sent none). */
  public record Reported(
      Map<String, Integer> counts, Map<String, Map<String, Integer>> countsByAccount) {}

  /** One difference between IAM and HR. */
  public record Difference(
      long seq,
      String reconciliationId,
      String kind,
      String account,
      String employeeId,
      String userName,
      String detail,
      Boolean repaired,
      String eventId,
      Instant recordedAt) {}

  /** {@link Views.Page} of differences, for the OpenAPI document. */
  public record DifferencePage(List<Difference> items, String nextCursor) {}

  /**
   * {@code GET /v1/reconciliations/{id}}: the summary, the stored differences counted per kind
   * ({@code counts}, every kind, zeros included) and per account and kind ({@code countsByAccount}:
   * every account the run names or a difference names), what the provisioner reported, every status
   * record ({@code history}) and one page of differences.
   */
  public record Detail(
      String reconciliationId,
      String status,
      String source,
      String mode,
      Instant startedAt,
      Instant completedAt,
      Integer employees,
      List<String> accounts,
      Integer deactivations,
      String reason,
      Instant updatedAt,
      long differenceCount,
      Map<String, Long> counts,
      Map<String, Map<String, Long>> countsByAccount,
      Reported reported,
      List<StatusRecord> history,
      Views.Page<Difference> differences) {}
}
