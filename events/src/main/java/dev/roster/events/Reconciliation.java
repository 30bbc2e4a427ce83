package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The state of one reconciliation on {@link Topics#RECONCILIATIONS} (CloudEvents type {@link
 * CloudEvents#RECONCILIATION_TYPE}), keyed by {@code reconciliationId}; a later record of the same
 * id replaces an earlier one. {@code source} is {@code snapshot} (then {@code reconciliationId} is
 * the snapshot id) or {@code drift} (a periodic comparison with the state last applied). {@code
 * counts}: differences per kind wire name; {@code countsByAccount}: the same per account id. {@code
 * deactivations}: employees the run would cut off (what the mass-change guard weighs). {@code
 * reason}: why it is held or failed. Differences follow as {@link Difference} records.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reconciliation(
    String reconciliationId,
    String source,
    SnapshotMode mode,
    ReconciliationStatus status,
    OffsetDateTime startedAt,
    OffsetDateTime completedAt,
    Integer employees,
    List<String> accounts,
    Map<String, Integer> counts,
    Map<String, Map<String, Integer>> countsByAccount,
    Integer deactivations,
    String reason) {

  public static final String SOURCE_SNAPSHOT = "snapshot";
  public static final String SOURCE_DRIFT = "drift";

  /**
   * One difference between IAM and HR, on {@link Topics#RECONCILIATIONS} (CloudEvents type {@link
   * CloudEvents#DIFFERENCE_TYPE}), keyed by {@code reconciliationId}. {@code detail}: what differs
   * (a group name, a policy ARN, a tag key, a credential id); {@code repaired}: absent in report
   * mode, else whether the correction succeeded; {@code eventId}: the id of the event through which
   * it was corrected (reason {@code reconcile:<snapshotId>} or {@code drift}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Difference(
      String reconciliationId,
      DifferenceKind kind,
      String account,
      String employeeId,
      String userName,
      String detail,
      Boolean repaired,
      String eventId) {}
}
