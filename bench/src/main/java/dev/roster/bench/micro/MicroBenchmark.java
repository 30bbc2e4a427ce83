package dev.roster.bench.micro;

import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Report;

public final class MicroBenchmark implements Benchmark {
  @Override
  public String name() {
    return "micro";
  }

  @Override
  public String description() {
    return "JMH: planner, signature verification, canonical hashing";
  }

  @Override
  public void run(Context ctx, Report report) {
    report.note("not yet wired");
  }
}
