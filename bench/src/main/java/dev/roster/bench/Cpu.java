package dev.roster.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time from {@code /proc}: per process ({@code /proc/<pid>/stat}: utime + stime) and for the
 * whole machine ({@code /proc/stat}: the idle and steal shares), so a figure can say what a unit of
 * work cost and how busy the machine was while it was measured.
 */
public final class Cpu {
  /** USER_HZ: the unit of the {@code /proc} tick counts; 100 on every Linux the project runs on. */
  static final double MILLIS_PER_TICK = 1000.0 / Long.getLong("bench.clock-ticks", 100);

  private Cpu() {}

  /** utime + stime of one process in ms; -1 when the process is gone (or there is no /proc). */
  public static double processMillis(long pid) {
    long[] t = times(pid);
    return t == null ? -1 : (t[0] + t[1]) * MILLIS_PER_TICK;
  }

  /**
   * A process with all its descendants alive now, plus what its reaped children used (cutime +
   * cstime): PostgreSQL's postmaster and its backends, for instance.
   */
  public static double treeMillis(long pid) {
    long[] t = times(pid);
    if (t == null) {
      return -1;
    }
    double ms = (t[0] + t[1] + t[2] + t[3]) * MILLIS_PER_TICK;
    for (ProcessHandle child :
        ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of())) {
      long[] c = times(child.pid());
      if (c != null) {
        ms += (c[0] + c[1]) * MILLIS_PER_TICK;
      }
    }
    return ms;
  }

  /**
   * CPU ms of each live thread of this process, by thread name as the kernel knows it ({@code
   * /proc/self/task/<tid>/comm}, at most 15 characters), summed over threads of the same name.
   * Unlike {@code ThreadMXBean} this sees native threads too (the AWS CRT's event loops, say).
   * Threads that have ended are not counted.
   */
  public static Map<String, Double> threadMillisByName() {
    Map<String, Double> out = new TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          long[] t = parseStat(Files.readString(task.resolve("stat")));
          out.merge(name, (t[0] + t[1]) * MILLIS_PER_TICK, Double::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      // no /proc: nothing to split
    }
    return out;
  }

  /** utime, stime, cutime, cstime of a process in ticks, or null. */
  static long[] times(long pid) {
    try {
      return parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Fields 14–17 of a {@code /proc/<pid>/stat} line. The command name (field 2) is in parentheses
   * and may hold spaces, so fields are counted from the last ')'.
   */
  static long[] parseStat(String line) {
    String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
    // f[0] is field 3 (state): field n is f[n - 3].
    return new long[] {
      Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])
    };
  }

  /** The machine's CPU ticks since boot, from the first line of {@code /proc/stat}. */
  public record Machine(long total, long idle, long steal) {
    public static Machine now() {
      try {
        return parse(Files.readAllLines(Path.of("/proc/stat")).get(0));
      } catch (IOException | RuntimeException e) {
        return new Machine(0, 0, 0);
      }
    }

    /** {@code cpu user nice system idle iowait irq softirq steal ...}: idle counts iowait too. */
    static Machine parse(String cpuLine) {
      String[] f = cpuLine.trim().split("\\s+");
      long total = 0;
      // guest and guest_nice (fields 9, 10) are already inside user and nice.
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
      long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
      return new Machine(total, idle, steal);
    }

    /** Idle share (0..1) of the machine between {@code earlier} and this sample; NaN if none. */
    public double idleSince(Machine earlier) {
      long dt = total - earlier.total;
      return dt <= 0 ? Double.NaN : (double) (idle - earlier.idle) / dt;
    }

    /** Steal share (0..1): time the hypervisor gave the machine's vCPUs to someone else. */
    public double stealSince(Machine earlier) {
      long dt = total - earlier.total;
      return dt <= 0 ? Double.NaN : (double) (steal - earlier.steal) / dt;
    }
  }
}
