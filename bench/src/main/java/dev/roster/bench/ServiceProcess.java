package dev.roster.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A packaged Quarkus app started as its own process, the way the stack runs services: {@code java
 * -Xmx.. -XX:+UseSerialGC -jar quarkus-run.jar}. Reads its RSS from /proc and its heap through
 * jcmd.
 */
public final class ServiceProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final int port;
  private final String xmx;

  private ServiceProcess(String name, Process process, int port, String xmx) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.xmx = xmx;
  }

  public static ServiceProcess start(
      String name, Path quarkusApp, String xmx, int port, Map<String, String> config, Path logs) {
    return start(name, quarkusApp, xmx, port, config, Map.of(), logs);
  }

  public static ServiceProcess start(
      String name,
      Path quarkusApp,
      String xmx,
      int port,
      Map<String, String> config,
      Map<String, String> env,
      Path logs) {
    Path jar = quarkusApp.resolve("quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it first (bench/run does)");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + xmx);
    // What a container with a small heap gets: serial GC, no parallel GC threads fighting the
    // load generator for the two cores. Same flags for every subject and baseline.
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Dquarkus.http.port=" + port);
    config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-jar");
    cmd.add(jar.toString());
    try {
      Files.createDirectories(logs);
      Path log = logs.resolve(name + ".log");
      ProcessBuilder builder = new ProcessBuilder(cmd);
      builder.environment().putAll(env);
      Process p = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new ServiceProcess(name, p, port, xmx);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code /q/health/ready} (or the given path) answers 200. */
  public ServiceProcess awaitReady(String path, Duration timeout) {
    awaitHttp200("http://127.0.0.1:" + port + path, timeout, () -> process.isAlive(), name);
    return this;
  }

  public static void awaitHttp200(
      String url, Duration timeout, java.util.function.BooleanSupplier alive, String what) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!alive.getAsBoolean()) {
        throw new IllegalStateException(what + " exited before it was ready");
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      pause(200);
    }
    throw new IllegalStateException(what + " not ready at " + url + " within " + timeout);
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  public String xmx() {
    return xmx;
  }

  public String name() {
    return name;
  }

  /** Resident set size now, MiB. */
  public double rssMiB() {
    return procStatusKiB(pid(), "VmRSS") / 1024.0;
  }

  /** Peak resident set size since start, MiB. */
  public double peakRssMiB() {
    return procStatusKiB(pid(), "VmHWM") / 1024.0;
  }

  public static long procStatusKiB(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  /** Java heap in use right now (all generations), MiB, from {@code jcmd GC.heap_info}. */
  public static double heapUsedMiB(long pid) {
    try {
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(pid),
                  "GC.heap_info")
              .redirectErrorStream(true)
              .start();
      String out = new String(jcmd.getInputStream().readAllBytes());
      jcmd.waitFor();
      Matcher m = HEAP_USED.matcher(out);
      long used = 0;
      boolean found = false;
      while (m.find()) {
        used += Long.parseLong(m.group(2));
        found = true;
      }
      return found ? used / 1024.0 : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
