package dev.roster.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A process's memory as the figures report it: RSS from /proc, heap in use through jcmd. */
public final class ProcessMemory {
  private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  private ProcessMemory() {}

  /** Resident set size now, MiB. */
  public static double rssMiB(long pid) {
    return procStatusKiB(pid, "VmRSS") / 1024.0;
  }

  /** Peak resident set size since start, MiB. */
  public static double peakRssMiB(long pid) {
    return procStatusKiB(pid, "VmHWM") / 1024.0;
  }

  private static long procStatusKiB(long pid, String field) {
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
}
