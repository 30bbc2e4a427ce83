package dev.roster.bench.audit;

import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Figure;
import dev.roster.bench.ProcessMemory;
import dev.roster.bench.Report;
import dev.roster.bench.Stacks;
import dev.roster.local.Component;
import dev.roster.local.ServicePart;
import dev.roster.local.Stack;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Entries/s from Kafka into PostgreSQL through the auditor (hash chain, idempotency, append-only
 * triggers) against one JDBC client inserting the same rows in batches into a table of the same
 * shape, in the same database, in the same run.
 */
public final class AuditorIngestBenchmark implements Benchmark {
  static final int CHANGES_PER_EVENT = 5;
  static final int EMPLOYEES = 20_000;
  static final int JDBC_BATCH = 500;

  @Override
  public String name() {
    return "auditor-ingest";
  }

  @Override
  public String description() {
    return "auditor entries/s from Kafka into PostgreSQL with the hash chain vs raw batched JDBC"
        + " INSERT of the same rows";
  }

  @Override
  public void run(Context ctx, Report report) throws Exception {
    long stories = (long) (30_000 * ctx.timeScale());
    long entries = stories * AuditFeed.entriesPerStory(CHANGES_PER_EVENT);
    // Without a packaged auditor the raw JDBC baseline still runs.
    boolean auditorBuilt = Files.isRegularFile(ServicePart.jar(ctx.root(), "auditor"));
    Stack.Builder b = Stacks.builder(ctx, name()).kafkaPartitions(3);
    if (auditorBuilt) {
      b.only(Component.KAFKA, Component.POSTGRES, Component.AUDITOR);
    } else {
      b.only(Component.KAFKA, Component.POSTGRES);
    }
    try (Stack stack = b.build().start();
        Connection db = Stacks.jdbc(stack, "?reWriteBatchedInserts=true")) {
      Double auditorRate = null;
      if (!auditorBuilt) {
        report.add(
            Figure.missing("auditor ingest", "entries/s", "auditor is not built (auditor/target)"));
      } else {
        long auditor = stack.pid(Component.AUDITOR);
        // Warm-up: proves partitions are assigned and lets the JIT see the path.
        long warm = 1_000;
        AuditFeed.publish(
            stack.kafkaBootstrapServers(), 0, warm, EMPLOYEES, CHANGES_PER_EVENT, true);
        long warmEntries = warm * AuditFeed.entriesPerStory(CHANGES_PER_EVENT);
        awaitCount(db, warmEntries, 120);
        long t0 = System.nanoTime();
        CompletableFuture<Long> publishing =
            CompletableFuture.supplyAsync(
                () ->
                    AuditFeed.publish(
                        stack.kafkaBootstrapServers(),
                        warm,
                        stories,
                        EMPLOYEES,
                        CHANGES_PER_EVENT,
                        true));
        long stored = awaitCount(db, warmEntries + entries, 150) - warmEntries;
        double seconds = (System.nanoTime() - t0) / 1e9;
        publishing.join();
        auditorRate = stored / seconds;
        report.note(
            "auditor stored %d of %d entries in %.1f s (timed from the first publish, producer included)"
                .formatted(stored, entries, seconds));
        report.note(
            "auditor RSS %.0f MiB (peak %.0f MiB) with -Xmx%s"
                .formatted(
                    ProcessMemory.rssMiB(auditor), ProcessMemory.peakRssMiB(auditor), Stacks.XMX));
        if (stored < entries) {
          report.note("auditor did not store every entry in time: " + stored + " / " + entries);
        }
      }

      double rawRate = rawInsert(db, entries, report);
      Figure f =
          auditorRate == null
              ? Figure.missing("auditor ingest", "entries/s", "auditor not built")
              : Figure.of("auditor ingest (Kafka → chained log)", "entries/s", auditorRate)
                  .vs("raw batched JDBC INSERT, 1 client", rawRate)
                  .targetRatioAtLeast(0.3);
      report.add(f);
      if (auditorRate != null) {
        report.add(
            Figure.of("auditor ingest, absolute", "entries/s", auditorRate).targetAtLeast(20_000));
      }
      report.add(Figure.of("raw batched JDBC INSERT (baseline)", "rows/s", rawRate));
    }
  }

  static long awaitCount(Connection db, long expected, int timeoutSeconds) throws SQLException {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    long last = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long n = Stacks.count(db, "SELECT count(*) FROM audit_log");
      if (n >= expected) {
        return n;
      }
      if (n != last) {
        last = n;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > 15_000_000_000L) {
        return n; // stalled for 15 s: report what arrived
      }
      sleep(100);
    }
    return last;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static final String COLUMNS =
      "seq, kind, prev_hash, hash, recorded_at, event_id, employee_id, event_type, occurred_at,"
          + " effective_at, payload, change_id, account, action, user_name, target, status,"
          + " aws_request_id, at, outcome, planned_count, applied_count, failed_count, started_at,"
          + " completed_at";

