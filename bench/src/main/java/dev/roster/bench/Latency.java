package dev.roster.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Latencies in nanoseconds (HdrHistogram, 3 significant digits, up to 10 minutes). */
public final class Latency {
  private final Histogram histogram = new ConcurrentHistogram(TimeUnit.MINUTES.toNanos(10), 3);

  public void recordNanos(long nanos) {
    histogram.recordValue(Math.max(0, Math.min(nanos, histogram.getHighestTrackableValue())));
  }

  public void recordMillis(double millis) {
    recordNanos((long) (millis * 1_000_000));
  }

  public long count() {
    return histogram.getTotalCount();
  }

  public Summary summary() {
    return new Summary(
        histogram.getTotalCount(),
        ms(histogram.getValueAtPercentile(50)),
        ms(histogram.getValueAtPercentile(90)),
        ms(histogram.getValueAtPercentile(99)),
        ms(histogram.getValueAtPercentile(99.9)),
        ms(histogram.getMaxValue()));
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }

  /** Percentiles in milliseconds. */
  public record Summary(long count, double p50, double p90, double p99, double p999, double max) {
    @Override
    public String toString() {
      return "n=%d p50=%.2fms p90=%.2fms p99=%.2fms p99.9=%.2fms max=%.2fms"
          .formatted(count, p50, p90, p99, p999, max);
    }
  }
}
