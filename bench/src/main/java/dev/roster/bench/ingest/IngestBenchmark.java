package dev.roster.bench.ingest;

import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Figure;
import dev.roster.bench.Report;
import dev.roster.bench.Spread;
import dev.roster.bench.Stacks;
import dev.roster.bench.Usage;
import dev.roster.bench.load.Events;
import dev.roster.bench.load.HttpLoad;
import dev.roster.local.Component;
import dev.roster.local.ServicePart;
import dev.roster.local.Signatures;
import dev.roster.local.Stack;
import dev.roster.sandbox.kafka.EmbeddedKafka;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * hr-listener's ingest against a trivial Quarkus POST endpoint that also sends each record to the
 * same broker with {@code acks=all} and answers once acknowledged (same generator, connections and
 * JVM flags; subject and baseline alternately, three times each), and its batch endpoint against
 * Kafka's own producer-performance tool.
 */
public final class IngestBenchmark implements Benchmark {
  /** The baseline app's topic ({@code KafkaSendResource.TOPIC} in bench/baseline-app). */
  static final String BASELINE_TOPIC = "bench.baseline";

  static final int CONNECTIONS = 32;
  static final int BATCH = 500;

  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public String description() {
    return "hr-listener signed POSTs (32 connections, steady 1,000/s, batch) vs a trivial Quarkus"
        + " POST that sends to Kafka (acks=all), and Kafka ProducerPerformance";
  }

