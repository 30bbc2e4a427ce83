package dev.roster.auditor.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.auditor.db.Columns;
import dev.roster.auditor.db.Rows;
import dev.roster.auditor.query.ReconciliationViews.Difference;
import dev.roster.auditor.query.ReconciliationViews.Reported;
import dev.roster.auditor.query.ReconciliationViews.StatusRecord;
import dev.roster.auditor.query.ReconciliationViews.Summary;
import dev.roster.events.DifferenceKind;
import dev.roster.events.EventJson;
import dev.roster.events.ReconciliationStatus;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** The read side of the reconciliation tables; listings newest first, keyset-paginated on seq. */
@ApplicationScoped
public class ReconciliationQueries {
  private static final ObjectMapper JSON = EventJson.mapper();

  private final AgroalDataSource dataSource;

  public ReconciliationQueries(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Filters of {@code GET /v1/reconciliations}, on the latest status; null = any. */
  public record ReconciliationFilter(ReconciliationStatus status, String source) {}

  /** Filters of a reconciliation's differences; null = any. */
  public record DifferenceFilter(DifferenceKind kind, String account) {}

  private static final String LATEST =
      "SELECT * FROM reconciliation_status s WHERE s.reconciliation_id = f.reconciliation_id"
          + " ORDER BY s.kafka_offset DESC, s.seq DESC LIMIT 1";

  /**
   * Reconciliations whose first status record is older than {@code cursor}, newest first; a
   * reconciliation keeps its place while its status changes, so paging never repeats or skips one.
   */
  public List<Summary> list(ReconciliationFilter filter, Long cursor, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT f.seq AS first_seq, l.*, (SELECT count(*) FROM reconciliation_difference d"
                + " WHERE d.reconciliation_id = f.reconciliation_id) AS difference_count"
                + " FROM reconciliation_status f JOIN LATERAL ("
                + LATEST
                + ") l ON true WHERE NOT EXISTS (SELECT 1 FROM reconciliation_status e"
                + " WHERE e.reconciliation_id = f.reconciliation_id AND e.seq < f.seq)");
    List<Object> args = new ArrayList<>();
    if (cursor != null) {
      sql.append(" AND f.seq < ?");
      args.add(cursor);
    }
    if (filter.status() != null) {
      sql.append(" AND l.status = ?");
      args.add(filter.status().wireName());
    }
    if (filter.source() != null) {
      sql.append(" AND l.source = ?");
      args.add(filter.source());
    }
    sql.append(" ORDER BY f.seq DESC LIMIT ?");
    args.add(limit);
    return select(sql.toString(), args, rs -> summary(rs, rs.getLong("first_seq")));
  }

  /** The reconciliation as its latest status says, with its counts; empty when unknown. */
  public Optional<Summary> summary(String id) {
    List<Summary> found =
        select(
            "SELECT (SELECT min(seq) FROM reconciliation_status m WHERE m.reconciliation_id = ?)"
                + " AS first_seq, l.*, (SELECT count(*) FROM reconciliation_difference d"
                + " WHERE d.reconciliation_id = ?) AS difference_count FROM (SELECT ? AS"
                + " reconciliation_id) f JOIN LATERAL ("
                + LATEST
                + ") l ON true",
            List.of(id, id, id),
            rs -> summary(rs, rs.getLong("first_seq")));
    return found.stream().findFirst();
  }

  /** Every status record of the reconciliation, in publication (offset) order. */
  public List<StatusRecord> history(String id) {
    return select(
        "SELECT seq, status, reason, started_at, completed_at, deactivations, recorded_at"
            + " FROM reconciliation_status WHERE reconciliation_id = ?"
            + " ORDER BY kafka_offset, seq",
        List.of(id),
        rs ->
            new StatusRecord(
                rs.getLong("seq"),
                rs.getString("status"),
                rs.getString("reason"),
                Columns.instant(rs, "started_at"),
                Columns.instant(rs, "completed_at"),
                Columns.integer(rs, "deactivations"),
                Columns.instant(rs, "recorded_at")));
  }

  /** The counts the latest status record itself carries. */
  public Reported reported(String id) {
    List<Reported> found =
        select(
            "SELECT counts, counts_by_account FROM reconciliation_status"
                + " WHERE reconciliation_id = ? ORDER BY kafka_offset DESC, seq DESC LIMIT 1",
            List.of(id),
            rs ->
                new Reported(
                    parse(rs.getString("counts"), new TypeReference<Map<String, Integer>>() {}),
                    parse(
                        rs.getString("counts_by_account"),
                        new TypeReference<Map<String, Map<String, Integer>>>() {})));
    return found.isEmpty() ? new Reported(null, null) : found.get(0);
  }

  /**
   * Stored differences per account and kind, every kind zero-filled, for the given accounts (those
   * the run compared) and every account a difference names, sorted by account.
   */
  public Map<String, Map<String, Long>> countsByAccount(String id, List<String> accounts) {
    Map<String, Map<String, Long>> byAccount = new TreeMap<>();
    TreeSet<String> all = new TreeSet<>(accounts == null ? List.of() : accounts);
    all.forEach(a -> byAccount.put(a, zeros()));
    select(
            "SELECT account, kind, count(*) AS n FROM reconciliation_difference"
                + " WHERE reconciliation_id = ? GROUP BY account, kind",
            List.of(id),
            rs -> new Object[] {rs.getString("account"), rs.getString("kind"), rs.getLong("n")})
        .forEach(
            row ->
                byAccount
                    .computeIfAbsent((String) row[0], a -> zeros())
                    .merge((String) row[1], (Long) row[2], Long::sum));
    return byAccount;
  }

  /** Per kind, every kind zero-filled, summed over the accounts. */
  public static Map<String, Long> counts(Map<String, Map<String, Long>> byAccount) {
    Map<String, Long> counts = zeros();
    byAccount.values().forEach(m -> m.forEach((k, n) -> counts.merge(k, n, Long::sum)));
    return counts;
  }

  /** At most {@code limit} differences older than {@code cursor}, newest first. */
  public List<Difference> differences(String id, DifferenceFilter filter, Long cursor, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT seq, reconciliation_id, kind, account, employee_id, user_name, detail,"
                + " repaired, event_id, recorded_at FROM reconciliation_difference"
                + " WHERE reconciliation_id = ?");
    List<Object> args = new ArrayList<>(List.of(id));
    if (filter.kind() != null) {
      sql.append(" AND kind = ?");
      args.add(filter.kind().wireName());
    }
    if (filter.account() != null) {
      sql.append(" AND account = ?");
      args.add(filter.account());
    }
    if (cursor != null) {
      sql.append(" AND seq < ?");
      args.add(cursor);
    }
    sql.append(" ORDER BY seq DESC LIMIT ?");
    args.add(limit);
    return select(
        sql.toString(),
        args,
        rs -> {
          boolean repairedValue = rs.getBoolean("repaired");
          // wasNull speaks of the last column read: ask it now
          Boolean repaired = rs.wasNull() ? null : repairedValue;
          return new Difference(
              rs.getLong("seq"),
              rs.getString("reconciliation_id"),
              rs.getString("kind"),
              rs.getString("account"),
              rs.getString("employee_id"),
              rs.getString("user_name"),
              rs.getString("detail"),
              repaired,
              rs.getString("event_id"),
              Columns.instant(rs, "recorded_at"));
        });
  }

  private static Map<String, Long> zeros() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (DifferenceKind k : DifferenceKind.values()) {
      m.put(k.wireName(), 0L);
    }
    return m;
  }

  private static Summary summary(ResultSet rs, long seq) throws SQLException {
    return new Summary(
        seq,
        rs.getString("reconciliation_id"),
        rs.getString("status"),
        rs.getString("source"),
        rs.getString("mode"),
        Columns.instant(rs, "started_at"),
        Columns.instant(rs, "completed_at"),
        Columns.integer(rs, "employees"),
        parse(rs.getString("accounts"), new TypeReference<List<String>>() {}),
        Columns.integer(rs, "deactivations"),
        rs.getString("reason"),
        rs.getLong("difference_count"),
        Columns.instant(rs, "recorded_at"));
  }

  private <T> List<T> select(String sql, List<Object> args, Rows.Row<T> row) {
    return Rows.select(dataSource, "reconciliation", sql, args, row);
  }

  private static <T> T parse(String json, TypeReference<T> type) {
    if (json == null) {
      return null;
    }
    try {
      return JSON.readValue(json, type);
    } catch (IOException e) {
      throw new IllegalStateException("stored reconciliation JSON is unreadable", e);
    }
  }
}
