package dev.roster.bench.ingest;

import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Figure;
import dev.roster.bench.Report;
import dev.roster.bench.Stacks;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * hr-listener's ingest against a trivial Quarkus POST endpoint (same generator, same connections,
 * same JVM flags), and its batch endpoint against Kafka's own producer-performance tool.
 */
public final class IngestBenchmark implements Benchmark {
  static final int CONNECTIONS = 32;
  static final int BATCH = 500;

  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public String description() {
    return "hr-listener signed POSTs (32 connections, steady 1,000/s, batch) vs a trivial Quarkus"
        + " POST endpoint and Kafka ProducerPerformance";
  }

  @Override
  public void run(Context ctx, Report report) throws Exception {
    Duration warmup = ctx.seconds(10);
    Duration measure = ctx.seconds(20);
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
    ServicePart base = Stacks.app(ctx, name(), "bench/baseline-app");
    try (Stack stack = built.start()) {
      EmbeddedKafka kafka = stack.kafka();
      kafka.createTopics(3, List.of("bench.producer-perf"));
      int eventBytes =
          Events.bytes(Events.hire("evt-bench-00000001", "E000001", "bench.e000001", "developer"))
              .length;
      try (HttpLoad baseLoad = new HttpLoad("127.0.0.1", base.port());
          HttpLoad load = new HttpLoad("127.0.0.1", stack.port(Component.HR_LISTENER))) {
        base.start();
        base.awaitReady();
        {
          HttpLoad.Result baseClosed =
              baseLoad.closedLoop(CONNECTIONS, warmup, measure, singles("base"), null);
          HttpLoad.Result closed =
              load.closedLoop(CONNECTIONS, warmup, measure, singles("sub"), null);
          HttpLoad.Result baseSteady =
              baseLoad.openLoop(
                  1000, CONNECTIONS, ctx.seconds(3), measure, singles("base-steady"), null);
          HttpLoad.Result steady =
              load.openLoop(
                  1000, CONNECTIONS, ctx.seconds(3), measure, singles("sub-steady"), null);
          report.note("baseline closed loop: " + baseClosed);
          report.note("baseline steady 1000/s: " + baseSteady);
          AtomicLong batchNo = new AtomicLong();
          HttpLoad.Result batch =
              load.closedLoop(4, ctx.seconds(5), measure, batches(batchNo), null);
          report.note("hr-listener closed loop: " + closed);
          report.note("hr-listener steady 1000/s: " + steady);
          report.note("hr-listener batch (" + BATCH + " events/request, 4 connections): " + batch);
          report.add(
              Figure.of("single POST rate, 32 conns", "events/s", closed.perSecond())
                  .vs("trivial Quarkus POST", baseClosed.perSecond())
                  .targetRatioAtLeast(0.5)
                  .note(errors(closed)));
          report.add(
              Figure.of("single POST p50, 32 conns", "ms", closed.latency().p50())
                  .vs("trivial Quarkus POST", baseClosed.latency().p50()));
          report.add(
              Figure.of("single POST p99, 32 conns", "ms", closed.latency().p99())
                  .vs("trivial Quarkus POST", baseClosed.latency().p99()));
          report.add(
              Figure.of("p50 at steady 1,000/s", "ms", steady.latency().p50())
                  .vs("trivial Quarkus POST", baseSteady.latency().p50()));
          report.add(
              Figure.of("p99 at steady 1,000/s", "ms", steady.latency().p99())
                  .vs("trivial Quarkus POST", baseSteady.latency().p99())
                  .targetBelow(10)
                  .note(errors(steady)));
          double batchRate = batch.perSecond() * BATCH;
          double producer =
              producerPerformance(
                  kafka, eventBytes, (long) Math.max(200_000, batchRate * 10), report);
          report.add(
              Figure.of("batch endpoint rate", "events/s", batchRate)
                  .vs("Kafka ProducerPerformance acks=all", producer)
                  .targetRatioAtLeast(0.3)
                  .note(errors(batch)));
        }
      } finally {
        base.stop();
      }
      report.note(
          "record size "
              + eventBytes
              + " bytes (a signed hire event); JVMs -Xmx"
              + Stacks.XMX
              + "; the Kafka broker and the load generator share the machine with the subject");
    }
  }

  private static String errors(HttpLoad.Result r) {
    return r.errors() == 0 ? null : r.errors() + " non-2xx answers " + r.statuses();
  }

  static HttpLoad.RequestSource singles(String prefix) {
    long[] n = {0};
    return () -> {
      long i = n[0]++;
      String emp = "E" + (i % 20_000);
      byte[] body =
          Events.bytes(
              Events.hire(
                  "evt-" + prefix + "-" + i, emp, "bench." + emp.toLowerCase(), "developer"));
      return request("/v1/events", body);
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
