package dev.roster.bench.audit;

import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Figure;
import dev.roster.bench.Latency;
import dev.roster.bench.ProcessMemory;
import dev.roster.bench.Report;
import dev.roster.bench.Stacks;
import dev.roster.bench.load.HttpLoad;
import dev.roster.local.Component;
import dev.roster.local.Stack;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * The auditor's query API at one million stored entries: employee timeline and filtered {@code
 * /v1/changes} pages (p99 at a steady request rate, against the same SQL shapes run directly over
 * JDBC), and a 100k-row CSV export (time, and the auditor's heap and RSS while it streams).
 *
 * <p>The million entries are seeded through the auditor's own ingest path (records on Kafka, as the
 * provisioner and hr-listener publish them), so the hash chain is the auditor's own and valid by
 * construction; {@code /v1/integrity} is asked at the end to confirm it.
 */
public final class AuditQueriesBenchmark implements Benchmark {
  static final int EMPLOYEES = 20_000;
  static final int CHANGES_PER_EVENT = 5;
  static final double RATE = 50;
  static final OffsetDateTime BASE = OffsetDateTime.of(2026, 1, 1, 9, 0, 0, 0, ZoneOffset.UTC);

  @Override
  public String name() {
    return "audit-queries";
  }

  @Override
  public String description() {
    return "auditor timeline and /v1/changes p99 at 1 M entries vs the same SQL over JDBC; 100k-row"
        + " CSV export memory";
  }

