package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;

/**
 * One IAM mutation the provisioner applied, failed or planned, published on {@link
 * Topics#IAM_CHANGES} as CloudEvents type {@link CloudEvents#IAM_CHANGE_TYPE}.
 *
 * <p>{@code changeId} is deterministic from event id, account, action and target, so that a
 * redelivered event yields the same ids and the auditor stores each change once.
 *
 * <p>{@code privilegedReason} is set only on adding a user to a group the role mapping marks
 * privileged in that account (the mapping's reason); null otherwise and then absent from the JSON,
 * so readers older than the field see the same record as before. The auditor stores such a change
 * as an entry of its own kind.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IamChange(
    String changeId,
    String eventId,
    String employeeId,
    String account,
    String action,
    String userName,
    String target,
    ChangeStatus status,
    String error,
    String awsRequestId,
    OffsetDateTime at,
    String privilegedReason) {

  /** A change that grants nothing privileged. */
  public IamChange(
      String changeId,
      String eventId,
      String employeeId,
      String account,
      String action,
      String userName,
      String target,
      ChangeStatus status,
      String error,
      String awsRequestId,
      OffsetDateTime at) {
    this(
        changeId,
        eventId,
        employeeId,
        account,
        action,
        userName,
        target,
        status,
        error,
        awsRequestId,
        at,
        null);
  }
}
