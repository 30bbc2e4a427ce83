package dev.roster.bench.stack;

import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Report;

public final class LeaverBenchmark implements Benchmark {
  @Override
  public String name() {
    return "leaver";
  }

  @Override
  public String description() {
    return "leaver cut-off (signed leave POST to every credential inactive), IAM latency 0 and 50 ms";
  }

  @Override
  public void run(Context ctx, Report report) {
    report.note("not yet wired");
  }
}
