package dev.roster.auditor.reconciliation;

import dev.roster.events.DifferenceKind;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.SnapshotMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A record of {@code reconciliations} ready to store: a status or a difference, with where it was
 * consumed (the partition and offset order a reconciliation's statuses).
 */
public sealed interface ReconciliationDraft {
  String reconciliationId();

  /** A {@code dev.roster.reconciliation} record; JSON fields kept as received text. */
  record Status(
      String reconciliationId,
      ReconciliationStatus status,
      String source,
      SnapshotMode mode,
      Instant startedAt,
      Instant completedAt,
      Integer employees,
      String accounts,
      String counts,
      String countsByAccount,
      Integer deactivations,
      String reason,
      int partition,
      long offset)
      implements ReconciliationDraft {}

  /** A {@code dev.roster.reconciliation.difference} record. */
  record Difference(
      String reconciliationId,
      DifferenceKind kind,
      String account,
      String employeeId,
      String userName,
      String detail,
      Boolean repaired,
      String eventId,
      int partition,
      long offset)
      implements ReconciliationDraft {

    /**
     * The idempotency key: SHA-256 over every field of the record (not where it was consumed), so a
     * redelivered or republished copy stores nothing while any other difference is stored.
     */
    public String key() {
      StringBuilder b = new StringBuilder();
      for (Object f :
          new Object[] {
            reconciliationId,
            kind.wireName(),
            account,
            employeeId,
            userName,
            detail,
            repaired,
            eventId
          }) {
        // length-prefixed, so that no two field lists give the same bytes
        String s = f == null ? "" : f.toString();
        b.append(f == null ? -1 : s.length()).append(':').append(s).append('\u0000');
      }
      try {
        return HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing", e);
      }
    }
  }
}
