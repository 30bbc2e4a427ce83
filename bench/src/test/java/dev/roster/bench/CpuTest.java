package dev.roster.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The /proc parsing behind CPU per unit of work and the machine's idle share, and the spread. */
class CpuTest {
  @Test
  void processTimesAreFields14To17CountedFromTheLastParenthesis() {
    // A command name with a space and a parenthesis, as Java's threads and launchers can have.
    String stat =
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 89 10 20 0 42 0 99 0 0";
    assertThat(Cpu.parseStat(stat)).containsExactly(1234, 567, 89, 10);
  }

  @Test
  void ownProcessHasCpuTime() {
    assertThat(Cpu.processMillis(ProcessHandle.current().pid())).isGreaterThan(0);
    assertThat(Cpu.processMillis(Long.MAX_VALUE)).isEqualTo(-1);
  }

  @Test
  void threadsAreSeenByTheirKernelName() throws Exception {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    double[] seen = new double[1];
    Thread busy =
        new Thread(
            () -> {
              while (threads.getCurrentThreadCpuTime() < 60_000_000L) {
                Thread.onSpinWait();
              }
              // Read by the thread itself, while it is alive: ended threads are not counted.
              seen[0] = Cpu.threadMillisByName().getOrDefault("cpu-test-busy", 0.0);
            },
            "cpu-test-busy");
    busy.start();
    busy.join();
    // 60 ms of CPU, seen in 10-ms ticks.
    assertThat(seen[0]).isGreaterThanOrEqualTo(40);
  }

  @Test
  void idleCountsIowaitAndStealIsItsOwnShare() {
    Cpu.Machine before = Cpu.Machine.parse("cpu  100 0 100 700 100 0 0 0 0 0");
    Cpu.Machine after = Cpu.Machine.parse("cpu  200 0 200 1200 100 0 0 300 0 0");
    // 1000 ticks elapsed: 500 idle (idle 500 + iowait 0), 300 steal.
    assertThat(after.idleSince(before)).isCloseTo(0.5, within(1e-9));
    assertThat(after.stealSince(before)).isCloseTo(0.3, within(1e-9));
  }

  @Test
  void spreadIsMedianAndMinMax() {
    Spread s = Spread.of(List.of(3.0, 1.0, 2.0));
    assertThat(s.median()).isEqualTo(2.0);
    assertThat(s.min()).isEqualTo(1.0);
    assertThat(s.max()).isEqualTo(3.0);
    assertThat(Spread.of(List.of(1.0, 4.0, Double.NaN)).median()).isEqualTo(2.5);
  }

  @Test
  void kubernetesQuantitiesInMebibytes() {
    assertThat(Manifests.mebibytes("512Mi")).isEqualTo(512);
    assertThat(Manifests.mebibytes("1Gi")).isEqualTo(1024);
  }
}