  /** The same rows, batched, one client, no hashing: what PostgreSQL alone can take. */
  static double rawInsert(Connection db, long entries, Report report) throws SQLException {
    boolean hasAuditLog;
    try (Statement s = db.createStatement()) {
      hasAuditLog =
          s.executeQuery("SELECT to_regclass('public.audit_log') IS NOT NULL").next()
              && s.getResultSet().getBoolean(1);
      s.execute("DROP TABLE IF EXISTS bench_raw_log");
      if (hasAuditLog) {
        // Same columns, constraints and indexes as the auditor's table; no triggers, no chain.
        s.execute("CREATE TABLE bench_raw_log (LIKE audit_log INCLUDING ALL)");
      } else {
        s.execute(
            "CREATE TABLE bench_raw_log (seq bigint PRIMARY KEY, kind text NOT NULL, prev_hash"
                + " char(64), hash char(64), recorded_at timestamptz, event_id text, employee_id"
                + " text, event_type text, occurred_at timestamptz, effective_at timestamptz,"
                + " payload text, change_id text, account text, action text, user_name text,"
                + " target text, status text, aws_request_id text, at timestamptz, outcome text,"
                + " planned_count int, applied_count int, failed_count int, started_at"
                + " timestamptz, completed_at timestamptz)");
        report.note("audit_log missing: raw baseline used a bench-defined table without indexes");
      }
    }
    String hash = "0".repeat(64);
    boolean autoCommit = db.getAutoCommit();
    db.setAutoCommit(false);
    long t0 = System.nanoTime();
    try (PreparedStatement ps =
        db.prepareStatement(
            "INSERT INTO bench_raw_log ("
                + COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      int perStory = AuditFeed.entriesPerStory(CHANGES_PER_EVENT);
      Timestamp now = Timestamp.from(Instant.now());
      String payload =
          "{\"eventId\":\"evt-seed-0\",\"type\":\"hire\",\"employeeId\":\"E0\",\"occurredAt\":"
              + "\"2026-01-01T09:00:00Z\",\"effectiveAt\":\"2026-01-01T09:00:00Z\",\"employee\":"
              + "{\"username\":\"user.e0\",\"department\":\"Engineering\",\"title\":\"Engineer\","
              + "\"roles\":[\"developer\"]}}";
      for (long seq = 1; seq <= entries; seq++) {
        long story = (seq - 1) / perStory;
        int slot = (int) ((seq - 1) % perStory);
        String emp = "E" + (story % EMPLOYEES);
        String eventId = "evt-seed-" + story;
        for (int i = 1; i <= 25; i++) {
          ps.setNull(i, Types.NULL);
        }
        ps.setLong(1, seq);
        ps.setString(3, hash);
        ps.setString(4, hash);
        ps.setTimestamp(5, now);
        ps.setString(6, eventId);
        ps.setString(7, emp);
        if (slot == 0) {
          ps.setString(2, "hr_event");
          ps.setString(8, "hire");
          ps.setTimestamp(9, now);
          ps.setTimestamp(10, now);
          ps.setString(11, payload);
        } else if (slot <= CHANGES_PER_EVENT) {
          int c = slot - 1;
          ps.setString(2, "iam_change");
          ps.setString(12, eventId + ":" + AuditFeed.ACCOUNTS[c % 3] + ":" + c);
          ps.setString(13, AuditFeed.ACCOUNTS[c % 3]);
          ps.setString(14, AuditFeed.ACTIONS[c % AuditFeed.ACTIONS.length]);
          ps.setString(15, "user." + emp.toLowerCase());
          ps.setString(16, "group-" + c);
          ps.setString(17, "applied");
          ps.setString(18, "req-" + story + "-" + c);
          ps.setTimestamp(19, now);
        } else {
          ps.setString(2, "provisioning_outcome");
          ps.setString(20, "completed");
          ps.setInt(21, CHANGES_PER_EVENT);
          ps.setInt(22, CHANGES_PER_EVENT);
          ps.setInt(23, 0);
          ps.setTimestamp(24, now);
          ps.setTimestamp(25, now);
        }
        ps.addBatch();
        if (seq % JDBC_BATCH == 0 || seq == entries) {
          ps.executeBatch();
          db.commit();
        }
      }
    } finally {
      db.setAutoCommit(autoCommit);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    report.note(
        "raw JDBC: %d rows in %.1f s, %d rows per transaction, same database"
            .formatted(entries, seconds, JDBC_BATCH));
    return entries / seconds;
  }
}
