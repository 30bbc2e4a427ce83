package dev.roster.auditor.console;

import dev.roster.auditor.query.Views.Leaver;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Leavers page's histogram of cut-off lag (effectiveAt to the deny-all in the last account), in
 * buckets relative to the objective so that the SLO line always falls between two bars. Leaves
 * without a cut-off lag (not applied yet, or not cut off everywhere) are counted apart: they are
 * not "fast", they are open.
 */
public record CutOffHistogram(List<Bar> bars, String slo, int withoutCutOff, int overSlo) {

  /** Upper bounds of the buckets as multiples of the SLO; the last bucket is open-ended. */
  private static final double[] BOUNDS = {0.25, 0.5, 1, 2, 5, 10};

  /** One bucket: its label, how many leaves, the bar's width in percent of the largest. */
  public record Bar(String label, int count, int widthPercent, boolean overSlo, boolean sloAbove) {}

  public static CutOffHistogram of(List<Leaver> leavers, Duration slo) {
    double sloSeconds = slo.toNanos() / 1e9;
    int[] counts = new int[BOUNDS.length + 1];
    int without = 0;
    for (Leaver l : leavers) {
      Double lag = l.cutOffLagSeconds();
      if (lag == null) {
        without++;
        continue;
      }
      int i = 0;
      while (i < BOUNDS.length && lag > BOUNDS[i] * sloSeconds) {
        i++;
      }
      counts[i]++;
    }
    int max = 1;
    for (int c : counts) {
      max = Math.max(max, c);
    }
    List<Bar> bars = new ArrayList<>();
    int over = 0;
    for (int i = 0; i < counts.length; i++) {
      String label =
          i < BOUNDS.length
              ? "≤ " + seconds(BOUNDS[i] * sloSeconds)
              : "> " + seconds(BOUNDS[BOUNDS.length - 1] * sloSeconds);
      boolean overSlo = i > 0 && BOUNDS[i - 1] >= 1;
      if (overSlo) {
        over += counts[i];
      }
      // The SLO line sits above the first bucket past the objective.
      boolean sloAbove = i > 0 && BOUNDS[i - 1] == 1;
      bars.add(new Bar(label, counts[i], counts[i] * 100 / max, overSlo, sloAbove));
    }
    return new CutOffHistogram(List.copyOf(bars), seconds(sloSeconds), without, over);
  }

  /** {@code 0.25 s}, {@code 2 s}, {@code 10 s}: short, exact enough for a label. */
  static String seconds(double s) {
    return BigDecimal.valueOf(s).stripTrailingZeros().toPlainString() + " s";
  }
}
