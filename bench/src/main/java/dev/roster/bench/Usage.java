package dev.roster.bench;

import dev.roster.local.Component;
import dev.roster.local.Stack;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one measured window cost: CPU time of every Roster process (the services as child processes,
 * PostgreSQL with its backends), of the harness (this JVM: Kafka broker, IAM sandbox, load
 * generator) split by thread, each service's peak RSS, and the machine's idle and steal share.
 *
 * <p>Kafka and the IAM sandbox run inside the benchmark JVM (the stack starts them in-process), so
 * they cannot be told apart by process: the harness's CPU is split by thread name instead — the IAM
 * sandbox's request, timer and dispatcher threads; the load generator's Vert.x threads; the rest
 * (Kafka broker, JIT, GC, the benchmark's own bookkeeping) is the process total minus those two.
 */
public final class Usage {
  public static final String HARNESS = "harness";
  public static final String SANDBOX_THREADS = "IAM sandbox threads";
  public static final String LOAD_THREADS = "load generator threads";
  public static final String POSTGRES = "PostgreSQL";

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Map<String, Long> pids;
  private final Map<String, Double> cpuAtStart;
  private final Map<String, Double> threadsAtStart;
  private final Cpu.Machine machineAtStart;
  private final long startNanos;

  private Usage(Map<String, Long> pids) {
    this.pids = pids;
    this.cpuAtStart = cpu(pids);
    this.threadsAtStart = threadGroups();
    this.machineAtStart = Cpu.Machine.now();
    this.startNanos = System.nanoTime();
  }

  /** Starts a window over every running service of the stack, PostgreSQL and the harness. */
  public static Usage start(Stack stack) {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (Component c : Component.values()) {
      if (c.isService() && stack.pid(c) > 0) {
        pids.put(c.displayName(), stack.pid(c));
      }
    }
    postmaster(stack.dataDir().resolve("postgres")).ifPresent(pid -> pids.put(POSTGRES, pid));
    pids.put(HARNESS, ProcessHandle.current().pid());
    return new Usage(pids);
  }

  /** A window over named processes (a baseline app, say) beside the harness. */
  public static Usage start(Map<String, Long> processes) {
    Map<String, Long> pids = new LinkedHashMap<>(processes);
    pids.put(HARNESS, ProcessHandle.current().pid());
    return new Usage(pids);
  }

  public Window stop() {
    Map<String, Double> now = cpu(pids);
    Map<String, Double> cpu = new LinkedHashMap<>();
    now.forEach((name, ms) -> cpu.put(name, ms - cpuAtStart.getOrDefault(name, 0.0)));
    Map<String, Double> threads = new LinkedHashMap<>();
    threadGroups().forEach((g, ms) -> threads.put(g, ms - threadsAtStart.getOrDefault(g, 0.0)));
    Map<String, Double> rss = new LinkedHashMap<>();
    pids.forEach(
        (name, pid) -> {
          if (!name.equals(HARNESS) && !name.equals(POSTGRES)) {
            rss.put(name, ProcessMemory.peakRssMiB(pid));
          }
        });
    Cpu.Machine machine = Cpu.Machine.now();
    return new Window(
        (System.nanoTime() - startNanos) / 1e9,
        cpu,
        threads,
        rss,
        machine.idleSince(machineAtStart),
        machine.stealSince(machineAtStart));
  }

  private static Map<String, Double> cpu(Map<String, Long> pids) {
    Map<String, Double> out = new LinkedHashMap<>();
    pids.forEach(
        (name, pid) ->
            out.put(name, name.equals(POSTGRES) ? Cpu.treeMillis(pid) : Cpu.processMillis(pid)));
    return out;
  }

  /** CPU ms of this JVM's live threads, by group (threads that ended meanwhile are not counted). */
  private static Map<String, Double> threadGroups() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put(SANDBOX_THREADS, 0.0);
    out.put(LOAD_THREADS, 0.0);
    for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      String name = info.getThreadName();
      String group =
          name.startsWith("iam-sandbox") || name.startsWith("HTTP-Dispatcher")
              ? SANDBOX_THREADS
              : name.startsWith("vert.x") || name.startsWith("bench-load") ? LOAD_THREADS : null;
      long ns = THREADS.getThreadCpuTime(info.getThreadId());
      if (group != null && ns > 0) {
        out.merge(group, ns / 1e6, Double::sum);
      }
    }
    return out;
  }

  /**
   * PostgreSQL's postmaster: pg_ctl starts it detached (it is no child of this JVM), so its pid is
   * read from {@code postmaster.pid} in the data directory, whose first line it is.
   */
  static Optional<Long> postmaster(Path dataDir) {
    try {
      return Optional.of(
          Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The cost of one window. CPU in ms, RSS in MiB, shares 0..1. */
  public record Window(
      double seconds,
      Map<String, Double> cpuMillis,
      Map<String, Double> harnessThreadsMillis,
      Map<String, Double> peakRssMiB,
      double idleShare,
      double stealShare) {

    /** CPU of Roster's own processes: the services and PostgreSQL (not the harness). */
    public double rosterMillis() {
      return cpuMillis.entrySet().stream()
          .filter(e -> !e.getKey().equals(HARNESS))
          .mapToDouble(e -> Math.max(0, e.getValue()))
          .sum();
    }

    public double millis(String process) {
      return cpuMillis.getOrDefault(process, Double.NaN);
    }

    /** One line for the notes. */
    public String describe(double units, String unit) {
      StringBuilder b =
          new StringBuilder("CPU ms per ")
              .append(unit)
              .append(" over ")
              .append(Report.number(seconds))
              .append(" s: ");
      cpuMillis.forEach(
          (name, ms) -> b.append(name).append(' ').append(Report.number(ms / units)).append(", "));
      harnessThreadsMillis.forEach(
          (name, ms) ->
              b.append("of which ")
                  .append(name)
                  .append(' ')
                  .append(Report.number(ms / units))
                  .append(", "));
      b.append("machine idle ")
          .append(Report.number(idleShare * 100))
          .append(" %, steal ")
          .append(Report.number(stealShare * 100))
          .append(" %");
      return b.toString();
    }
  }
}
