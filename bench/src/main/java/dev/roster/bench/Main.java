package dev.roster.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench/run <name>... [--quick]}: runs benchmarks by name, prints a table of figures with
 * their same-run baselines, and writes {@code bench/results/<name>-<time>.json} plus {@code
 * bench/results/summary.json}.
 */
public final class Main {
  private Main() {}

  static Map<String, Benchmark> benchmarks() {
    Map<String, Benchmark> all = new LinkedHashMap<>();
    for (Benchmark b :
        List.of(
            new dev.roster.bench.stack.HarnessBenchmark(),
            new dev.roster.bench.ingest.IngestBenchmark(),
            new dev.roster.bench.stack.LeaverBenchmark(),
            new dev.roster.bench.audit.AuditorIngestBenchmark(),
            new dev.roster.bench.audit.AuditQueriesBenchmark(),
            new dev.roster.bench.stack.MixedBenchmark(),
            new dev.roster.bench.stack.ReconcileBenchmark(),
            new dev.roster.bench.sdk.SdkHttpBenchmark(),
            new dev.roster.bench.micro.MicroBenchmark())) {
      all.put(b.name(), b);
    }
    return all;
  }

  public static void main(String[] args) {
    Map<String, Benchmark> all = benchmarks();
    List<String> names = new ArrayList<>();
    double scale = 1.0;
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        usage(all, null);
        return;
      } else if (a.equals("markdown")) {
        System.out.print(Report.markdown(Context.detect(1).results().resolve("summary.json")));
        return;
      } else if (a.equals("--quick")) {
        scale = 0.5;
      } else if (a.equals("all")) {
        names.addAll(all.keySet());
      } else if (all.containsKey(a)) {
        names.add(a);
      } else {
        usage(all, "unknown benchmark or option: " + a);
        System.exit(2);
      }
    }
    if (names.isEmpty()) {
      usage(all, null);
      System.exit(2);
    }
    Context context = Context.detect(scale);
    // Interrupted runs must not leave services, brokers or databases behind.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
    int failures = 0;
    List<Report.Result> results = new ArrayList<>();
    for (String name : names) {
      Report report = new Report(name, Machine.current());
      System.out.println(">> " + name + ": " + all.get(name).description());
      try {
        all.get(name).run(context, report);
      } catch (Exception | Error e) {
        failures++;
        report.note("aborted: " + e);
        e.printStackTrace();
      }
      Report.Result result = report.finish();
      results.add(result);
      System.out.println();
      System.out.println(Report.table(result));
      System.out.println(
          "written: " + context.root().relativize(Report.write(result, context.results())));
    }
    if (results.size() > 1) {
      System.out.println();
      results.forEach(r -> System.out.println(Report.table(r)));
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  private static void usage(Map<String, Benchmark> all, String error) {
    if (error != null) {
      System.err.println(error);
    }
    System.err.println("usage: bench/run <benchmark>... [--quick]");
    all.values().forEach(b -> System.err.printf("  %-15s %s%n", b.name(), b.description()));
    System.err.printf("  %-15s %s%n", "all", "every benchmark above, in order");
    System.err.printf("  %-15s %s%n", "markdown", "print bench/results/summary.json as Markdown");
  }
}
