package dev.roster.auditor.chain;

import dev.roster.auditor.config.AuditorConfig;
import dev.roster.auditor.db.Columns;
import dev.roster.auditor.notify.Notification;
import dev.roster.auditor.notify.Outbox;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The only writer of {@code audit_log}. One call appends one batch in one transaction: it takes the
 * chain lock (a transaction-level advisory lock, which serializes writers across instances, bounded
 * by {@code lock_timeout} and {@code idle_in_transaction_session_timeout}), reads the head, drops
 * records already stored, chains the rest, writes them with one {@code COPY} ({@link CopyRows}) and
 * inserts the new head.
 */
@ApplicationScoped
public class LogStore {
  static final String COLUMNS =
      "seq, kind, prev_hash, hash, recorded_at, event_id, employee_id, event_type, occurred_at,"
          + " effective_at, payload, change_id, account, action, user_name, target, status, error,"
          + " aws_request_id, at, outcome, planned_count, applied_count, failed_count, started_at,"
          + " completed_at, reason, cut_off_at, accounts";
  private static final String INSERT =
      "INSERT INTO audit_log ("
          + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " ?, ?, ?)";

  private static final int SCAN_TIMEOUT_SECONDS = 3600;

  /**
   * The advisory lock key every writer takes (ASCII "RosterAu"); anything else in the same database
   * must not use it.
   */
  public static final long CHAIN_LOCK_KEY = 0x526f737465724175L;

  /** The stored HR event ids among those of a batch (its partial unique index). */
  public static final String STORED_HR_EVENTS =
      "SELECT event_id FROM audit_log WHERE kind = 'hr_event' AND event_id = ANY (?)";

  /** The stored (event id, outcome) pairs among the outcome event ids of a batch. */
  public static final String STORED_OUTCOMES =
      "SELECT event_id, outcome FROM audit_log"
          + " WHERE kind = 'provisioning_outcome' AND event_id = ANY (?)";

  /**
   * The stored (change id, status) pairs among the change ids of a batch: one branch per change
   * kind, each matching its partial unique index ({@code kind IN (both)} matches neither, and was a
   * sequential scan of the whole log for every batch). Every parameter takes the same array.
   */
  public static final String STORED_CHANGES =
      "SELECT change_id, status FROM audit_log WHERE kind = 'iam_change' AND change_id = ANY (?)"
          + " UNION ALL"
          + " SELECT change_id, status FROM audit_log"
          + " WHERE kind = 'privileged_grant' AND change_id = ANY (?)";

  private static final String HEAD = "SELECT seq, hash FROM chain_head ORDER BY seq DESC LIMIT 1";

  private final AgroalDataSource dataSource;
  private final AuditorConfig.ChainLock lock;
  private final Outbox outbox;

  public LogStore(AgroalDataSource dataSource, AuditorConfig config, Outbox outbox) {
    this.dataSource = dataSource;
    this.lock = config.chainLock();
    this.outbox = outbox;
  }

