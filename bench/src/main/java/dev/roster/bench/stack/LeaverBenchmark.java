package dev.roster.bench.stack;

import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Cpu;
import dev.roster.bench.Figure;
import dev.roster.bench.Latency;
import dev.roster.bench.Manifests;
import dev.roster.bench.ProcessMemory;
import dev.roster.bench.Report;
import dev.roster.bench.Spread;
import dev.roster.bench.Stacks;
import dev.roster.bench.Usage;
import dev.roster.bench.load.Events;
import dev.roster.bench.load.HttpLoad;
import dev.roster.local.Component;
import dev.roster.local.Stack;
import dev.roster.sandbox.iam.IamSandbox;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * What a leaver feels, end to end through the whole stack (signed leave POSTs to hr-listener, the
 * provisioner cutting access in the IAM sandbox, the outcome stored by the auditor):
 *
 * <ul>
 *   <li><b>capacity</b> at 0 and 50 ms per IAM call: the highest open-loop leave rate sustained for
 *       a whole window with no backlog growth; baseline: a direct-SDK script with as many leaves in
 *       flight as Roster had;
 *   <li><b>latency at half that capacity</b> (50 ms): time to cut-off (intended send → {@code
 *       cutOffAt}) and to completion (→ {@code completedAt}); baseline: one IAM round trip;
 *   <li><b>burst</b>: 1,000 leaves in one batch POST against a token bucket of 100 IAM calls/s per
 *       account; baseline: the bound the bucket sets (calls needed ÷ rate);
 *   <li><b>CPU per leave</b> of every process, the harness apart, and each service's peak RSS
 *       against its Kubernetes container limit; the harness check (the sandbox's call rate at 50 ms
 *       against twice what the benchmark needs).
 * </ul>
 */
public final class LeaverBenchmark implements Benchmark {
  static final int CONNECTIONS = 64;
  static final int ROLE_CHANGES = 50;
  static final double BUCKET_RATE = 100;
  static final int BUCKET_BURST = 10;

  /** Per account per leave, what cutting access needs at least: the ownership read, the deny. */
  static final int CUT_OFF_CALLS = 2;

  /** Per leave in dev, the busiest account (two keys and a console password there). */
  static final int DEV_CALLS = 17;

  static final int LEAVE_CALLS = 30;

  /** How much of everything a run does; {@code --quick} only checks that it all runs. */
  record Sizes(
      int windowSeconds,
      int estimateLeaves,
      int baselineLeaves,
      int halfCapacityLeaves,
      int halfCapacityMaxSeconds,
      int burst,
      int harnessSeconds) {
    static Sizes of(Context ctx) {
      return ctx.timeScale() < 1
          ? new Sizes(10, 60, 30, 100, 20, 100, 4)
          : new Sizes(60, 300, 150, 2000, 240, 1000, 10);
    }
  }

  @Override
  public String name() {
    return "leaver";
  }

  @Override
  public String description() {
    return "leaver capacity at 0 and 50 ms per IAM call, cut-off and completion p99 at half"
        + " capacity, a 1,000-leave burst under a token bucket, CPU per leave, peak RSS";
  }

  @Override
  public void run(Context ctx, Report report) throws Exception {
    Stack built = Stacks.builder(ctx, name()).build();
    if (!built.unpackaged().isEmpty()) {
      report.add(
          Figure.missing(
              "leaver capacity, 0 ms", "leaves/s", "the three services are not all built"));
      return;
    }
    Sizes sizes = Sizes.of(ctx);
    Cpu.Machine machineAtStart = Cpu.Machine.now();
    try (Stack stack = built.start();
        Connection db = Stacks.jdbc(stack);
        IamClient dev = Stacks.iamClient(stack, Stacks.accountId(stack, "dev"));
        IamClient staging = Stacks.iamClient(stack, Stacks.accountId(stack, "staging"))) {
      Run run =
          new Run(
              stack, db, new Hr(stack.port(Component.HR_LISTENER)), dev, staging, sizes, report);
      run.callsPerHireAndRoleChange();
      Capacity c0 = run.capacity(0);
      Capacity c50 = run.capacity(50);
      run.capacityFigures(c0, c50);
      run.harnessCheck(c50);
      run.halfCapacity(c50);
      run.burst();
      run.memory(ctx);
      Cpu.Machine end = Cpu.Machine.now();
      report.add(
          Figure.of("machine idle share during the run", "%", end.idleSince(machineAtStart) * 100)
              .note("steal " + Report.number(end.stealSince(machineAtStart) * 100) + " %"));
      report.note(
          "services run with the JVM options of their Kubernetes containers "
              + Stacks.jvmOptions(ctx)
              + "; leaves posted open loop, every time from the intended send");
    }
  }

