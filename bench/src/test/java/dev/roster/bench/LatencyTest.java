package dev.roster.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyTest {

  @Test
  void percentilesOfOneToAThousandMillisecondsAreWhereTheyShouldBe() {
    Latency latency = new Latency();
    for (int ms = 1; ms <= 1000; ms++) {
      latency.recordMillis(ms);
    }
    Latency.Summary s = latency.summary();
    assertThat(s.count()).isEqualTo(1000);
    // HdrHistogram keeps 3 significant digits: 0.1 % relative error at most.
    assertThat(s.p50()).isCloseTo(500, within(1.0));
    assertThat(s.p99()).isCloseTo(990, within(1.0));
    assertThat(s.max()).isCloseTo(1000, within(1.0));
  }
}
