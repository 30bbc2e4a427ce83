package dev.roster.bench.audit;

import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Figure;
import dev.roster.bench.Manifests;
import dev.roster.bench.ProcessMemory;
import dev.roster.bench.Report;
import dev.roster.bench.Spread;
import dev.roster.bench.Stacks;
import dev.roster.local.Component;
import dev.roster.local.ServicePart;
import dev.roster.local.Stack;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
    return "auditor entries/s working off a Kafka backlog into PostgreSQL (hash chain,"
        + " synchronous_commit=on) vs raw batched INSERT and COPY of the same rows, each alone";
  }

  @Override
  public void run(Context ctx, Report report) throws Exception {
    long stories = (long) (20_000 * ctx.timeScale());
    long entries = stories * AuditFeed.entriesPerStory(CHANGES_PER_EVENT);
    // Without a packaged auditor the raw JDBC baselines still run.
    boolean auditorBuilt = Files.isRegularFile(ServicePart.jar(ctx.root(), "auditor"));
    Stack.Builder b = Stacks.builder(ctx, name()).kafkaPartitions(3);
    if (auditorBuilt) {
      b.only(Component.KAFKA, Component.POSTGRES, Component.AUDITOR);
    } else {
      b.only(Component.KAFKA, Component.POSTGRES);
    }
    try (Stack stack = b.build().start()) {
      // As production runs it: every commit waits for its WAL flush. Set per database, so every
      // session opened from now on has it (the embedded server starts with it off).
      try (Connection admin = Stacks.jdbc(stack);
          Statement s = admin.createStatement()) {
        s.execute("ALTER DATABASE roster SET synchronous_commit = on");
      }
      try (Connection db = Stacks.jdbc(stack, "?reWriteBatchedInserts=true")) {
        report.note(
            "PostgreSQL: synchronous_commit %s, fsync %s (a new session's settings)"
                .formatted(show(db, "synchronous_commit"), show(db, "fsync")));
        List<Double> auditorRates = new ArrayList<>();
        List<Double> insertRates = new ArrayList<>();
        List<Double> copyRates = new ArrayList<>();
        long published = 0;
        long stored = 0;
        if (auditorBuilt) {
          // Warm-up: partitions assigned, and the auditor restarted once so its sessions have
          // synchronous_commit=on.
          long warm = 1_000;
          AuditFeed.publish(
              stack.kafkaBootstrapServers(), 0, warm, EMPLOYEES, CHANGES_PER_EVENT, true);
          published = warm;
          stored = warm * AuditFeed.entriesPerStory(CHANGES_PER_EVENT);
          awaitCount(db, stored, 120);
        }
        // Each alone, alternately, three times: the auditor working off a backlog published while
        // it was stopped, then a raw batched INSERT and a COPY of the same rows.
        for (int k = 0; k < 3; k++) {
          if (auditorBuilt) {
            stopGracefully(stack.pid(Component.AUDITOR));
            AuditFeed.publish(
                stack.kafkaBootstrapServers(),
                published,
                stories,
                EMPLOYEES,
                CHANGES_PER_EVENT,
                true);
            published += stories;
            stack.restart(Component.AUDITOR);
            double rate = firstToLast(db, stored, stored + entries, 300, report);
            stored += entries;
            auditorRates.add(rate);
          }
          insertRates.add(rawInsert(db, entries, report));
          copyRates.add(rawCopy(db, entries, report));
        }
        Spread insert = Spread.of(insertRates);
        Spread copy = Spread.of(copyRates);
        if (!auditorBuilt) {
          report.add(
              Figure.missing(
                  "auditor ingest", "entries/s", "auditor is not built (auditor/target)"));
        } else {
          Spread auditor = Spread.of(auditorRates);
          long pid = stack.pid(Component.AUDITOR);
          report.add(
              Figure.of("auditor ingest (Kafka → chained log)", "entries/s", auditor.median())
                  .vs("raw batched JDBC INSERT, 1 client", insert.median())
                  .targetRatioAtLeast(0.5)
                  .note("auditor " + auditor + "; INSERT " + insert));
          report.add(
              Figure.of("auditor ingest vs COPY", "entries/s", auditor.median())
                  .vs("COPY of the same rows, 1 client", copy.median())
                  .note("COPY " + copy));
          report.add(
              Figure.of("auditor ingest, absolute", "entries/s", auditor.median())
                  .targetAtLeast(20_000));
          // The last run's JVM: started on a backlog, its peak is the one a pod catching up has.
          report.add(
              Figure.of(
                      "peak RSS, auditor (working off a backlog)",
                      "MiB",
                      ProcessMemory.peakRssMiB(pid))
                  .vs(
                      "container memory limit (deploy/k8s)",
                      Manifests.container(ctx.root(), "auditor").memoryLimitMiB())
                  .targetRatioAtMost(0.8)
                  .note("VmHWM of the last run; JVM options " + Stacks.jvmOptions(ctx)));
        }
        report.add(
            Figure.of("raw batched JDBC INSERT (baseline)", "rows/s", insert.median())
                .note(insert.toString()));
        report.add(Figure.of("COPY (baseline)", "rows/s", copy.median()).note(copy.toString()));
        report.note(
            "%d entries per run (%d stories of an HR event, %d IAM changes and an outcome); the"
                    .formatted(entries, stories, CHANGES_PER_EVENT)
                + " auditor's runs start it on the backlog (a fresh JVM, as after a deployment or"
                + " outage): timed from its first stored entry to its last");
      }
    }
  }

  private static String show(Connection db, String setting) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** SIGTERM, and wait: the auditor commits its offsets on the way out. */
  private static void stopGracefully(long pid) {
    ProcessHandle.of(pid)
        .ifPresent(
            p -> {
              p.destroy();
              p.onExit().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
            });
  }

  /**
   * Entries stored: the chain's seq is gap-free from 1, so its highest value is their number, read
   * from the primary key's last page. A {@code count(*)} scanned the whole, growing log every 20 ms
   * and took a core from the auditor it measured (the raw baselines are not polled).
   */
  static final String STORED = "SELECT coalesce(max(seq), 0) FROM audit_log";

  /** Entries/s from the first entry stored beyond {@code from} until {@code to} are stored. */
  static double firstToLast(Connection db, long from, long to, int timeoutSeconds, Report report)
      throws SQLException {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    long first = 0;
    long firstCount = from;
    long n = from;
    while (System.nanoTime() < deadline) {
      n = Stacks.count(db, STORED);
      long now = System.nanoTime();
      if (first == 0 && n > from) {
        first = now;
        firstCount = n;
      }
      if (n >= to) {
        double seconds = (now - first) / 1e9;
        report.note(
            "auditor: %d entries from first to last stored in %.1f s"
                .formatted(to - firstCount, seconds));
        return seconds <= 0 ? Double.NaN : (to - firstCount) / seconds;
      }
      sleep(20);
    }
    report.note("auditor stored only " + (n - from) + " of " + (to - from) + " entries in time");
    return Double.NaN;
  }

  static long awaitCount(Connection db, long expected, int timeoutSeconds) throws SQLException {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    long last = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long n = Stacks.count(db, STORED);
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

  /** A fresh {@code bench_raw_log} shaped like {@code audit_log} (no triggers, no chain). */
  static void rawTable(Connection db, Report report) throws SQLException {
    try (Statement s = db.createStatement()) {
      boolean hasAuditLog;
      try (ResultSet rs = s.executeQuery("SELECT to_regclass('public.audit_log') IS NOT NULL")) {
        hasAuditLog = rs.next() && rs.getBoolean(1);
      }
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
        report.note("audit_log missing: raw baselines used a bench-defined table");
      }
    }
  }

  static final String PAYLOAD =
      "{\"eventId\":\"evt-seed-0\",\"type\":\"hire\",\"employeeId\":\"E0\",\"occurredAt\":"
          + "\"2026-01-01T09:00:00Z\",\"effectiveAt\":\"2026-01-01T09:00:00Z\",\"employee\":"
          + "{\"username\":\"user.e0\",\"department\":\"Engineering\",\"title\":\"Engineer\","
          + "\"roles\":[\"developer\"]}}";

  /** The 25 column values of entry {@code seq} (null where the kind has none). */
  static Object[] row(long seq, Timestamp now) {
    int perStory = AuditFeed.entriesPerStory(CHANGES_PER_EVENT);
    String hash = "0".repeat(64);
    long story = (seq - 1) / perStory;
    int slot = (int) ((seq - 1) % perStory);
    String emp = "E" + (story % EMPLOYEES);
    String eventId = "evt-seed-" + story;
    Object[] v = new Object[25];
    v[0] = seq;
    v[2] = hash;
    v[3] = hash;
    v[4] = now;
    v[5] = eventId;
    v[6] = emp;
    if (slot == 0) {
      v[1] = "hr_event";
      v[7] = "hire";
      v[8] = now;
      v[9] = now;
      v[10] = PAYLOAD;
    } else if (slot <= CHANGES_PER_EVENT) {
      int c = slot - 1;
      v[1] = "iam_change";
      v[11] = eventId + ":" + AuditFeed.ACCOUNTS[c % 3] + ":" + c;
      v[12] = AuditFeed.ACCOUNTS[c % 3];
      v[13] = AuditFeed.ACTIONS[c % AuditFeed.ACTIONS.length];
      v[14] = "user." + emp.toLowerCase();
      v[15] = "group-" + c;
      v[16] = "applied";
      v[17] = "req-" + story + "-" + c;
      v[18] = now;
    } else {
      v[1] = "provisioning_outcome";
      v[19] = "completed";
      v[20] = CHANGES_PER_EVENT;
      v[21] = CHANGES_PER_EVENT;
      v[22] = 0;
      v[23] = now;
      v[24] = now;
    }
    return v;
  }

  /** The same rows, batched, one client, no hashing: what PostgreSQL alone can take. */
  static double rawInsert(Connection db, long entries, Report report) throws SQLException {
    rawTable(db, report);
    boolean autoCommit = db.getAutoCommit();
    db.setAutoCommit(false);
    Timestamp now = Timestamp.from(Instant.now());
    long t0 = System.nanoTime();
    try (PreparedStatement ps =
        db.prepareStatement(
            "INSERT INTO bench_raw_log ("
                + COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      for (long seq = 1; seq <= entries; seq++) {
        Object[] v = row(seq, now);
        for (int i = 0; i < v.length; i++) {
          if (v[i] == null) {
            ps.setNull(i + 1, Types.NULL);
          } else {
            ps.setObject(i + 1, v[i]);
          }
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
        "raw INSERT: %d rows in %.1f s, %d rows per transaction"
            .formatted(entries, seconds, JDBC_BATCH));
    return entries / seconds;
  }

  /** The same rows through {@code COPY ... FROM STDIN}, one transaction per 5,000 rows. */
  static double rawCopy(Connection db, long entries, Report report) throws Exception {
    rawTable(db, report);
    org.postgresql.copy.CopyManager copy =
        db.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
    Timestamp now = Timestamp.from(Instant.now());
    String at = now.toInstant().toString();
    int chunk = JDBC_BATCH * 10;
    long t0 = System.nanoTime();
    for (long from = 1; from <= entries; from += chunk) {
      StringBuilder csv = new StringBuilder(chunk * 200);
      for (long seq = from; seq < Math.min(entries + 1, from + chunk); seq++) {
        Object[] v = row(seq, now);
        for (int i = 0; i < v.length; i++) {
          if (i > 0) {
            csv.append(',');
          }
          if (v[i] instanceof Timestamp) {
            csv.append(at);
          } else if (v[i] instanceof String str) {
            csv.append('"').append(str.replace("\"", "\"\"")).append('"');
          } else if (v[i] != null) {
            csv.append(v[i]);
          }
        }
        csv.append('\n');
      }
      copy.copyIn(
          "COPY bench_raw_log (" + COLUMNS + ") FROM STDIN (FORMAT csv)",
          new java.io.StringReader(csv.toString()));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    report.note("COPY: %d rows in %.1f s, %d rows per COPY".formatted(entries, seconds, chunk));
    return entries / seconds;
  }
}
