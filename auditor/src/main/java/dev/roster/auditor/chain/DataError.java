package dev.roster.auditor.chain;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A write the database refused because of the data itself, so that retrying the same rows can never
 * succeed: SQLState class 22 (data exception: a NUL character, an invalid value), class 23
 * (integrity constraint) except 23505, and 54000 (a value too long for an index row). Everything
 * else (connection loss, shutdown, lock or serialization failures, a missing grant) may pass and is
 * retried.
 *
 * <p>23505 (unique violation) is no data error: the append that meets one drops the records already
 * stored and writes the rest ({@link LogStore}); should one reach the caller, the retry does the
 * same.
 *
 * @param sqlState the SQLState the database answered
 * @param message the database's message, first line only (no statement text, no parameter values)
 */
public record DataError(String sqlState, String message) {
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String PROGRAM_LIMIT_EXCEEDED = "54000";

  /** The data error behind a failed write, if that is what it was. */
  public static Optional<DataError> of(Throwable failure) {
    DataError fallback = null;
    for (SQLException sql : sqlExceptions(failure)) {
      if (isDataState(sql.getSQLState())) {
        // A batch exception's own message quotes the whole statement with its values.
        if (!(sql instanceof BatchUpdateException)) {
          return Optional.of(new DataError(sql.getSQLState(), firstLine(sql.getMessage())));
        }
        if (fallback == null) {
          fallback = new DataError(sql.getSQLState(), "batch entry refused");
        }
      }
    }
    return Optional.ofNullable(fallback);
  }

  /** Whether the failure is (or was caused by) a unique violation, SQLState 23505. */
  public static boolean uniqueViolation(Throwable failure) {
    return sqlExceptions(failure).stream()
        .anyMatch(sql -> UNIQUE_VIOLATION.equals(sql.getSQLState()));
  }

  /** Every SQLException in the failure, its causes and next exceptions, nearest first. */
  private static List<SQLException> sqlExceptions(Throwable failure) {
    List<SQLException> found = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Throwable> todo = new ArrayDeque<>();
    if (failure != null) {
      todo.add(failure);
    }
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (!seen.add(t)) {
        continue;
      }
      if (t instanceof SQLException sql) {
        found.add(sql);
        if (sql.getNextException() != null) {
          todo.add(sql.getNextException());
        }
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
    }
    return found;
  }

  static boolean isDataState(String state) {
    if (state == null || state.length() != 5) {
      return false;
    }
    return state.startsWith("22")
        || (state.startsWith("23") && !state.equals(UNIQUE_VIOLATION))
        || state.equals(PROGRAM_LIMIT_EXCEEDED);
  }

  /** For the {@code dlq_cause} header: {@code SQLState 22021: invalid byte sequence ...}. */
  public String describe() {
    return "SQLState " + sqlState + ": " + message;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String line = message.lines().findFirst().orElse("").strip();
    return line.startsWith("ERROR: ") ? line.substring("ERROR: ".length()) : line;
  }
}