  /** A leaver capacity: the sustained rate, and the direct script's with as many in flight. */
  record Capacity(
      long latencyMs,
      double rate,
      boolean confirmed,
      int inFlight,
      Spread direct,
      Spread directCpu) {}

  /** One open-loop window at a fixed rate. */
  record Trial(
      double rate,
      boolean sustained,
      double completionRate,
      int maxInFlight,
      int posted,
      int done,
      List<Integer> backlog) {}

  /** The state of one benchmark run. */
  private static final class Run {
    final Stack stack;
    final IamSandbox iam;
    final Connection db;
    final Hr hr;
    final IamClient dev;
    final IamClient staging;
    final Sizes sizes;
    final Report report;
    final Leavers pool;

    Run(
        Stack stack,
        Connection db,
        Hr hr,
        IamClient dev,
        IamClient staging,
        Sizes sizes,
        Report report) {
      this.stack = stack;
      this.iam = stack.iamSandbox();
      this.db = db;
      this.hr = hr;
      this.dev = dev;
      this.staging = staging;
      this.sizes = sizes;
      this.report = report;
      this.pool = new Leavers(iam, db, hr, dev, staging, report);
    }

    void latency(long ms) {
      iam.faults().clear();
      if (ms > 0) {
        iam.faults().latency(null, null, Duration.ofMillis(ms), Duration.ZERO);
      }
    }

    /** The first hires' calls, then role changes developer → qa-engineer for some of them. */
    void callsPerHireAndRoleChange() throws Exception {
      latency(0);
      List<Integer> first = pool.hire(ROLE_CHANGES);
      perType(
          "hire (developer: 2 accounts, 3 groups)",
          pool.hireCalls(),
          pool.firstHires(),
          7,
          "GetUser ×2, CreateUser ×2 (tags included), AddUserToGroup ×3");
      List<String> moves = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (int i : first) {
        ids.add("evt-move-" + i);
        moves.add(Events.roleChange("evt-move-" + i, Leavers.emp(i), "qa-engineer"));
      }
      var before = iam.callCounts();
      hr.postAll(moves);
      var moved = Outcomes.await(db, ids, 60);
      perType(
          "role change (developer → qa-engineer)",
          Outcomes.delta(before, iam.callCounts()),
          moved.size(),
          9,
          "per account: read tags + groups; dev: RemoveUserFromGroup, TagUser; staging: Add,"
              + " Remove, TagUser");
      leaveAndWait(first, 60);
      pool.delete(first);
    }

