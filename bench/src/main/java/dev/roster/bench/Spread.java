package dev.roster.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Repeated measurements of one figure: the median is reported, min–max shows the spread. */
public record Spread(double median, double min, double max, int n) {
  public static Spread of(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    v.removeIf(x -> x == null || x.isNaN());
    if (v.isEmpty()) {
      return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    Collections.sort(v);
    int k = v.size();
    double median = k % 2 == 1 ? v.get(k / 2) : (v.get(k / 2 - 1) + v.get(k / 2)) / 2;
    return new Spread(median, v.get(0), v.get(k - 1), k);
  }

  /** "median of 3, spread 12.1–13.4". */
  @Override
  public String toString() {
    return "median of %d, spread %s–%s".formatted(n, Report.number(min), Report.number(max));
  }
}
