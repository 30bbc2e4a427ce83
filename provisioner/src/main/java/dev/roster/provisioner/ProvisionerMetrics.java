package dev.roster.provisioner;

import dev.roster.events.HrEvent;
import dev.roster.events.Outcome;
import dev.roster.provisioner.Provisioner.Result;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Event metrics: {@code roster_events_total{type,outcome}} and the histogram {@code
 * roster_provisioning_lag_seconds} from the event's {@code effectiveAt} to its completion (how long
 * a leaver kept access). IAM call and retry counters live in {@link
 * dev.roster.provisioner.iam.Retrier}.
 */
@ApplicationScoped
public class ProvisionerMetrics {
  private final MeterRegistry registry;
  private final Timer lag;

  public ProvisionerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.lag =
        Timer.builder("roster.provisioning.lag")
            .description("effectiveAt of an HR event to the completion of its IAM changes")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(10))
            .maximumExpectedValue(Duration.ofHours(1))
            .register(registry);
  }

  public void processed(HrEvent event, Result result) {
    Outcome outcome = result.outcome().outcome();
    registry
        .counter("roster.events", "type", event.type().wireName(), "outcome", outcome.wireName())
        .increment();
    if (outcome == Outcome.COMPLETED) {
      Duration d = Duration.between(event.effectiveOrOccurred(), result.outcome().completedAt());
      // A future effectiveAt (applied at once) is not a delay.
      lag.record(d.isNegative() ? Duration.ZERO : d);
    }
  }

  public void malformed() {
    registry
        .counter("roster.events", "type", "unknown", "outcome", Outcome.FAILED.wireName())
        .increment();
  }
}
