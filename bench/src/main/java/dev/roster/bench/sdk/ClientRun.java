package dev.roster.bench.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.bench.Cpu;
import dev.roster.bench.Latency;
import dev.roster.bench.Usage;
import dev.roster.bench.stack.DirectIam;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * The calling side of {@code sdk-http}, alone in its own JVM so that the process's CPU time is the
 * client's and nothing else's (the sandbox answers from the benchmark JVM; the CRT client's native
 * event-loop threads, the SDK's timeout scheduler, GC and JIT are all in this process). A fixed
 * number of threads leave seeded users with the leave calls of the direct-SDK script ({@link
 * DirectIam#leave}): first a warm-up, then the measured leaves, and it prints one {@link Result}
 * line.
 *
 * <p>{@code ClientRun <client> <endpoint> <threads> <warm-up leaves> <measured leaves>}; users are
 * {@code sdk.u0}, {@code sdk.u1}, ...
 */
public final class ClientRun {
  /** The line the benchmark reads; everything else the JVM prints is only kept for errors. */
  static final String MARKER = "SDK-HTTP-RESULT ";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ClientRun() {}

  /** One measured window of one client. CPU in ms, latencies in ms, shares 0..1. */
  public record Result(
      String client,
      int threads,
      long calls,
      long leaves,
      double seconds,
      double processCpuMillis,
      Map<String, Double> cpuMillisByRole,
      Map<String, Double> clientThreadsMillis,
      double p50Millis,
      double p99Millis,
      double idleShare,
      double othersShare) {

    /**
     * The steady-state cost of a call: the whole process's CPU less its JIT compiler threads, which
     * compile once in a long-running provisioner but are still busy after a short warm-up.
     */
    double cpuMicrosPerCall() {
      return (processCpuMillis - cpuMillisByRole.getOrDefault(JIT, 0.0)) * 1000 / calls;
    }

    /** Everything the process used, the JIT compiler included. */
    double processCpuMicrosPerCall() {
      return processCpuMillis * 1000 / calls;
    }

    double callsPerSecond() {
      return calls / seconds;
    }

    /** Share (%) of the process's CPU that threads of one role used. */
    double sharePercent(String role) {
      return 100 * cpuMillisByRole.getOrDefault(role, 0.0) / processCpuMillis;
    }

    String line() throws Exception {
      return MARKER + JSON.writeValueAsString(this);
    }

    /** The result in a run's output, or null. */
    static Result parse(String output) throws Exception {
      Result found = null;
      for (String line : output.split("\n")) {
        if (line.startsWith(MARKER)) {
          found = JSON.readValue(line.substring(MARKER.length()), Result.class);
        }
      }
      return found;
    }
  }

  static final String SANDBOX = "IAM sandbox (the benchmark's JVM)";

  /**
   * Share (0..1) of the machine's CPU time in the window that neither this JVM nor the sandbox's
   * used: other people's load, which makes the figures invalid. The machine is busy by design while
   * a client runs, so its idle share alone says nothing.
   */
  static double othersShare(Usage.Window w) {
    double ours = w.cpuMillis().values().stream().mapToDouble(ms -> Math.max(0, ms)).sum() / 1000;
    double machine = w.seconds() * Runtime.getRuntime().availableProcessors();
    double busy = (1 - w.idleShare()) * machine;
    return machine <= 0 || Double.isNaN(busy) ? Double.NaN : Math.max(0, busy - ours) / machine;
  }

  /** Thread roles, by the name the kernel knows a thread by (15 characters at most). */
  static final String CALLING = "calling threads";

  static final String JIT = "JIT compiler";
  static final String JVM = "GC and JVM";
  static final String CLIENT = "other threads (the HTTP client's, the SDK's)";

  static String role(String threadName) {
    if (threadName.startsWith("bench-load-sdk")) {
      return CALLING;
    }
    if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
      return JIT;
    }
    // Serial GC collects in the VM thread; the rest are the JVM's housekeeping and main, which
    // waits.
    if (Set.of(
                "VM Thread",
                "VM Periodic Tas",
                "Service Thread",
                "Monitor Deflati",
                "Signal Dispatch",
                "Reference Handl",
                "Reference Reape",
                "Sweeper thread",
                "Finalizer",
                "Common-Cleaner",
                "Notification Th",
                "Attach Listener",
                "java")
            .contains(threadName)
        || threadName.startsWith("GC Thread")
        || threadName.startsWith("G1 ")) {
      return JVM;
    }
    return CLIENT;
  }

  static String user(int i) {
    return "sdk.u" + i;
  }

  public static void main(String[] args) throws Exception {
    HttpClientKind kind = HttpClientKind.of(args[0]);
    URI endpoint = URI.create(args[1]);
    int threads = Integer.parseInt(args[2]);
    int warmUp = Integer.parseInt(args[3]);
    int measured = Integer.parseInt(args[4]);
    System.out.println(run(kind, endpoint, threads, warmUp, measured).line());
    System.exit(0);
  }

  static Result run(HttpClientKind kind, URI endpoint, int threads, int warmUp, int measured)
      throws Exception {
    AtomicInteger n = new AtomicInteger();
    // Named so that their CPU is told apart from the JVM's and the HTTP client's own threads.
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "bench-load-sdk-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try (SdkHttpClient http = kind.http();
        IamClient iam = HttpClientKind.iam(http, endpoint)) {
      Calls calls = new Calls();
      IamClient timed = calls.around(iam);
      leaves(pool, threads, timed, 0, warmUp);
      calls.restart();
      // The parent is the benchmark's JVM, which hosts the IAM sandbox: what neither uses is idle
      // or someone else's.
      Usage usage =
          Usage.start(
              ProcessHandle.current().parent().map(h -> Map.of(SANDBOX, h.pid())).orElse(Map.of()));
      Map<String, Double> threadsBefore = Cpu.threadMillisByName();
      long t0 = System.nanoTime();
      leaves(pool, threads, timed, warmUp, warmUp + measured);
      double seconds = (System.nanoTime() - t0) / 1e9;
      Map<String, Double> threadsAfter = Cpu.threadMillisByName();
      Usage.Window w = usage.stop();
      Latency.Summary latency = calls.latency().summary();
      Map<String, Double> byRole = new TreeMap<>();
      Map<String, Double> client = new TreeMap<>();
      threadsAfter.forEach(
          (name, ms) -> {
            double used = ms - threadsBefore.getOrDefault(name, 0.0);
            byRole.merge(role(name), used, Double::sum);
            if (role(name).equals(CLIENT) && used > 0) {
              client.put(name, used);
            }
          });
      return new Result(
          kind.label(),
          threads,
          calls.count(),
          measured,
          seconds,
          w.millis(Usage.HARNESS),
          byRole,
          client,
          latency.p50(),
          latency.p99(),
          w.idleShare(),
          othersShare(w));
    } finally {
      pool.shutdownNow();
    }
  }

  /** Users {@code from} (inclusive) to {@code to} (exclusive), {@code threads} at a time. */
  private static void leaves(ExecutorService pool, int threads, IamClient iam, int from, int to)
      throws Exception {
    AtomicInteger next = new AtomicInteger(from);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                  DirectIam.leave(iam, user(i));
                }
              }));
    }
    for (Future<?> w : workers) {
      w.get();
    }
  }

  /**
   * Times and counts every IAM call made through a proxy of the client: the script calls the
   * client's own interface, so each call is timed once, around all the SDK does for it.
   */
  static final class Calls {
    private final AtomicReference<Latency> latency = new AtomicReference<>(new Latency());
    private final AtomicLong count = new AtomicLong();

    IamClient around(IamClient iam) {
      return (IamClient)
          Proxy.newProxyInstance(
              IamClient.class.getClassLoader(),
              new Class<?>[] {IamClient.class},
              (proxy, method, args) -> {
                if (!IamResponse.class.isAssignableFrom(method.getReturnType())) {
                  return method.invoke(iam, args);
                }
                long t = System.nanoTime();
                try {
                  Object answer = method.invoke(iam, args);
                  answered(t);
                  return answer;
                } catch (InvocationTargetException e) {
                  // "No such entity" is an answer too (no console password, say).
                  if (e.getCause() instanceof NoSuchEntityException) {
                    answered(t);
                  }
                  throw e.getCause();
                }
              });
    }

    private void answered(long startNanos) {
      latency.get().recordNanos(System.nanoTime() - startNanos);
      count.incrementAndGet();
    }

    void restart() {
      latency.set(new Latency());
      count.set(0);
    }

    Latency latency() {
      return latency.get();
    }

    long count() {
      return count.get();
    }
  }
}
