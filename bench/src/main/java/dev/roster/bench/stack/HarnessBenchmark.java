package dev.roster.bench.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Figure;
import dev.roster.bench.Report;
import dev.roster.bench.Spread;
import dev.roster.bench.Usage;
import dev.roster.sandbox.iam.IamSandbox;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The harness check on its own: does the IAM sandbox answer enough calls at 50 ms per call for the
 * leaver benchmark not to be capped by it? Many SDK clients in this JVM call one sandbox (no Roster
 * service runs) three times; the figure is set against twice the call rate the leaver benchmark's
 * capacity at 50 ms needs (its latest result in summary.json, else 50 leaves/s).
 */
public final class HarnessBenchmark implements Benchmark {
  static final int CLIENTS = 128;

  /** Without a leaver result: about what the previous leaver runs sustained on two idle cores. */
  static final double NOMINAL_LEAVES_PER_SECOND = 20;

  @Override
  public String name() {
    return "harness";
  }

  @Override
  public String description() {
    return "the IAM sandbox's call rate at 50 ms per call from 128 SDK clients, against twice what"
        + " the leaver benchmark needs";
  }

  @Override
  public void run(Context ctx, Report report) throws Exception {
    double leaves = leaverCapacity(ctx.results().resolve("summary.json"));
    double needed = leaves * LeaverBenchmark.LEAVE_CALLS;
    try (IamSandbox iam = IamSandbox.builder().build().start();
        IamClient client =
            IamClient.builder()
                .endpointOverride(iam.endpoint())
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("111111111111", "bench")))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
      iam.seed(
          new ByteArrayInputStream(
              "{\"accounts\":{\"111111111111\":{\"users\":[\"probe\"]}}}"
                  .getBytes(StandardCharsets.UTF_8)));
      iam.faults().latency(null, null, Duration.ofMillis(50), Duration.ZERO);
      Duration run = ctx.seconds(10);
      DirectIam.callRate(client, "probe", CLIENTS, ctx.seconds(4)); // warm-up
      List<Double> rates = new ArrayList<>();
      List<Double> cpu = new ArrayList<>();
      for (int k = 0; k < 3; k++) {
        long before = iam.calls(null, null);
        Usage usage = Usage.start(Map.of());
        double rate = DirectIam.callRate(client, "probe", CLIENTS, run);
        Usage.Window w = usage.stop();
        long calls = iam.calls(null, null) - before;
        rates.add(rate);
        cpu.add(w.harnessThreadsMillis().get(Usage.SANDBOX_THREADS) / Math.max(1, calls) * 1000);
        report.note(
            "run "
                + (k + 1)
                + ": "
                + Report.number(rate)
                + " calls/s; "
                + w.describe(calls, "call"));
      }
      Spread r = Spread.of(rates);
      report.add(
          Figure.of("IAM sandbox call rate at 50 ms (harness check)", "calls/s", r.median())
              .vs(
                  "calls/s the leaver benchmark needs (" + Report.number(leaves) + " leaves/s)",
                  needed)
              .targetRatioAtLeast(2)
              .note(CLIENTS + " SDK clients, ListUserTags back to back; " + r));
      report.add(
          Figure.of("IAM sandbox CPU per call", "µs", Spread.of(cpu).median())
              .note("its request, timer and dispatcher threads; " + Spread.of(cpu)));
    }
  }

  /** The latest measured leaver capacity at 50 ms, else the nominal rate. */
  static double leaverCapacity(Path summary) {
    try {
      if (Files.exists(summary)) {
        JsonNode root = new ObjectMapper().readTree(summary.toFile());
        for (JsonNode f : root.at("/benchmarks/leaver/figures")) {
          if ("leaver capacity, 50 ms".equals(f.path("name").asText())
              && f.path("value").isNumber()) {
            return f.path("value").asDouble();
          }
        }
      }
    } catch (java.io.IOException e) {
      // fall back to the nominal rate
    }
    return NOMINAL_LEAVES_PER_SECOND;
  }
}
