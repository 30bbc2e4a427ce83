package dev.roster.auditor.reconciliation;

import dev.roster.auditor.db.Columns;
import dev.roster.auditor.notify.Notification;
import dev.roster.auditor.notify.Outbox;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The only writer of {@code reconciliation_status} and {@code reconciliation_difference}: one call
 * stores one batch in one transaction, skipping records already stored (their idempotency key), so
 * a redelivered batch stores nothing twice. No chain lock: these tables are not in the hash chain,
 * so a large reconciliation never holds up the audit log's writers.
 */
@ApplicationScoped
public class ReconciliationStore {
  public static final String STATUS = "status";
  public static final String DIFFERENCE = "difference";

  private static final String INSERT_STATUS =
      "INSERT INTO reconciliation_status (reconciliation_id, status, source, mode, started_at,"
          + " completed_at, employees, accounts, counts, counts_by_account, deactivations, reason,"
          + " kafka_partition, kafka_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT DO NOTHING";
  private static final String INSERT_DIFFERENCE =
      "INSERT INTO reconciliation_difference (reconciliation_id, kind, account, employee_id,"
          + " user_name, detail, repaired, event_id, kafka_partition, kafka_offset, record_key)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

  private final AgroalDataSource dataSource;
  private final Outbox outbox;

  public ReconciliationStore(AgroalDataSource dataSource, Outbox outbox) {
    this.dataSource = dataSource;
    this.outbox = outbox;
  }

  /**
   * Records stored and duplicates skipped, per type ({@link #STATUS}, {@link #DIFFERENCE}), and the
   * notifications written to the outbox.
   */
  public record Result(
      Map<String, Integer> stored,
      Map<String, Integer> duplicates,
      List<Notification> notifications) {}

  /** Stores the drafts in their order, in a new transaction. */
  public Result append(List<ReconciliationDraft> drafts) {
    return QuarkusTransaction.requiringNew().call(() -> appendInTransaction(drafts));
  }

  private Result appendInTransaction(List<ReconciliationDraft> drafts) throws SQLException {
    Map<String, Integer> stored = new LinkedHashMap<>();
    Map<String, Integer> duplicates = new LinkedHashMap<>();
    Map<String, ReconciliationDraft.Status> statuses = new LinkedHashMap<>();
    Map<String, ReconciliationDraft.Difference> differences = new LinkedHashMap<>();
    for (ReconciliationDraft d : drafts) {
      boolean fresh =
          d instanceof ReconciliationDraft.Status s
              ? statuses.putIfAbsent(statusKey(s), s) == null
              : differences.putIfAbsent(
                      ((ReconciliationDraft.Difference) d).key(),
                      (ReconciliationDraft.Difference) d)
                  == null;
      if (!fresh) {
        duplicates.merge(type(d), 1, Integer::sum);
      }
    }
    try (Connection c = dataSource.getConnection()) {
      // ON CONFLICT DO NOTHING keeps a concurrent writer (another instance) from failing the
      // batch; the check first tells how many were duplicates.
      for (String key : existingStatusKeys(c, statuses.values())) {
        statuses.remove(key);
        duplicates.merge(STATUS, 1, Integer::sum);
      }
      for (String key : existingDifferenceKeys(c, differences.keySet())) {
        differences.remove(key);
        duplicates.merge(DIFFERENCE, 1, Integer::sum);
      }
      if (!statuses.isEmpty()) {
        try (PreparedStatement s = c.prepareStatement(INSERT_STATUS)) {
          for (ReconciliationDraft.Status r : statuses.values()) {
            bind(s, r);
            s.addBatch();
          }
          s.executeBatch();
        }
        stored.put(STATUS, statuses.size());
      }
      if (!differences.isEmpty()) {
        try (PreparedStatement s = c.prepareStatement(INSERT_DIFFERENCE)) {
          for (ReconciliationDraft.Difference r : differences.values()) {
            bind(s, r);
            s.addBatch();
          }
          s.executeBatch();
        }
        stored.put(DIFFERENCE, differences.size());
      }
      return new Result(stored, duplicates, outbox.afterReconciliations(c, statuses.values()));
    }
  }

  private static String type(ReconciliationDraft d) {
    return d instanceof ReconciliationDraft.Status ? STATUS : DIFFERENCE;
  }

  private static String statusKey(ReconciliationDraft.Status s) {
    return s.reconciliationId() + "\u0000" + s.partition() + "\u0000" + s.offset();
  }

  private static Set<String> existingStatusKeys(
      Connection c, Iterable<ReconciliationDraft.Status> candidates) throws SQLException {
    Set<String> ids = new HashSet<>();
    candidates.forEach(s -> ids.add(s.reconciliationId()));
    Set<String> found = new HashSet<>();
    if (ids.isEmpty()) {
      return found;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT reconciliation_id, kafka_partition, kafka_offset FROM reconciliation_status"
                + " WHERE reconciliation_id = ANY (?)")) {
      s.setArray(1, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1) + "\u0000" + rs.getInt(2) + "\u0000" + rs.getLong(3));
        }
      }
    }
    Set<String> present = new HashSet<>();
    candidates.forEach(
        s -> {
          if (found.contains(statusKey(s))) {
            present.add(statusKey(s));
          }
        });
    return present;
  }

  private static Set<String> existingDifferenceKeys(Connection c, Set<String> keys)
      throws SQLException {
    Set<String> found = new HashSet<>();
    if (keys.isEmpty()) {
      return found;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT record_key FROM reconciliation_difference WHERE record_key = ANY (?)")) {
      Array array = c.createArrayOf("text", keys.toArray());
      s.setArray(1, array);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
    }
    return found;
  }

  private static void bind(PreparedStatement s, ReconciliationDraft.Status r) throws SQLException {
    int i = 0;
    s.setString(++i, r.reconciliationId());
    s.setString(++i, r.status().wireName());
    s.setString(++i, r.source());
    s.setString(++i, r.mode() == null ? null : r.mode().wireName());
    Columns.setInstant(s, ++i, r.startedAt());
    Columns.setInstant(s, ++i, r.completedAt());
    Columns.setInteger(s, ++i, r.employees());
    s.setString(++i, r.accounts());
    s.setString(++i, r.counts());
    s.setString(++i, r.countsByAccount());
    Columns.setInteger(s, ++i, r.deactivations());
    s.setString(++i, r.reason());
    s.setInt(++i, r.partition());
    s.setLong(++i, r.offset());
  }

  private static void bind(PreparedStatement s, ReconciliationDraft.Difference r)
      throws SQLException {
    int i = 0;
    s.setString(++i, r.reconciliationId());
    s.setString(++i, r.kind().wireName());
    s.setString(++i, r.account());
    s.setString(++i, r.employeeId());
    s.setString(++i, r.userName());
    s.setString(++i, r.detail());
    if (r.repaired() == null) {
      s.setNull(++i, Types.BOOLEAN);
    } else {
      s.setBoolean(++i, r.repaired());
    }
    s.setString(++i, r.eventId());
    s.setInt(++i, r.partition());
    s.setLong(++i, r.offset());
    s.setString(++i, r.key());
  }
}
