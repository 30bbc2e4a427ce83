package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;

/**
 * One IAM mutation the provisioner applied, failed or planned, published on {@link
 * Topics#IAM_CHANGES} as CloudEvents type {@link CloudEvents#IAM_CHANGE_TYPE}.
 *
 * <p>{@code changeId} is deterministic from event id, account, action and target, so that a
 * redelivered event yields the same ids and the auditor stores each change once.
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
    OffsetDateTime at) {}
