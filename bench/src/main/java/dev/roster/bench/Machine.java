package dev.roster.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a result was measured on: a figure without it means little. */
public record Machine(
    int cores,
    long memoryMiB,
    String cpu,
    String jdk,
    String os,
    double loadAverageAtStart,
    String benchHeap) {

  public static Machine current() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    long memory =
        os instanceof com.sun.management.OperatingSystemMXBean sun
            ? sun.getTotalMemorySize() / (1024 * 1024)
            : -1;
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        memory,
        cpuModel(),
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        os.getSystemLoadAverage(),
        "-Xmx" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "m");
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  public String oneLine() {
    return "%d cores (%s), %d MiB RAM, %s, %s, load average at start %.2f"
        .formatted(cores, cpu, memoryMiB, jdk, os, loadAverageAtStart);
  }
}