    /**
     * The highest rate sustained for a window: first an estimate (a batch of leaves drained at full
     * concurrency), then a window at 90 % of it; if the backlog grows, a second window at 85 % of
     * what was completed. Then the direct script, three times.
     */
    Capacity capacity(long latencyMs) throws Exception {
      List<Integer> used = new ArrayList<>();
      latency(0);
      List<Integer> est = pool.hire(sizes.estimateLeaves());
      used.addAll(est);
      latency(latencyMs);
      long t0 = System.currentTimeMillis();
      Map<String, Outcomes.Seen> seen = leaveAndWait(est, 30);
      double lastMs = lastOf(seen.values(), false) - t0;
      double estimate = lastMs > 0 ? seen.size() / (lastMs / 1000) : 1;
      report.note(
          "capacity at %d ms: estimate %s leaves/s (%d leaves in one batch, last completed after %s ms)"
              .formatted(latencyMs, Report.number(estimate), est.size(), Report.number(lastMs)));

      double rate = Math.max(1, 0.9 * estimate);
      Trial sustained = null;
      Trial last = null;
      for (int attempt = 0; attempt < 2 && sustained == null; attempt++) {
        latency(0);
        List<Integer> users = pool.hire((int) Math.ceil(rate * sizes.windowSeconds()) + 5);
        used.addAll(users);
        latency(latencyMs);
        last = trial(rate, Duration.ofSeconds(sizes.windowSeconds()), users);
        report.note(
            "capacity at %d ms, %d-s window at %s leaves/s: %s, completed %s/s, %d posted, %d"
                    .formatted(
                        latencyMs,
                        sizes.windowSeconds(),
                        Report.number(last.rate()),
                        last.sustained() ? "sustained" : "backlog grew",
                        Report.number(last.completionRate()),
                        last.posted(),
                        last.done())
                + " with an outcome, backlog at each third "
                + last.backlog()
                + ", at most "
                + last.maxInFlight()
                + " leaves in flight");
        if (last.sustained()) {
          sustained = last;
        } else {
          rate = Math.max(1, 0.85 * Math.min(rate, last.completionRate()));
        }
      }
      Trial basis = sustained != null ? sustained : last;
      int inFlight = Math.max(1, basis.maxInFlight());

      latency(0);
      List<Integer> base = pool.hire(3 * sizes.baselineLeaves());
      used.addAll(base);
      latency(latencyMs);
      List<Double> rates = new ArrayList<>();
      List<Double> cpu = new ArrayList<>();
      for (int k = 0; k < 3; k++) {
        List<String> users =
            base.subList(k * sizes.baselineLeaves(), (k + 1) * sizes.baselineLeaves()).stream()
                .map(Leavers::user)
                .toList();
        DirectIam.Capacity c = DirectIam.leaves(dev, staging, users, inFlight);
        rates.add(c.perSecond());
        cpu.add(c.cpuMillisPerLeave());
      }
      latency(0);
      pool.delete(used);
      Spread direct = Spread.of(rates);
      report.note(
          "direct SDK script at %d ms, %d leaves in flight: %s leaves/s (%s)"
              .formatted(latencyMs, inFlight, Report.number(direct.median()), direct));
      return new Capacity(
          latencyMs,
          sustained != null ? sustained.rate() : basis.completionRate(),
          sustained != null,
          inFlight,
          direct,
          Spread.of(cpu));
    }

    void capacityFigures(Capacity c0, Capacity c50) {
      for (Capacity c : List.of(c0, c50)) {
        Figure f =
            Figure.of("leaver capacity, " + c.latencyMs() + " ms", "leaves/s", c.rate())
                .vs(
                    "direct SDK script, " + c.inFlight() + " leaves in flight",
                    c.direct().median());
        if (c.latencyMs() > 0) {
          f = f.targetRatioAtLeast(1.5);
        }
        String note =
            "baseline "
                + c.direct()
                + (c.confirmed()
                    ? ""
                    : "; no rate was sustained for the window: the value is the completion rate"
                        + " under overload");
        report.add(f.note(note));
      }
      report.add(
          Figure.of("leaver capacity, 50 ms vs 0 ms", "leaves/s", c50.rate())
              .vs("leaver capacity, 0 ms", c0.rate())
              .targetRatioAtLeast(0.8)
              .note("IAM latency hidden by concurrency when ≥ 0.8"));
    }

    /** Many SDK clients against the sandbox at 50 ms: at least twice the calls Roster needed. */
    void harnessCheck(Capacity c50) throws Exception {
      latency(0);
      List<Integer> one = pool.hire(1);
      latency(50);
      double rate =
          DirectIam.callRate(
              dev,
              Leavers.user(one.get(0)),
              HarnessBenchmark.CLIENTS,
              Duration.ofSeconds(sizes.harnessSeconds()));
      latency(0);
      double needed = c50.rate() * LEAVE_CALLS;
      report.add(
          Figure.of("IAM sandbox call rate at 50 ms (harness check)", "calls/s", rate)
              .vs("calls/s the leaver capacity at 50 ms needs", needed)
              .targetRatioAtLeast(2)
              .note(
                  HarnessBenchmark.CLIENTS
                      + " SDK clients calling ListUserTags back to back in the benchmark JVM"));
    }