  @Override
  public void run(Context ctx, Report report) throws Exception {
    long target = (long) (1_000_000 * Math.max(ctx.timeScale(), 0.2));
    long perStory = AuditFeed.entriesPerStory(CHANGES_PER_EVENT);
    long stories = (target + perStory - 1) / perStory;
    Stack built =
        Stacks.builder(ctx, name())
            .only(Component.KAFKA, Component.POSTGRES, Component.AUDITOR)
            .kafkaPartitions(3)
            .build();
    if (!built.unpackaged().isEmpty()) {
      report.add(Figure.missing("timeline p99", "ms", "auditor is not built (auditor/target)"));
      return;
    }
    try (Stack stack = built.start();
        Connection db = Stacks.jdbc(stack, "?reWriteBatchedInserts=true")) {
      long t0 = System.nanoTime();
      AuditFeed.publish(
          stack.kafkaBootstrapServers(), 0, stories, EMPLOYEES, CHANGES_PER_EVENT, true);
      long expected = stories * AuditFeed.entriesPerStory(CHANGES_PER_EVENT);
      long stored = AuditorIngestBenchmark.awaitCount(db, expected, 200);
      double seedSeconds = (System.nanoTime() - t0) / 1e9;
      report.note(
          "seeded %d entries through Kafka → auditor in %.0f s (%.0f entries/s, producer included)"
              .formatted(stored, seedSeconds, stored / seedSeconds));
      report.add(
          Figure.of("entries stored for the query test", "entries", stored)
              .targetAtLeast(1_000_000));

      String auth =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (Stack.AUDITOR_USER + ":" + Stacks.AUDITOR_PASSWORD)
                          .getBytes(StandardCharsets.UTF_8));
      SplittableRandom random = new SplittableRandom(42);
      Duration warmup = ctx.seconds(5);
      Duration measure = ctx.seconds(20);
      try (HttpLoad load = new HttpLoad("127.0.0.1", stack.port(Component.AUDITOR))) {
        query(
            report,
            load,
            db,
            auth,
            warmup,
            measure,
            "employee timeline",
            i -> "/v1/employees/E" + random.nextInt(EMPLOYEES) + "/timeline",
            "SELECT * FROM audit_log WHERE employee_id = ? ORDER BY seq",
            (ps, r) -> ps.setString(1, "E" + r.nextInt(EMPLOYEES)));
        query(
            report,
            load,
            db,
            auth,
            warmup,
            measure,
            "/v1/changes?employeeId= (50)",
            i -> "/v1/changes?employeeId=E" + random.nextInt(EMPLOYEES) + "&limit=50",
            "SELECT * FROM audit_log WHERE kind = 'iam_change' AND employee_id = ? ORDER BY seq DESC LIMIT 50",
            (ps, r) -> ps.setString(1, "E" + r.nextInt(EMPLOYEES)));
        query(
            report,
            load,
            db,
            auth,
            warmup,
            measure,
            "/v1/changes?account=&action=&to= (100)",
            i ->
                "/v1/changes?account="
                    + AuditFeed.ACCOUNTS[random.nextInt(3)]
                    + "&action=AddUserToGroup&to="
                    + BASE.plusSeconds(random.nextLong(Math.max(stories, 1)))
                    + "&limit=100",
            "SELECT * FROM audit_log WHERE kind = 'iam_change' AND account = ? AND action = 'AddUserToGroup' AND at <= ? ORDER BY seq DESC LIMIT 100",
            (ps, r) -> {
              ps.setString(1, AuditFeed.ACCOUNTS[r.nextInt(3)]);
              ps.setObject(2, BASE.plusSeconds(r.nextLong(Math.max(stories, 1))));
            });
      }

      // CSV: a window of stories holding 100k changes (5 per story), then one of 10k: constant
      // memory means the larger export does not need more heap than the smaller one.
      long rows100k = Math.min(100_000, stories * CHANGES_PER_EVENT);
      Export small = export(stack, auth, rows100k / 10 / CHANGES_PER_EVENT);
      Export big = export(stack, auth, rows100k / CHANGES_PER_EVENT);
      double jdbcSeconds = jdbcExport(db, rows100k / CHANGES_PER_EVENT);
      report.add(
          Figure.of("CSV export of " + big.rows + " rows", "s", big.seconds)
              .vs("same rows streamed over JDBC to CSV", jdbcSeconds)
              .note(big.status == 200 ? null : "HTTP " + big.status));
      report.add(
          Figure.of("auditor heap peak during " + big.rows + "-row export", "MiB", big.peakHeap)
              .vs("during a " + small.rows + "-row export", small.peakHeap)
              .note(
                  "constant memory: the 10× larger export should not need a larger heap (ratio ≈ 1);"
                      + " heap before "
                      + Report.number(big.heapBefore)
                      + " MiB"));
      report.add(
          Figure.of("auditor RSS growth during " + big.rows + "-row export", "MiB", big.rssGrowth)
              .vs("during a " + small.rows + "-row export", Math.max(small.rssGrowth, 0.01)));
      report.note(
          "auditor -Xmx"
              + Stacks.XMX
              + ", RSS now "
              + Report.number(ProcessMemory.rssMiB(stack.pid(Component.AUDITOR)))
              + " MiB");

      String integrity =
          get(
              stack.port(Component.AUDITOR),
              auth,
              "/v1/integrity",
              "application/json",
              Duration.ofMinutes(3));
      report.note(
          "integrity after seeding: " + integrity.substring(0, Math.min(200, integrity.length())));
    }
  }

  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement ps, SplittableRandom random) throws SQLException;
  }

  private void query(
      Report report,
      HttpLoad load,
      Connection db,
      String auth,
      Duration warmup,
      Duration measure,
      String name,
      IntFunction<String> path,
      String sql,
      Binder binder)
      throws SQLException {
    int[] n = {0};
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("Authorization", auth)
            .add("Accept", "application/json");
    HttpLoad.Result api =
        load.openLoop(
            RATE,
            8,
            warmup,
            measure,
            () -> new HttpLoad.Request(HttpMethod.GET, path.apply(n[0]++), headers, null),
            null);
    // Baseline: the same shape of SQL, one JDBC client, same count of queries.
    Latency jdbc = new Latency();
    SplittableRandom r = new SplittableRandom(7);
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      long stopAt = System.nanoTime() + 30_000_000_000L; // at most 30 s of baseline queries
      for (int i = 0; i < Math.max(api.requests(), 200) && System.nanoTime() < stopAt; i++) {
        binder.bind(ps, r);
        long t = System.nanoTime();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rs.getString("event_id");
          }
        }
        jdbc.recordNanos(System.nanoTime() - t);
      }
    }
    Latency.Summary base = jdbc.summary();
    report.note(name + " API at " + RATE + "/s: " + api.latency() + " statuses " + api.statuses());
    report.note(name + " JDBC: " + base);
    report.add(
        Figure.of(name + " p99", "ms", api.latency().p99())
            .vs("same SQL over JDBC", base.p99())
            .targetBelow(20)
            .note(
                api.errors() == 0
                    ? null
                    : api.errors()
                        + " errors or unanswered (status 0) "
                        + api.statuses()
                        + ": p99 is a lower bound"));
  }

  record Export(
      long rows,
      double seconds,
      int status,
      double heapBefore,
      double peakHeap,
      double rssGrowth) {}

  /** Streams {@code stories} stories' changes as CSV while sampling the auditor's heap and RSS. */
  private Export export(Stack stack, String auth, long stories) throws Exception {
    long pid = stack.pid(Component.AUDITOR);
    String path = "/v1/changes?from=" + BASE + "&to=" + BASE.plusSeconds(stories);
    double heapBefore = ProcessMemory.heapUsedMiB(pid);
    double rssBefore = ProcessMemory.rssMiB(pid);
    AtomicReference<double[]> peak = new AtomicReference<>(new double[] {heapBefore, rssBefore});
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(
        () -> {
          double h = ProcessMemory.heapUsedMiB(pid);
          double rss = ProcessMemory.rssMiB(pid);
          peak.updateAndGet(p -> new double[] {Math.max(p[0], h), Math.max(p[1], rss)});
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
    long t = System.nanoTime();
    long lines = 0;
    int status;
    try {
      HttpResponse<InputStream> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(stack.url(Component.AUDITOR) + path))
                      .header("Authorization", auth)
                      .header("Accept", "text/csv")
                      .timeout(Duration.ofMinutes(3))
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      status = r.statusCode();
      try (InputStream in = r.body()) {
        byte[] buf = new byte[64 * 1024];
        int k;
        while ((k = in.read(buf)) >= 0) {
          for (int i = 0; i < k; i++) {
            if (buf[i] == '\n') {
              lines++;
            }
          }
        }
      }
    } finally {
      sampler.shutdownNow();
    }
    double seconds = (System.nanoTime() - t) / 1e9;
    return new Export(
        Math.max(lines - 1, 0),
        seconds,
        status,
        heapBefore,
        peak.get()[0],
        peak.get()[1] - rssBefore);
  }

  private static double jdbcExport(Connection db, long stories) throws SQLException {
    long t = System.nanoTime();
    boolean auto = db.getAutoCommit();
    db.setAutoCommit(false); // cursor-based fetch needs a transaction
    try (PreparedStatement ps =
        db.prepareStatement(
            "SELECT seq, change_id, event_id, employee_id, account, action, user_name, target,"
                + " status, error, aws_request_id, at FROM audit_log WHERE kind = 'iam_change'"
                + " AND at >= ? AND at < ? ORDER BY seq DESC")) {
      ps.setFetchSize(1000);
      ps.setObject(1, BASE);
      ps.setObject(2, BASE.plusSeconds(stories));
      StringBuilder line = new StringBuilder();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          line.setLength(0);
          for (int c = 1; c <= 12; c++) {
            line.append(rs.getString(c)).append(',');
          }
        }
      }
      db.commit();
    } finally {
      db.setAutoCommit(auto);
    }
    return (System.nanoTime() - t) / 1e9;
  }

  static String get(int port, String auth, String path, String accept, Duration timeout)
      throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", auth)
                    .header("Accept", accept)
                    .timeout(timeout)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }
}
