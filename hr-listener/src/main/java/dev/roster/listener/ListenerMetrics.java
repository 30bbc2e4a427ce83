package dev.roster.listener;

import dev.roster.events.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code roster_events_accepted_total{type}} and {@code roster_events_rejected_total{reason}},
 * registered up front so that dashboards see zeros rather than gaps.
 */
@Singleton
public class ListenerMetrics {
  private final Map<EventType, Counter> accepted = new EnumMap<>(EventType.class);
  private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);

  public ListenerMetrics(MeterRegistry registry) {
    for (EventType type : EventType.values()) {
      accepted.put(
          type,
          Counter.builder("roster.events.accepted")
              .description("HR events acknowledged by Kafka and answered 202")
              .tag("type", type.wireName())
              .register(registry));
    }
    for (RejectReason reason : RejectReason.values()) {
      rejected.put(
          reason,
          Counter.builder("roster.events.rejected")
              .description("Requests refused, by reason")
              .tag("reason", reason.tag())
              .register(registry));
    }
  }

  public void accepted(EventType type) {
    accepted.get(type).increment();
  }

  public void rejected(RejectReason reason) {
    rejected.get(reason).increment();
  }
}