    /** Latency and CPU at half the 50 ms capacity, steady state. */
    void halfCapacity(Capacity c50) throws Exception {
      double rate = Math.max(0.5, c50.rate() / 2);
      int seconds =
          (int)
              Math.min(
                  sizes.halfCapacityMaxSeconds(),
                  Math.max(sizes.windowSeconds(), Math.ceil(sizes.halfCapacityLeaves() / rate)));
      latency(0);
      List<Integer> users = pool.hire((int) Math.ceil(rate * seconds) + 5);
      latency(50);
      List<Double> trips = new ArrayList<>();
      for (int k = 0; k < 3; k++) {
        trips.add(Spread.of(DirectIam.roundTrips(dev, Leavers.user(users.get(0)), 20)).median());
      }
      Spread trip = Spread.of(trips);
      var before = iam.callCounts();
      Map<String, Long> sentAt = new ConcurrentHashMap<>();
      HttpLoad.Result posted;
      Map<String, Outcomes.Seen> seen;
      Usage.Window window;
      // The generator stays open until the window closes: its threads' CPU is counted.
      try (HttpLoad load = new HttpLoad("127.0.0.1", stack.port(Component.HR_LISTENER))) {
        Usage usage = Usage.start(stack);
        posted = openLoop(load, rate, Duration.ofSeconds(seconds), users, sentAt);
        seen = Outcomes.await(db, sentAt.keySet(), 30, 300);
        window = usage.stop();
      }
      var calls = Outcomes.delta(before, iam.callCounts());
      latency(0);
      Latency cut = new Latency();
      Latency done = new Latency();
      int completed = 0;
      for (var e : sentAt.entrySet()) {
        Outcomes.Seen s = seen.get(e.getKey());
        if (s != null && s.cutOffAt() != null) {
          cut.recordMillis(s.cutOffAt().toEpochMilli() - e.getValue());
        }
        if (s != null && s.completedAt() != null && "completed".equals(s.outcome())) {
          done.recordMillis(s.completedAt().toEpochMilli() - e.getValue());
          completed++;
        }
      }
      Latency.Summary c = cut.summary();
      Latency.Summary d = done.summary();
      String sample =
          "%d leaves at %s/s for %d s (POSTs %s); %d cut off, %d completed; round trip %s"
              .formatted(
                  sentAt.size(),
                  Report.number(rate),
                  seconds,
                  posted.statuses(),
                  c.count(),
                  completed,
                  trip);
      report.note("half capacity at 50 ms: " + sample + "; cut-off " + c + "; completion " + d);
      report.add(
          Figure.of("cut-off p50 at half capacity, 50 ms", "ms", c.p50())
              .vs("one IAM round trip at 50 ms", trip.median()));
      report.add(
          Figure.of("cut-off p99 at half capacity, 50 ms", "ms", c.p99())
              .vs("one IAM round trip at 50 ms", trip.median())
              .targetBelow(250)
              .note(missing(sentAt.size(), (int) c.count())));
      report.add(
          Figure.of("completion p50 at half capacity, 50 ms", "ms", d.p50())
              .vs("one IAM round trip at 50 ms", trip.median()));
      report.add(
          Figure.of("completion p99 at half capacity, 50 ms", "ms", d.p99())
              .vs("one IAM round trip at 50 ms", trip.median())
              .targetBelow(1000)
              .note(missing(sentAt.size(), completed)));
      perType(
          "leave (IAM 50 ms; 2 accounts, 2 keys + console)",
          calls,
          seen.size(),
          LEAVE_CALLS,
          "per account 10 reads (tags, groups, keys, login profile, SSH, service creds, certs,"
              + " MFA, attached, inline) + RemoveUserFromGroup per group, PutUserPolicy, TagUser;"
              + " dev also UpdateAccessKey ×2, DeleteLoginProfile");
      cpu(window, Math.max(1, completed));
      pool.delete(users);
    }

    private void cpu(Usage.Window w, int leaves) {
      report.note(w.describe(leaves, "leave"));
      report.add(
          Figure.of(
                  "CPU per leave",
                  "ms",
                  (w.rosterMillis() + Math.max(0, w.millis(Usage.HARNESS))) / leaves)
              .note(
                  "every process, at half capacity (50 ms): hr-listener, provisioner, auditor,"
                      + " PostgreSQL and the harness (benchmark JVM: Kafka broker, IAM sandbox,"
                      + " load generator), each below"));
      report.add(
          Figure.of("Roster CPU per leave (without the harness)", "ms", w.rosterMillis() / leaves)
              .note("hr-listener, provisioner, auditor and PostgreSQL"));
      report.add(
          Figure.of("provisioner CPU per leave", "ms", w.millis("provisioner") / leaves)
              .targetAtMost(20));
      for (String p : List.of("hr-listener", "auditor", Usage.POSTGRES)) {
        report.add(Figure.of(p + " CPU per leave", "ms", w.millis(p) / leaves));
      }
      report.add(
          Figure.of("harness CPU per leave", "ms", w.millis(Usage.HARNESS) / leaves)
              .note(
                  "the benchmark JVM: Kafka broker, IAM sandbox, load generator; of which IAM"
                      + " sandbox threads "
                      + Report.number(w.harnessThreadsMillis().get(Usage.SANDBOX_THREADS) / leaves)
                      + " ms, load generator threads "
                      + Report.number(w.harnessThreadsMillis().get(Usage.LOAD_THREADS) / leaves)
                      + " ms"));
      report.add(
          Figure.of("machine idle share, half-capacity window", "%", w.idleShare() * 100)
              .note("steal " + Report.number(w.stealShare() * 100) + " %"));
    }