  /**
   * What one append did, per kind, and the notifications it wrote to the outbox (to hand to the
   * sender once committed).
   */
  public record AppendResult(
      Map<EntryKind, Integer> stored,
      Map<EntryKind, Integer> duplicates,
      List<Notification> notifications) {
    public int storedTotal() {
      return stored.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** The current head of the chain. */
  public record Head(long seq, String hash) {}

  /**
   * Appends the drafts in their order, in a new transaction, skipping any whose idempotency key is
   * already stored (or repeated within the batch).
   */
  public AppendResult append(List<LogEntry> drafts) {
    return QuarkusTransaction.requiringNew().call(() -> appendInTransaction(drafts));
  }

  private AppendResult appendInTransaction(List<LogEntry> drafts) throws SQLException {
    Map<EntryKind, Integer> stored = new EnumMap<>(EntryKind.class);
    Map<EntryKind, Integer> duplicates = new EnumMap<>(EntryKind.class);
    try (Connection c = dataSource.getConnection()) {
      Head head = lockHead(c);
      Map<String, LogEntry> fresh = new LinkedHashMap<>();
      for (LogEntry d : drafts) {
        if (fresh.putIfAbsent(d.idempotencyKey(), d) != null) {
          duplicates.merge(d.kind(), 1, Integer::sum);
        }
      }
      // The unique indexes refuse a record stored before as its own kind (then the batch is
      // written again after the full check, below); a change stored as the other change kind they
      // cannot see.
      drop(fresh, storedAsOtherChangeKind(c, fresh.values()), duplicates);
      if (fresh.isEmpty()) {
        return new AppendResult(stored, duplicates, List.of());
      }
      try (Statement s = c.createStatement()) {
        s.execute("SAVEPOINT append");
      }
      try {
        head = write(c, head, fresh.values());
      } catch (SQLException e) {
        if (!DataError.uniqueViolation(e)) {
          throw e;
        }
        // A redelivery (or another writer's batch): back to before the write, drop what is stored.
        try (Statement s = c.createStatement()) {
          s.execute("ROLLBACK TO SAVEPOINT append");
        }
        drop(fresh, existingKeys(c, fresh.values()), duplicates);
        if (fresh.isEmpty()) {
          return new AppendResult(stored, duplicates, List.of());
        }
        head = write(c, head, fresh.values());
      }
      for (LogEntry e : fresh.values()) {
        stored.merge(e.kind(), 1, Integer::sum);
      }
      // In the same transaction: a notification exists if and only if its fact was stored.
      return new AppendResult(stored, duplicates, outbox.afterAppend(c, fresh.values()));
    }
  }

  private static void drop(
      Map<String, LogEntry> fresh, Set<String> storedKeys, Map<EntryKind, Integer> duplicates) {
    for (String key : storedKeys) {
      LogEntry seen = fresh.remove(key); // null: another status/outcome of the same id
      if (seen != null) {
        duplicates.merge(seen.kind(), 1, Integer::sum);
      }
    }
  }

  /** Chains the entries after {@code head}, stores them and the new head; returns the new head. */
  private static Head write(Connection c, Head head, Collection<LogEntry> fresh)
      throws SQLException {
    Instant recordedAt = Instant.now();
    long seq = head.seq();
    String prev = head.hash();
    // The canonical form leaves the hashes out: hash the placed entry, store it with its hash.
    List<LogEntry> placed = new ArrayList<>(fresh.size());
    List<String> hashes = new ArrayList<>(fresh.size());
    boolean copyFits = true;
    for (LogEntry draft : fresh) {
      seq++;
      LogEntry entry = draft.chained(seq, prev, null, recordedAt);
      prev = ChainHash.hash(prev, entry);
      placed.add(entry);
      hashes.add(prev);
      copyFits &= CopyRows.fits(entry);
    }
    if (copyFits) {
      copy(c, placed, hashes);
    } else {
      insert(c, placed, hashes);
    }
    try (PreparedStatement move =
        c.prepareStatement("INSERT INTO chain_head (seq, hash) VALUES (?, ?)")) {
      move.setLong(1, seq);
      move.setString(2, prev);
      move.executeUpdate();
    }
    return new Head(seq, prev);
  }

  /** One COPY of the placed entries (see {@link CopyRows}). */
  private static void copy(Connection c, List<LogEntry> placed, List<String> hashes)
      throws SQLException {
    CopyRows rows = CopyRows.start(c);
    try {
      for (int i = 0; i < placed.size(); i++) {
        rows.add(placed.get(i), hashes.get(i));
      }
      rows.finish();
    } catch (SQLException | RuntimeException e) {
      rows.abort();
      throw e;
    }
  }

  /** One JDBC batch of the placed entries: for timestamps COPY's text form does not carry. */
  private static void insert(Connection c, List<LogEntry> placed, List<String> hashes)
      throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(INSERT)) {
      for (int i = 0; i < placed.size(); i++) {
        bind(insert, placed.get(i), hashes.get(i));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** Reads the head without locking (for reports; writers use {@link #lockHead}). */
  public Head head() {
    return QuarkusTransaction.joiningExisting()
        .call(
            () -> {
              try (Connection c = dataSource.getConnection();
                  PreparedStatement s = c.prepareStatement(HEAD);
                  ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                  throw new IllegalStateException("chain_head is empty: was the schema migrated?");
                }
                return new Head(rs.getLong(1), rs.getString(2));
              }
            });
  }

  /**
   * Streams the entries with {@code from <= seq <= to} in seq order (a server-side cursor, so a
   * long chain is never held in memory) inside a read-only transaction.
   */
  public void scan(long from, long to, Consumer<LogEntry> sink) {
    // A long chain takes longer than the default 60 s transaction timeout to walk.
    QuarkusTransaction.requiringNew()
        .timeout(SCAN_TIMEOUT_SECONDS)
        .run(
            () -> {
              try (Connection c = dataSource.getConnection();
                  PreparedStatement s =
                      c.prepareStatement(
                          "SELECT "
                              + COLUMNS
                              + " FROM audit_log WHERE seq BETWEEN ? AND ? ORDER BY seq")) {
                s.setFetchSize(2000);
                s.setLong(1, from);
                s.setLong(2, to);
                try (ResultSet rs = s.executeQuery()) {
                  while (rs.next()) {
                    sink.accept(read(rs));
                  }
                }
              } catch (SQLException e) {
                throw new IllegalStateException("cannot read audit_log", e);
              }
            });
  }

  /** The stored hash of one entry, or null. */
  public String hashAt(long seq) {
    return QuarkusTransaction.joiningExisting()
        .call(
            () -> {
              try (Connection c = dataSource.getConnection();
                  PreparedStatement s =
                      c.prepareStatement("SELECT hash FROM audit_log WHERE seq = ?")) {
                s.setLong(1, seq);
                try (ResultSet rs = s.executeQuery()) {
                  return rs.next() ? rs.getString(1) : null;
                }
              }
            });
  }

  /**
   * Takes the chain lock for the rest of the transaction and reads the head. A writer waiting
   * longer than {@code lock-timeout} fails (SQLState 55P03) and its batch is retried; a holder that
   * stops talking (frozen, partitioned) for {@code idle-in-transaction-timeout} is disconnected by
   * the server, which releases the lock. A holder whose process dies loses its connection and the
   * lock with it.
   */
  Head lockHead(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT set_config('lock_timeout', ?, true),"
                + " set_config('idle_in_transaction_session_timeout', ?, true),"
                + " pg_advisory_xact_lock(?)")) {
      s.setString(1, lock.timeout().toMillis() + "ms");
      s.setString(2, lock.idleInTransactionTimeout().toMillis() + "ms");
      s.setLong(3, CHAIN_LOCK_KEY);
      s.executeQuery().close();
    }
    try (PreparedStatement s = c.prepareStatement(HEAD);
        ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalStateException("chain_head is empty: was the schema migrated?");
      }
      return new Head(rs.getLong(1), rs.getString(2));
    }
  }

  /**
   * Keys of the candidate changes stored as the other change kind (an {@code iam_change} stored as
   * a {@code privileged_grant} or the reverse): {@link #STORED_CHANGES} with each branch given the
   * ids of the other kind. Grants are rare, so this reads a small index and, mostly, nothing else.
   */
  private static Set<String> storedAsOtherChangeKind(Connection c, Iterable<LogEntry> candidates)
      throws SQLException {
    Set<String> changeIds = new HashSet<>();
    Set<String> grantIds = new HashSet<>();
    for (LogEntry e : candidates) {
      if (e.kind() == EntryKind.IAM_CHANGE) {
        changeIds.add(e.changeId());
      } else if (e.kind() == EntryKind.PRIVILEGED_GRANT) {
        grantIds.add(e.changeId());
      }
    }
    Set<String> found = new HashSet<>();
    // The first branch reads the iam_change index, the second the privileged_grant one.
    query(
        c,
        STORED_CHANGES,
        List.of(grantIds, changeIds),
        rs -> LogEntry.changeKey(rs.getString(1), rs.getString(2)),
        found);
    return found;
  }

  /** Keys among the candidates that are already stored (one indexed query per kind). */
  private static Set<String> existingKeys(Connection c, Iterable<LogEntry> candidates)
      throws SQLException {
    Set<String> hrIds = new HashSet<>();
    Set<String> changeIds = new HashSet<>();
    Set<String> outcomeIds = new HashSet<>();
    for (LogEntry e : candidates) {
      switch (e.kind()) {
        case HR_EVENT -> hrIds.add(e.eventId());
        case IAM_CHANGE, PRIVILEGED_GRANT -> changeIds.add(e.changeId());
        case PROVISIONING_OUTCOME -> outcomeIds.add(e.eventId());
      }
    }
    Set<String> found = new HashSet<>();
    query(c, STORED_HR_EVENTS, hrIds, rs -> LogEntry.hrEventKey(rs.getString(1)), found);
    query(
        c,
        STORED_CHANGES,
        changeIds,
        rs -> LogEntry.changeKey(rs.getString(1), rs.getString(2)),
        found);
    query(
        c,
        STORED_OUTCOMES,
        outcomeIds,
        rs -> LogEntry.outcomeKey(rs.getString(1), rs.getString(2)),
        found);
    return found;
  }

  private interface KeyReader {
    String key(ResultSet rs) throws SQLException;
  }

  /** {@code sql} with {@code ids} for each of its parameters. */
  private static void query(
      Connection c, String sql, Set<String> ids, KeyReader reader, Set<String> found)
      throws SQLException {
    int parameters = (int) sql.chars().filter(ch -> ch == '?').count();
    query(c, sql, Collections.nCopies(parameters, ids), reader, found);
  }

  /** {@code sql} with one set of ids per parameter, in order; nothing when all are empty. */
  private static void query(
      Connection c, String sql, List<Set<String>> ids, KeyReader reader, Set<String> found)
      throws SQLException {
    if (ids.stream().allMatch(Set::isEmpty)) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < ids.size(); i++) {
        s.setArray(i + 1, c.createArrayOf("text", ids.get(i).toArray()));
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(reader.key(rs));
        }
      }
    }
  }

  private static void bind(PreparedStatement s, LogEntry e, String hash) throws SQLException {
    int i = 0;
    s.setLong(++i, e.seq());
    s.setString(++i, e.kind().wireName());
    s.setString(++i, e.prevHash());
    s.setString(++i, hash);
    Columns.setInstant(s, ++i, e.recordedAt());
    s.setString(++i, e.eventId());
    s.setString(++i, e.employeeId());
    s.setString(++i, e.eventType());
    Columns.setInstant(s, ++i, e.occurredAt());
    Columns.setInstant(s, ++i, e.effectiveAt());
    s.setString(++i, e.payload());
    s.setString(++i, e.changeId());
    s.setString(++i, e.account());
    s.setString(++i, e.action());
    s.setString(++i, e.userName());
    s.setString(++i, e.target());
    s.setString(++i, e.status());
    s.setString(++i, e.error());
    s.setString(++i, e.awsRequestId());
    Columns.setInstant(s, ++i, e.at());
    s.setString(++i, e.outcome());
    Columns.setInteger(s, ++i, e.plannedCount());
    Columns.setInteger(s, ++i, e.appliedCount());
    Columns.setInteger(s, ++i, e.failedCount());
    Columns.setInstant(s, ++i, e.startedAt());
    Columns.setInstant(s, ++i, e.completedAt());
    s.setString(++i, e.reason());
    Columns.setInstant(s, ++i, e.cutOffAt());
    s.setString(++i, e.accounts());
  }

  /** Reads a row selected with {@link #COLUMNS} back into the stored form. */
  public static LogEntry read(ResultSet rs) throws SQLException {
    return new LogEntry(
        rs.getLong("seq"),
        EntryKind.fromWire(rs.getString("kind"))
            .orElseThrow(() -> new IllegalStateException("unknown kind")),
        rs.getString("prev_hash"),
        rs.getString("hash"),
        Columns.instant(rs, "recorded_at"),
        rs.getString("event_id"),
        rs.getString("employee_id"),
        rs.getString("event_type"),
        Columns.instant(rs, "occurred_at"),
        Columns.instant(rs, "effective_at"),
        rs.getString("payload"),
        rs.getString("change_id"),
        rs.getString("account"),
        rs.getString("action"),
        rs.getString("user_name"),
        rs.getString("target"),
        rs.getString("status"),
        rs.getString("error"),
        rs.getString("aws_request_id"),
        Columns.instant(rs, "at"),
        rs.getString("outcome"),
        Columns.integer(rs, "planned_count"),
        Columns.integer(rs, "applied_count"),
        Columns.integer(rs, "failed_count"),
        Columns.instant(rs, "started_at"),
        Columns.instant(rs, "completed_at"),
        rs.getString("reason"),
        Columns.instant(rs, "cut_off_at"),
        rs.getString("accounts"));
  }
}