  @Override
  public void run(Context ctx, Report report) throws Exception {
    Duration warmup = ctx.seconds(5);
    Duration measure = ctx.seconds(10);
    Stack built =
        Stacks.builder(ctx, name())
            .only(Component.KAFKA, Component.HR_LISTENER)
            .kafkaPartitions(3)
            .build();
    if (!built.unpackaged().isEmpty()) {
      report.add(
          Figure.missing(
              "single POST rate",
              "events/s",
              "hr-listener is not built (" + ServicePart.jar(ctx.root(), "hr-listener") + ")"));
      return;
    }
    // Both apps up at once and measured back to back (baseline, then subject, for each load
    // shape), so a shared machine's drift hits both alike. Same generator, same signed requests
    // (the baseline ignores the signature), same JVM flags.
    try (Stack stack = built.start()) {
      EmbeddedKafka kafka = stack.kafka();
      kafka.createTopics(3, List.of("bench.producer-perf", BASELINE_TOPIC));
      // The baseline app sends every record to the same broker (acks=all) before answering.
      ServicePart base =
          Stacks.app(
              ctx,
              name(),
              "bench/baseline-app",
              Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers()));
      int eventBytes =
          Events.bytes(Events.hire("evt-bench-00000001", "E000001", "bench.e000001", "developer"))
              .length;
      try (HttpLoad baseLoad = new HttpLoad("127.0.0.1", base.port());
          HttpLoad load = new HttpLoad("127.0.0.1", stack.port(Component.HR_LISTENER))) {
        base.start();
        base.awaitReady();
        long subjectPid = stack.pid(Component.HR_LISTENER);
        long basePid = base.pid();
        // Subject and baseline alternately, three times each, so a drifting machine hits both.
        List<Double> rate = new ArrayList<>();
        List<Double> baseRate = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> baseP99 = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> baseCpu = new ArrayList<>();
        List<Double> echoRate = new ArrayList<>();
        List<Double> steadyP99 = new ArrayList<>();
        List<Double> baseSteadyP99 = new ArrayList<>();
        // One unmeasured round first: both JVMs' JIT and both producers warm before anything
        // counts (a fresh JVM measured first would otherwise lose the first pair).
        baseLoad.closedLoop(CONNECTIONS, warmup, warmup, singles("warm-base", "/v1/events"), null);
        baseLoad.closedLoop(CONNECTIONS, warmup, warmup, singles("warm-echo", "/v1/echo"), null);
        load.closedLoop(CONNECTIONS, warmup, warmup, singles("warm-sub", "/v1/events"), null);
        for (int k = 0; k < 3; k++) {
          // ABBA order: the baseline first in runs 1 and 3, the subject first in run 2.
          HttpLoad.Result b = null;
          HttpLoad.Result s = null;
          Usage.Window bw = null;
          Usage.Window sw = null;
          for (int turn = 0; turn < 2; turn++) {
            if ((turn == 0) == (k % 2 == 0)) {
              Usage bu = Usage.start(Map.of("baseline", basePid));
              b =
                  baseLoad.closedLoop(
                      CONNECTIONS, warmup, measure, singles("base" + k, "/v1/events"), null);
              bw = bu.stop();
            } else {
              Usage su = Usage.start(Map.of("hr-listener", subjectPid));
              s =
                  load.closedLoop(
                      CONNECTIONS, warmup, measure, singles("sub" + k, "/v1/events"), null);
              sw = su.stop();
            }
          }
          HttpLoad.Result echo =
              baseLoad.closedLoop(
                  CONNECTIONS, ctx.seconds(2), measure, singles("echo" + k, "/v1/echo"), null);
          rate.add(s.perSecond());
          baseRate.add(b.perSecond());
          p99.add(s.latency().p99());
          baseP99.add(b.latency().p99());
          echoRate.add(echo.perSecond());
          // Per request over the whole window, warm-up included (its requests are not counted in
          // perSecond, so use the window's duration times the rate as the request count).
          cpu.add(sw.millis("hr-listener") / Math.max(1, s.perSecond() * sw.seconds()));
          baseCpu.add(bw.millis("baseline") / Math.max(1, b.perSecond() * bw.seconds()));
          report.note("run " + (k + 1) + ": Kafka-sending baseline " + b + "; hr-listener " + s);
          report.note("run " + (k + 1) + ": parse-only endpoint " + echo);
          report.note("run " + (k + 1) + " hr-listener window: " + sw.describe(1, "window"));
          HttpLoad.Result bs =
              baseLoad.openLoop(
                  1000,
                  CONNECTIONS,
                  ctx.seconds(2),
                  measure,
                  singles("bs" + k, "/v1/events"),
                  null);
          HttpLoad.Result ss =
              load.openLoop(
                  1000,
                  CONNECTIONS,
                  ctx.seconds(2),
                  measure,
                  singles("ss" + k, "/v1/events"),
                  null);
          steadyP99.add(ss.latency().p99());
          baseSteadyP99.add(bs.latency().p99());
          report.note("run " + (k + 1) + " steady 1000/s: baseline " + bs + "; hr-listener " + ss);
        }
        Spread r = Spread.of(rate);
        Spread br = Spread.of(baseRate);
        report.add(
            Figure.of("single POST rate, 32 conns", "events/s", r.median())
                .vs("trivial Quarkus POST that sends to Kafka (acks=all)", br.median())
                .targetRatioAtLeast(0.7)
                .note("hr-listener " + r + "; baseline " + br));
        report.add(
            Figure.of("single POST p99, 32 conns", "ms", Spread.of(p99).median())
                .vs("trivial Quarkus POST that sends to Kafka", Spread.of(baseP99).median())
                .note("hr-listener " + Spread.of(p99) + "; baseline " + Spread.of(baseP99)));
        report.add(
            Figure.of("p99 at steady 1,000/s", "ms", Spread.of(steadyP99).median())
                .vs("trivial Quarkus POST that sends to Kafka", Spread.of(baseSteadyP99).median())
                .targetBelow(10)
                .note(
                    "hr-listener "
                        + Spread.of(steadyP99)
                        + "; baseline "
                        + Spread.of(baseSteadyP99)));
        report.add(
            Figure.of("hr-listener CPU per single POST", "ms", Spread.of(cpu).median())
                .vs("Kafka-sending baseline CPU per POST", Spread.of(baseCpu).median())
                .note("each process alone; the broker's CPU is in the harness, for both alike"));
        report.add(
            Figure.of(
                    "parse-only POST rate, 32 conns (no Kafka)",
                    "events/s",
                    Spread.of(echoRate).median())
                .vs("trivial Quarkus POST that sends to Kafka", br.median())
                .note("what the HTTP stack alone does on this machine: " + Spread.of(echoRate)));
        AtomicLong batchNo = new AtomicLong();
        HttpLoad.Result batch = load.closedLoop(4, ctx.seconds(5), measure, batches(batchNo), null);
        report.note("hr-listener batch (" + BATCH + " events/request, 4 connections): " + batch);
        double batchRate = batch.perSecond() * BATCH;
        double producer =
            producerPerformance(
                kafka, eventBytes, (long) Math.max(200_000, batchRate * 10), report);
        report.add(
            Figure.of("batch endpoint rate", "events/s", batchRate)
                .vs("Kafka ProducerPerformance acks=all", producer)
                .targetRatioAtLeast(0.3)
                .note(errors(batch)));
      } finally {
        base.stop();
      }
      report.note(
          "record size "
              + eventBytes
              + " bytes (a signed hire event); JVM options "
              + Stacks.jvmOptions(ctx)
              + "; the Kafka broker and the load generator share the machine with the subject");
    }
  }

  private static String errors(HttpLoad.Result r) {
    return r.errors() == 0 ? null : r.errors() + " non-2xx answers " + r.statuses();
  }

  static HttpLoad.RequestSource singles(String prefix) {
    return singles(prefix, "/v1/events");
  }

  static HttpLoad.RequestSource singles(String prefix, String path) {
    long[] n = {0};
    return () -> {
      long i = n[0]++;
      String emp = "E" + (i % 20_000);
      byte[] body =
          Events.bytes(
              Events.hire(
                  "evt-" + prefix + "-" + i, emp, "bench." + emp.toLowerCase(), "developer"));
      return request(path, body);
    };
  }

  static HttpLoad.RequestSource batches(AtomicLong counter) {
    return () -> {
      long b = counter.getAndIncrement();
      StringBuilder json = new StringBuilder(BATCH * 360).append('[');
      for (int i = 0; i < BATCH; i++) {
        long n = b * BATCH + i;
        String emp = "E" + (n % 20_000);
        if (i > 0) {
          json.append(',');
        }
        json.append(Events.hire("evt-batch-" + n, emp, "bench." + emp.toLowerCase(), "developer"));
      }
      return request("/v1/events/batch", Events.bytes(json.append(']').toString()));
    };
  }

  static HttpLoad.Request request(String path, byte[] body) {
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("Content-Type", "application/json")
            .add(Signatures.HEADER, Signatures.header(Stacks.SECRET, body));
    return new HttpLoad.Request(HttpMethod.POST, path, headers, Buffer.buffer(body));
  }

  private static final Pattern RATE = Pattern.compile("([0-9.]+) records/sec");

  /** Runs Kafka's tool as its own JVM, as an operator would, with the same record size. */
  static double producerPerformance(
      EmbeddedKafka kafka, int recordSize, long records, Report report) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.apache.kafka.tools.ProducerPerformance");
    cmd.addAll(
        List.of(
            "--topic",
            "bench.producer-perf",
            "--num-records",
            Long.toString(records),
            "--record-size",
            Integer.toString(recordSize),
            "--throughput",
            "-1",
            "--producer-props",
            "bootstrap.servers=" + kafka.bootstrapServers(),
            "acks=all",
            "enable.idempotence=true"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    String last = null;
    for (String line : out.split("\n")) {
      if (line.contains("records sent")) {
        last = line;
      }
    }
    if (last == null) {
      throw new IllegalStateException("ProducerPerformance printed no result:\n" + out);
    }
    report.note(
        "ProducerPerformance ("
            + records
            + " x "
            + recordSize
            + " B, acks=all, idempotent): "
            + last.trim());
    Matcher m = RATE.matcher(last);
    if (!m.find()) {
      throw new IllegalStateException("cannot read ProducerPerformance: " + last);
    }
    return Double.parseDouble(m.group(1));
  }
}