    /** 1,000 leaves in one batch POST, the sandbox limiting each account to 100 calls/s. */
    void burst() throws Exception {
      latency(0);
      List<Integer> users = pool.hire(sizes.burst());
      iam.faults().tokenBucket(null, BUCKET_RATE, BUCKET_BURST);
      var before = iam.callCounts();
      long t0 = System.currentTimeMillis();
      double doneBound = (double) users.size() * DEV_CALLS / BUCKET_RATE;
      double cutBound = (double) users.size() * CUT_OFF_CALLS / BUCKET_RATE;
      Map<String, Outcomes.Seen> seen =
          leaveAndWait(users, 60, (int) Math.max(300, 3 * doneBound + 60));
      var calls = Outcomes.delta(before, iam.callCounts());
      latency(0);
      long cutOff = seen.values().stream().filter(s -> s.cutOffAt() != null).count();
      long completed = seen.values().stream().filter(s -> "completed".equals(s.outcome())).count();
      double lastCut = (lastOf(seen.values(), true) - t0) / 1000.0;
      double lastDone = (lastOf(seen.values(), false) - t0) / 1000.0;
      String detail =
          "%d leaves in one batch, token bucket %s calls/s (burst %d) per account: %d cut off, %d"
                  .formatted(
                      users.size(), Report.number(BUCKET_RATE), BUCKET_BURST, cutOff, completed)
              + " completed; IAM calls "
              + calls;
      report.note("burst: " + detail);
      report.add(
          Figure.of("burst: last cut-off", "s", lastCut)
              .vs(
                  "bucket bound for the cut-off calls ("
                      + CUT_OFF_CALLS
                      + " per account per leave ÷ rate)",
                  cutBound)
              .targetRatioAtMost(1.25)
              .note(missing(users.size(), (int) cutOff)));
      report.add(
          Figure.of("burst: last completion", "s", lastDone)
              .vs(
                  "bucket bound for every call needed (" + DEV_CALLS + " per leave in dev ÷ rate)",
                  doneBound)
              .note(missing(users.size(), (int) completed)));
      pool.delete(users);
    }

    /** Peak RSS of each service against its container's limit in deploy/k8s. */
    void memory(Context ctx) {
      for (String service : Stacks.SERVICES) {
        Component c =
            List.of(Component.values()).stream()
                .filter(x -> x.displayName().equals(service))
                .findFirst()
                .orElseThrow();
        Manifests.Container container = Manifests.container(ctx.root(), service);
        report.add(
            Figure.of("peak RSS, " + service, "MiB", ProcessMemory.peakRssMiB(stack.pid(c)))
                .vs("container memory limit (deploy/k8s)", container.memoryLimitMiB())
                .targetRatioAtMost(0.8)
                .note("VmHWM over the whole run; JVM options " + container.jvmOptions()));
      }
    }

