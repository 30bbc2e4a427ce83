package dev.roster.bench;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One measured figure beside its same-run baseline. {@code ratio} is value / baseline; {@code met}
 * says whether the target holds (null when the figure has no target or no value).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Figure(
    String name,
    String unit,
    Double value,
    String baselineName,
    Double baseline,
    Double ratio,
    String target,
    Boolean met,
    String note) {

  public static Figure of(String name, String unit, double value) {
    return new Figure(name, unit, value, null, null, null, null, null, null);
  }

  /** A figure that could not be measured in this run, with the reason. */
  public static Figure missing(String name, String unit, String why) {
    return new Figure(name, unit, null, null, null, null, null, null, why);
  }

  public Figure vs(String baselineName, double baseline) {
    Double r = value == null || baseline == 0 ? null : value / baseline;
    return new Figure(name, unit, value, baselineName, baseline, r, target, met, note);
  }

  /** A target on the ratio (higher is better): met when ratio ≥ minRatio. */
  public Figure targetRatioAtLeast(double minRatio) {
    return withTarget(
        "≥ %.0f %% of baseline".formatted(minRatio * 100),
        ratio == null ? null : ratio >= minRatio);
  }

  /** A target on the ratio (lower is better): met when ratio ≤ maxRatio. */
  public Figure targetRatioAtMost(double maxRatio) {
    return withTarget(
        "≤ %.0f %% of baseline".formatted(maxRatio * 100),
        ratio == null ? null : ratio <= maxRatio);
  }

  /** An absolute target where lower is better, the limit included. */
  public Figure targetAtMost(double limit) {
    return withTarget(
        "≤ " + Report.number(limit) + " " + unit, value == null ? null : value <= limit);
  }

  /** An absolute target where lower is better (latency, memory). */
  public Figure targetBelow(double limit) {
    return withTarget(
        "< " + Report.number(limit) + " " + unit, value == null ? null : value < limit);
  }

  /** An absolute target where higher is better (throughput). */
  public Figure targetAtLeast(double limit) {
    return withTarget(
        "≥ " + Report.number(limit) + " " + unit, value == null ? null : value >= limit);
  }

  /** An exact target (lost and duplicated events: 0). */
  public Figure targetEquals(double expected) {
    return withTarget("= " + Report.number(expected), value == null ? null : value == expected);
  }

  private Figure withTarget(String text, Boolean isMet) {
    return new Figure(name, unit, value, baselineName, baseline, ratio, text, isMet, note);
  }

  public Figure note(String text) {
    return new Figure(name, unit, value, baselineName, baseline, ratio, target, met, text);
  }
}
