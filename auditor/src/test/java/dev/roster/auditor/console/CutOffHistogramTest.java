package dev.roster.auditor.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.auditor.query.Views.Leaver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Buckets relative to the SLO; the line above the first bucket past it; no cut-off apart. */
class CutOffHistogramTest {
  private static Leaver leaver(Double cutOffLagSeconds) {
    return new Leaver(
        "E1",
        "evt",
        Instant.EPOCH,
        null,
        null,
        null,
        null,
        null,
        cutOffLagSeconds,
        null,
        0,
        false,
        List.of(),
        List.of(),
        cutOffLagSeconds == null);
  }

  @Test
  void countsLagsIntoBucketsAroundTheSlo() {
    var h =
        CutOffHistogram.of(
            List.of(
                leaver(0.1), leaver(0.5), leaver(1.0), leaver(1.01), leaver(30.0), leaver(null)),
            Duration.ofSeconds(1));
    assertThat(h.bars())
        .extracting(CutOffHistogram.Bar::label)
        .containsExactly("≤ 0.25 s", "≤ 0.5 s", "≤ 1 s", "≤ 2 s", "≤ 5 s", "≤ 10 s", "> 10 s");
    assertThat(h.bars())
        .extracting(CutOffHistogram.Bar::count)
        .as("a lag equal to a bound is in that bucket")
        .containsExactly(1, 1, 1, 1, 0, 0, 1);
    assertThat(h.bars())
        .extracting(CutOffHistogram.Bar::sloAbove)
        .containsExactly(false, false, false, true, false, false, false);
    assertThat(h.bars())
        .extracting(CutOffHistogram.Bar::overSlo)
        .containsExactly(false, false, false, true, true, true, true);
    assertThat(h.overSlo()).isEqualTo(2);
    assertThat(h.withoutCutOff()).isEqualTo(1);
    assertThat(h.slo()).isEqualTo("1 s");
    assertThat(h.bars().get(0).widthPercent()).isEqualTo(100);
  }

  @Test
  void scalesWithTheSloAndSurvivesAnEmptyReport() {
    var h = CutOffHistogram.of(List.of(), Duration.ofMillis(500));
    assertThat(h.bars().get(2).label()).isEqualTo("≤ 0.5 s");
    assertThat(h.bars()).allMatch(b -> b.count() == 0 && b.widthPercent() == 0);
  }
}