    /** Open loop at {@code rate} for {@code window}; backlog sampled at each third. */
    Trial trial(double rate, Duration window, List<Integer> users) throws Exception {
      Map<String, Long> sentAt = new ConcurrentHashMap<>();
      CompletableFuture<HttpLoad.Result> load =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  try (HttpLoad generator =
                      new HttpLoad("127.0.0.1", stack.port(Component.HR_LISTENER))) {
                    return openLoop(generator, rate, window, users, sentAt);
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      List<Integer> backlog = new ArrayList<>();
      List<Integer> done = new ArrayList<>();
      long start = System.nanoTime();
      for (int k = 1; k <= 3; k++) {
        long due = start + window.toNanos() * k / 3;
        Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
        List<String> ids = List.copyOf(sentAt.keySet());
        int completed = Outcomes.read(db, ids).size();
        done.add(completed);
        backlog.add(ids.size() - completed);
      }
      load.join();
      Map<String, Outcomes.Seen> seen = Outcomes.await(db, sentAt.keySet(), 15, 60);
      double third = window.toMillis() / 3000.0;
      double completionRate = (done.get(2) - done.get(0)) / (2 * third);
      int tolerance = (int) Math.max(3, 0.05 * rate * window.toSeconds());
      boolean sustained =
          backlog.get(2) - backlog.get(0) <= tolerance && seen.size() >= sentAt.size();
      return new Trial(
          rate,
          sustained,
          completionRate,
          maxInFlight(seen.values()),
          sentAt.size(),
          seen.size(),
          backlog);
    }

    HttpLoad.Result openLoop(
        HttpLoad load,
        double rate,
        Duration window,
        List<Integer> users,
        Map<String, Long> sentAt) {
      AtomicInteger next = new AtomicInteger();
      long wallOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
      {
        return load.openLoop(
            rate,
            CONNECTIONS,
            Duration.ZERO,
            window,
            () -> {
              int k = next.getAndIncrement();
              int i = users.get(Math.min(k, users.size() - 1));
              String id = Leavers.leaveId(i) + (k >= users.size() ? "-again-" + k : "");
              return hr.single(id, Events.leave(id, Leavers.emp(i)));
            },
            (request, status, intended, completed) -> {
              if (status == 202) {
                sentAt.put((String) request.tag(), (intended + wallOffset) / 1_000_000L);
              }
            });
      }
    }

    Map<String, Outcomes.Seen> leaveAndWait(List<Integer> users, int idleSeconds) throws Exception {
      return leaveAndWait(users, idleSeconds, 600);
    }

    /** Posts the users' leaves as batches of 1,000 and waits for their outcomes. */
    Map<String, Outcomes.Seen> leaveAndWait(List<Integer> users, int idleSeconds, int maxSeconds)
        throws Exception {
      List<String> events = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (int i : users) {
        ids.add(Leavers.leaveId(i));
        events.add(Events.leave(Leavers.leaveId(i), Leavers.emp(i)));
      }
      hr.postAll(events, 1000);
      return Outcomes.await(db, ids, idleSeconds, maxSeconds);
    }

    private void perType(
        String type, Map<String, Long> calls, int events, double minimum, String minimumIs) {
      if (events == 0) {
        report.add(Figure.missing("IAM calls per " + type, "calls/event", "no event completed"));
        return;
      }
      double perEvent = (double) Outcomes.total(calls) / events;
      StringBuilder by = new StringBuilder();
      calls.forEach(
          (a, n) ->
              by.append(a).append(' ').append(Report.number((double) n / events)).append(", "));
      report.add(
          Figure.of("IAM calls per " + type, "calls/event", perEvent)
              .vs("minimum the event needs", minimum)
              .note("minimum = " + minimumIs + "; measured by action: " + by));
    }
  }

  static String missing(int sent, int measured) {
    return measured >= sent
        ? null
        : (sent - measured) + " of " + sent + " not measured (no outcome)";
  }

  /** The latest cutOffAt (or completedAt) among outcomes, epoch ms; 0 if none. */
  static long lastOf(Collection<Outcomes.Seen> seen, boolean cutOff) {
    return seen.stream()
        .map(s -> cutOff ? s.cutOffAt() : s.completedAt())
        .filter(t -> t != null)
        .mapToLong(Instant::toEpochMilli)
        .max()
        .orElse(0);
  }

  /** The most leaves Roster had in progress at once (startedAt..completedAt overlapping). */
  static int maxInFlight(Collection<Outcomes.Seen> seen) {
    List<long[]> edges = new ArrayList<>();
    for (Outcomes.Seen s : seen) {
      if (s.startedAt() != null && s.completedAt() != null) {
        edges.add(new long[] {s.startedAt().toEpochMilli(), 1});
        edges.add(new long[] {s.completedAt().toEpochMilli(), -1});
      }
    }
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int now = 0;
    int max = 0;
    for (long[] e : edges) {
      now += (int) e[1];
      max = Math.max(max, now);
    }
    return max;
  }
}
