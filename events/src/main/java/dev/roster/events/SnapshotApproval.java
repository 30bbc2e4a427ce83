package dev.roster.events;

import java.time.OffsetDateTime;

/**
 * Approval of a reconciliation the mass-change guard held, on {@link Topics#HR_SNAPSHOTS}
 * (CloudEvents type {@link CloudEvents#SNAPSHOT_APPROVAL_TYPE}), keyed by {@code snapshotId}:
 * published by hr-listener for a signed {@code POST /v1/reconciliations/{id}/approve}. {@code
 * approvedBy} names the signing key (never the secret).
 */
public record SnapshotApproval(String snapshotId, OffsetDateTime approvedAt, String approvedBy) {}
