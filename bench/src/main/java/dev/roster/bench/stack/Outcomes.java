package dev.roster.bench.stack;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads what the auditor recorded about HR events: their provisioning outcome (with the
 * provisioner's {@code completedAt}) and when the auditor stored it ({@code recorded_at}).
 */
final class Outcomes {
  /** One event's outcome as the audit log holds it. */
  record Seen(
      String outcome,
      Instant startedAt,
      Instant cutOffAt,
      Instant completedAt,
      Instant recordedAt,
      int failed) {}

  private Outcomes() {}

  static Map<String, Seen> read(Connection db, Collection<String> eventIds) throws SQLException {
    Map<String, Seen> seen = new HashMap<>();
    Array ids = db.createArrayOf("text", eventIds.toArray());
    try (PreparedStatement ps =
        db.prepareStatement(
            "SELECT event_id, outcome, started_at, cut_off_at, completed_at, recorded_at,"
                + " failed_count FROM audit_log"
                + " WHERE kind = 'provisioning_outcome' AND event_id = ANY (?)")) {
      ps.setArray(1, ids);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seen.put(
              rs.getString(1),
              new Seen(
                  rs.getString(2),
                  instant(rs, 3),
                  instant(rs, 4),
                  instant(rs, 5),
                  instant(rs, 6),
                  rs.getObject(7) == null ? 0 : rs.getInt(7)));
        }
      }
    }
    return seen;
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    java.sql.Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  /** Waits until every event has an outcome, or nothing new arrived for {@code idleSeconds}. */
  static Map<String, Seen> await(Connection db, Collection<String> eventIds, int idleSeconds)
      throws SQLException {
    return await(db, eventIds, idleSeconds, 600);
  }

  /** As above, but gives up after {@code maxSeconds} whatever happens. */
  static Map<String, Seen> await(
      Connection db, Collection<String> eventIds, int idleSeconds, int maxSeconds)
      throws SQLException {
    long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
    Map<String, Seen> seen = Map.of();
    int last = -1;
    long lastChange = System.nanoTime();
    while (true) {
      seen = read(db, eventIds);
      if (seen.size() >= eventIds.size() || System.nanoTime() > deadline) {
        return seen;
      }
      if (seen.size() != last) {
        last = seen.size();
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > idleSeconds * 1_000_000_000L) {
        return seen;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return seen;
      }
    }
  }

  /** Call count deltas by action, summed over accounts. */
  static Map<String, Long> delta(
      Map<String, Map<String, Long>> before, Map<String, Map<String, Long>> after) {
    Map<String, Long> out = new java.util.TreeMap<>();
    after.forEach(
        (account, actions) ->
            actions.forEach(
                (action, n) -> {
                  long b = before.getOrDefault(account, Map.of()).getOrDefault(action, 0L);
                  if (n - b != 0) {
                    out.merge(action, n - b, Long::sum);
                  }
                }));
    return out;
  }

  static long total(Map<String, Long> byAction) {
    return byAction.values().stream().mapToLong(Long::longValue).sum();
  }
}
