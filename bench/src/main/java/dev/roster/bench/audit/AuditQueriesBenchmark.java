package dev.roster.bench.audit;

import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Report;

public final class AuditQueriesBenchmark implements Benchmark {
  @Override
  public String name() {
    return "audit-queries";
  }

  @Override
  public String description() {
    return "timeline and /v1/changes p99 at 1 M entries, CSV export memory";
  }

  @Override
  public void run(Context ctx, Report report) {
    report.note("not yet wired");
  }
}
