package dev.roster.bench.micro;

import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Figure;
import dev.roster.bench.Report;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** JMH: each hot pure function beside the bare JDK primitive it is built on. */
public final class MicroBenchmark implements Benchmark {

  @Override
  public String name() {
    return "micro";
  }

  @Override
  public String description() {
    return "JMH: planner (10-group employee), signature verification, canonical hashing, each vs"
        + " the bare JDK primitive";
  }

  @Override
  public void run(Context ctx, Report report) throws Exception {
    int iterations = ctx.timeScale() < 1 ? 2 : 3;
    Options options =
        new OptionsBuilder()
            .include("dev\\.roster\\.bench\\.micro\\..*Bench\\..*")
            .mode(Mode.AverageTime)
            .timeUnit(TimeUnit.NANOSECONDS)
            .forks(1)
            .threads(1)
            .warmupIterations(iterations)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(iterations)
            .measurementTime(TimeValue.seconds(2))
            .jvmArgs("-Xmx512m")
            .shouldFailOnError(true)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, double[]> scores = new HashMap<>();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      label = label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1);
      scores.put(
          label,
          new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
    }
    pair(
        report,
        scores,
        "planner: move, 10 groups",
        "PlannerBench.moveTenGroups",
        "PlannerBench.baselineSetDifference",
        "set difference of the 10-group sets");
    pair(
        report,
        scores,
        "planner: leave, 10 groups + credentials",
        "PlannerBench.leaveTenGroupsAllCredentials",
        "PlannerBench.baselineSetDifference",
        "set difference of the 10-group sets");
    pair(
        report,
        scores,
        "planner: converged (re-delivery)",
        "PlannerBench.convergedNoOp",
        "PlannerBench.baselineSetDifference",
        "set difference of the 10-group sets");
    pair(
        report,
        scores,
        "signature verification, 330 B",
        "SignatureBench.verify",
        "SignatureBench.baselineRawHmac",
        "bare JDK HMAC-SHA256");
    pair(
        report,
        scores,
        "canonical entry hash",
        "HashBench.canonicalHash",
        "HashBench.baselineRawSha256",
        "bare JDK SHA-256 of the same JSON");
    report.note(
        "JMH 1.37, AverageTime, 1 fork, "
            + iterations
            + "×1 s warm-up, "
            + iterations
            + "×2 s measurement, 1 thread; ± is JMH's 99.9 % error");
  }

  private static void pair(
      Report report,
      Map<String, double[]> scores,
      String name,
      String subject,
      String baseline,
      String baselineName) {
    double[] s = scores.get(subject);
    double[] b = scores.get(baseline);
    if (s == null || b == null) {
      report.add(Figure.missing(name, "ns/op", subject + " not available in this build"));
      return;
    }
    report.add(
        Figure.of(name, "ns/op", s[0])
            .vs(baselineName, b[0])
            .note(
                (Double.isFinite(s[1])
                        ? "± %.0f ns (baseline ± %.0f ns); ".formatted(s[1], b[1])
                        : "")
                    + "ratio = times the baseline's cost"));
  }
}
