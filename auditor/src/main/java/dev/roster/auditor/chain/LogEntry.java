package dev.roster.auditor.chain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One row of {@code audit_log}, exactly as stored: the chain hashes this form, so a verifier that
 * reads the row back computes the same bytes. Timestamps are truncated to microseconds (what
 * PostgreSQL keeps) on construction. Before it is appended, an entry is a draft: {@code seq} 0 and
 * no hashes. {@code accounts} is the canonical JSON text of {@link AccountOutcome#canonical}.
 */
public record LogEntry(
    long seq,
    EntryKind kind,
    String prevHash,
    String hash,
    Instant recordedAt,
    String eventId,
    String employeeId,
    // hr_event
    String eventType,
    Instant occurredAt,
    Instant effectiveAt,
    String payload,
    // iam_change
    String changeId,
    String account,
    String action,
    String userName,
    String target,
    String status,
    String error,
    String awsRequestId,
    Instant at,
    // provisioning_outcome
    String outcome,
    Integer plannedCount,
    Integer appliedCount,
    Integer failedCount,
    Instant startedAt,
    Instant completedAt,
    String reason,
    // provisioning_outcome, contract additions (null in outcomes without them)
    Instant cutOffAt,
    String accounts) {

  public LogEntry {
    recordedAt = micros(recordedAt);
    occurredAt = micros(occurredAt);
    effectiveAt = micros(effectiveAt);
    at = micros(at);
    startedAt = micros(startedAt);
    completedAt = micros(completedAt);
    cutOffAt = micros(cutOffAt);
  }

  /** The same content placed in the chain. */
  public LogEntry chained(long seq, String prevHash, String hash, Instant recordedAt) {
    return new LogEntry(
        seq,
        kind,
        prevHash,
        hash,
        recordedAt,
        eventId,
        employeeId,
        eventType,
        occurredAt,
        effectiveAt,
        payload,
        changeId,
        account,
        action,
        userName,
        target,
        status,
        error,
        awsRequestId,
        at,
        outcome,
        plannedCount,
        appliedCount,
        failedCount,
        startedAt,
        completedAt,
        reason,
        cutOffAt,
        accounts);
  }

  /**
   * What makes two records the same fact: the unique keys of {@code audit_log}. A change id may be
   * stored once per status (a failed attempt and its successful retry are both facts).
   */
  public String idempotencyKey() {
    return switch (kind) {
      case HR_EVENT -> hrEventKey(eventId);
      // A grant is a change: one key space, so a change is stored once whatever its kind.
      case IAM_CHANGE, PRIVILEGED_GRANT -> changeKey(changeId, status);
      case PROVISIONING_OUTCOME -> outcomeKey(eventId, outcome);
    };
  }

  /** {@link #idempotencyKey} of an HR event, from its stored columns. */
  static String hrEventKey(String eventId) {
    return "h\u0000" + eventId;
  }

  /** {@link #idempotencyKey} of a change (either kind), from its stored columns. */
  static String changeKey(String changeId, String status) {
    return "c\u0000" + changeId + "\u0000" + status;
  }

  /** {@link #idempotencyKey} of an outcome, from its stored columns. */
  static String outcomeKey(String eventId, String outcome) {
    return "o\u0000" + eventId + "\u0000" + outcome;
  }

  private static Instant micros(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }
}
