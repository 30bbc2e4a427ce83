package dev.roster.bench.stack;

import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Report;

public final class MixedBenchmark implements Benchmark {
  @Override
  public String name() {
    return "mixed";
  }

  @Override
  public String description() {
    return "hires, role changes and leaves at 200/s for 60 s: accepted to audit-visible, lost, duplicated, RSS";
  }

  @Override
  public void run(Context ctx, Report report) {
    report.note("not yet wired");
  }
}
