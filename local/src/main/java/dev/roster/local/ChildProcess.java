package dev.roster.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One process of the stack (a service): its output goes, line by line, to a log file and to a sink
 * with the process's name as prefix, and the last lines are kept for the one sentence the launcher
 * prints when it dies during start-up.
 */
final class ChildProcess {
  private final String name;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path logFile;
  private final Consumer<String> sink;
  private final Deque<String> tail = new ArrayDeque<>();
  private Process process;

  ChildProcess(
      String name,
      List<String> command,
      Map<String, String> env,
      Path logFile,
      Consumer<String> sink) {
    this.name = name;
    this.command = List.copyOf(command);
    this.env = Map.copyOf(env);
    this.logFile = logFile;
    this.sink = sink;
  }

  synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    try {
      Files.createDirectories(logFile.getParent());
      process = pb.start();
    } catch (IOException e) {
      throw new LauncherException("Cannot start " + name + ": " + e.getMessage() + ".", e);
    }
    synchronized (tail) {
      tail.clear();
    }
    Process p = process;
    Thread pump = new Thread(() -> pump(p), "log-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  private void pump(Process p) {
    String prefix = String.format("%-12s| ", name);
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer log =
            Files.newBufferedWriter(
                logFile,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        log.write(line);
        log.write('\n');
        log.flush();
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > 40) {
            tail.removeFirst();
          }
        }
        sink.accept(prefix + line);
      }
    } catch (IOException e) {
      // The process is gone; its exit code tells the rest.
    }
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  synchronized int exitCode() {
    return process == null || process.isAlive() ? -1 : process.exitValue();
  }

  /** kill -9: no shutdown hooks, no goodbye, like a crashed node. */
  synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    waitFor(process, 10);
  }

  /** SIGTERM, then SIGKILL after a grace period. */
  synchronized void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!waitFor(process, 15)) {
      process.destroyForcibly();
      waitFor(process, 5);
    }
  }

  /** The most telling recent line: the last ERROR if any, else the last line. */
  String lastError() {
    List<String> lines;
    synchronized (tail) {
      lines = new ArrayList<>(tail);
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      String l = lines.get(i);
      if (l.contains("ERROR") || l.contains("Exception") || l.contains("Caused by")) {
        return l.strip();
      }
    }
    return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).strip();
  }

  Path logFile() {
    return logFile;
  }

  private static boolean waitFor(Process p, int seconds) {
    try {
      return p.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
