package dev.roster.auditor.chain;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Appends placed entries to {@code audit_log} with one {@code COPY ... FROM STDIN} (text format) in
 * the caller's transaction: the same rows, constraints and unique indexes as a batched INSERT (COPY
 * needs only the INSERT privilege and fires no other trigger: the log's triggers are on UPDATE,
 * DELETE and TRUNCATE), at a fraction of the server's parse and bind work per row.
 */
final class CopyRows {
  static final String COPY = "COPY audit_log (" + LogStore.COLUMNS + ") FROM STDIN (FORMAT text)";
  private static final long FIRST_SECOND =
      LocalDateTime.of(1, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
  private static final long PAST_LAST_SECOND =
      LocalDateTime.of(10_000, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);

  private final CopyIn copy;
  private byte[] row = new byte[2048];
  private int length;

  private CopyRows(CopyIn copy) {
    this.copy = copy;
  }

  /**
   * Whether COPY can carry the entry's timestamps as written here (years 1 to 9999, the form {@link
   * ChainHash#timestamp} writes); outside them the caller inserts the batch with JDBC instead.
   */
  static boolean fits(LogEntry e) {
    return fits(e.recordedAt())
        && fits(e.occurredAt())
        && fits(e.effectiveAt())
        && fits(e.at())
        && fits(e.startedAt())
        && fits(e.completedAt())
        && fits(e.cutOffAt());
  }

  private static boolean fits(Instant t) {
    return t == null
        || (t.getEpochSecond() >= FIRST_SECOND && t.getEpochSecond() < PAST_LAST_SECOND);
  }

  static CopyRows start(Connection c) throws SQLException {
    return new CopyRows(c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY));
  }

  /** One row: the placed entry (its {@code seq} and {@code prevHash}) with its hash. */
  void add(LogEntry e, String hash) throws SQLException {
    length = 0;
    number(e.seq());
    text(e.kind().wireName());
    text(e.prevHash());
    text(hash);
    time(e.recordedAt());
    text(e.eventId());
    text(e.employeeId());
    text(e.eventType());
    time(e.occurredAt());
    time(e.effectiveAt());
    text(e.payload());
    text(e.changeId());
    text(e.account());
    text(e.action());
    text(e.userName());
    text(e.target());
    text(e.status());
    text(e.error());
    text(e.awsRequestId());
    time(e.at());
    text(e.outcome());
    number(e.plannedCount());
    number(e.appliedCount());
    number(e.failedCount());
    time(e.startedAt());
    time(e.completedAt());
    text(e.reason());
    time(e.cutOffAt());
    text(e.accounts());
    row[length - 1] = '\n'; // the last column's tab ends the row
    copy.writeToCopy(row, 0, length);
  }

  /** Ends the COPY; the database has checked every row by then. */
  long finish() throws SQLException {
    return copy.endCopy();
  }

  /** After a failure: leaves COPY mode (if still in it), so the transaction can roll back. */
  void abort() {
    try {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    } catch (SQLException e) {
      // The rollback that follows (or the connection's loss) ends it too.
    }
  }

  private void number(Number n) {
    if (n == null) {
      ascii("\\N");
    } else {
      ascii(Long.toString(n.longValue()));
    }
    end();
  }

  private void time(Instant t) {
    if (t == null) {
      ascii("\\N");
    } else {
      room(ChainHash.TIMESTAMP_LENGTH);
      ChainHash.timestamp(t, row, length); // fits: years 1 to 9999
      length += ChainHash.TIMESTAMP_LENGTH;
    }
    end();
  }

  /**
   * Text format: backslash, newline, carriage return and the tab delimiter escaped with a
   * backslash; null as \N; UTF-8 (the escapes are ASCII, so escaping before encoding is the same).
   */
  private void text(String s) {
    if (s == null) {
      ascii("\\N");
      end();
      return;
    }
    room(s.length() * 2);
    int start = length;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch >= 0x80) {
        length = start;
        utf8(s);
        end();
        return;
      }
      escaped(ch);
    }
    end();
  }

  private void utf8(String s) {
    StringBuilder escaped = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\\' -> escaped.append("\\\\");
        case '\n' -> escaped.append("\\n");
        case '\r' -> escaped.append("\\r");
        case '\t' -> escaped.append("\\t");
        default -> escaped.append(ch);
      }
    }
    byte[] bytes = escaped.toString().getBytes(StandardCharsets.UTF_8);
    room(bytes.length);
    System.arraycopy(bytes, 0, row, length, bytes.length);
    length += bytes.length;
  }

  private void escaped(char ch) {
    switch (ch) {
      case '\\' -> {
        row[length++] = '\\';
        row[length++] = '\\';
      }
      case '\n' -> {
        row[length++] = '\\';
        row[length++] = 'n';
      }
      case '\r' -> {
        row[length++] = '\\';
        row[length++] = 'r';
      }
      case '\t' -> {
        row[length++] = '\\';
        row[length++] = 't';
      }
      default -> row[length++] = (byte) ch;
    }
  }

  private void ascii(String s) {
    room(s.length());
    for (int i = 0; i < s.length(); i++) {
      row[length++] = (byte) s.charAt(i);
    }
  }

  /** The column delimiter (the row's last one becomes its newline). */
  private void end() {
    room(1);
    row[length++] = '\t';
  }

  private void room(int more) {
    if (length + more > row.length) {
      row = java.util.Arrays.copyOf(row, Math.max(row.length * 2, length + more));
    }
  }
}
