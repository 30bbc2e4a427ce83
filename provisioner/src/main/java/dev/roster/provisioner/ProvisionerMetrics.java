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
 * roster_provisioning_lag_seconds} from the event's {@code effectiveAt} to its completion; for
 * leaves, {@code roster_leaver_cutoff_seconds} (effectiveAt to cutOffAt: how long a leaver kept
 * access) and {@code roster_leaver_completion_seconds} (effectiveAt to the end of the cleanup). IAM
 * call and retry counters live in {@link dev.roster.provisioner.iam.Retrier}.
 */
@ApplicationScoped
public class ProvisionerMetrics {
  private final MeterRegistry registry;
  private final Timer lag;
  private final Timer cutOff;
  private final Timer leaverDone;

  public ProvisionerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.lag =
        Timer.builder("roster.provisioning.lag")
            .description("effectiveAt of an HR event to the completion of its IAM changes")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(10))
            .maximumExpectedValue(Duration.ofHours(1))
            .register(registry);
    this.cutOff =
        histogram(
            registry,
            "roster.leaver.cutoff",
            "effectiveAt of a leave to its cutOffAt (deny-all in place in every account)");
    this.leaverDone =
        histogram(
            registry,
            "roster.leaver.completion",
            "effectiveAt of a leave to the completion of its cleanup in every account");
  }

  private static Timer histogram(MeterRegistry registry, String name, String description) {
    return Timer.builder(name)
        .description(description)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofHours(1))
        .register(registry);
  }

  private static Duration since(HrEvent event, java.time.OffsetDateTime at) {
    Duration d = Duration.between(event.effectiveOrOccurred(), at);
    return d.isNegative() ? Duration.ZERO : d; // a future effectiveAt (applied at once) is no delay
  }

  public void processed(HrEvent event, Result result) {
    Outcome outcome = result.outcome().outcome();
    registry
        .counter("roster.events", "type", event.type().wireName(), "outcome", outcome.wireName())
        .increment();
    if (outcome == Outcome.COMPLETED) {
      lag.record(since(event, result.outcome().completedAt()));
    }
    if (event.type() == dev.roster.events.EventType.LEAVE) {
      if (result.outcome().cutOffAt() != null) {
        cutOff.record(since(event, result.outcome().cutOffAt()));
      }
      if (outcome == Outcome.COMPLETED) {
        leaverDone.record(since(event, result.outcome().completedAt()));
      }
    }
  }

  public void malformed() {
    registry
        .counter("roster.events", "type", "unknown", "outcome", Outcome.FAILED.wireName())
        .increment();
  }
}
