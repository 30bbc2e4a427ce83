package dev.roster.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A packaged Quarkus application (one of the three services, or a benchmark's baseline app) run as
 * a child process: {@code java <options> -jar target/quarkus-app/quarkus-run.jar} on 127.0.0.1 at
 * its port, ready when {@code /q/health/ready} answers 200.
 */
public final class ServicePart implements Part {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Path jar;
  private final int port;
  private final ChildProcess process;
  private final Duration readyTimeout;

  /**
   * @param env the application's configuration; the HTTP port and host are added here
   * @param sink where its output goes line by line, prefixed with its name (besides the log file)
   */
  public ServicePart(
      String name,
      Path jar,
      int port,
      List<String> jvmOptions,
      Map<String, String> env,
      Path logFile,
      Consumer<String> sink,
      Duration readyTimeout) {
    this.name = name;
    this.jar = jar;
    this.port = port;
    this.readyTimeout = readyTimeout;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    Map<String, String> all = new LinkedHashMap<>();
    all.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    all.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    all.putAll(env);
    this.process = new ChildProcess(name, command, all, logFile, sink);
  }

  /** The packaged application of a Quarkus module ({@code hr-listener}, {@code bench/...}). */
  public static Path jar(Path root, String module) {
    return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int port() {
    return port;
  }

  public boolean isPackaged() {
    return Files.isRegularFile(jar);
  }

  @Override
  public void start() {
    if (!isPackaged()) {
      throw new LauncherException(
          "The "
              + name
              + " jar is missing ("
              + shown(jar)
              + "): build it with ./mvnw -q -DskipTests package.");
    }
    process.start();
  }

  @Override
  public void stop() {
    process.stop();
  }

  @Override
  public void kill() {
    process.kill();
  }

  @Override
  public boolean isRunning() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public Health health() {
    return probeReady(port);
  }

  /**
   * Waits for {@code /q/health/ready}; a process that exits first, or is not ready in time, fails
   * with its most telling log line.
   */
  @Override
  public void awaitReady() {
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new LauncherException(
            name
                + " stopped during start-up (exit code "
                + process.exitCode()
                + "): "
                + process.lastError()
                + " (full log: "
                + process.logFile()
                + ").");
      }
      if (health().up()) {
        return;
      }
      pause(250);
    }
    throw new LauncherException(
        name
            + " was not ready within "
            + readyTimeout.toSeconds()
            + " s: "
            + process.lastError()
            + " (full log: "
            + process.logFile()
            + ").");
  }

  static Health probeReady(int port) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200
          ? Health.up("ready")
          : Health.down("not ready (HTTP " + r.statusCode() + ")");
    } catch (IOException e) {
      return Health.down("not answering");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.down("interrupted");
    }
  }

  /** The jar relative to the working directory when it is below it, as the user typed paths. */
  private static Path shown(Path jar) {
    Path cwd = Path.of("").toAbsolutePath();
    return jar.startsWith(cwd) ? cwd.relativize(jar) : jar;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // polling a child process's port; nothing to wait on instead
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LauncherException("Interrupted while starting the stack.", e);
    }
  }
}
