package dev.roster.listener.messaging;

import dev.roster.events.CloudEventHeaders;
import dev.roster.events.EventJson;
import dev.roster.events.HrEvent;
import dev.roster.events.Topics;
import dev.roster.listener.config.ListenerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes HR events to {@link Topics#HR_EVENTS} as CloudEvents 1.0 in binary mode, keyed by
 * employee id, and returns only once the broker acknowledged every record (acks=all).
 *
 * <p>Blocking by design: it runs on a worker thread, and the HTTP answer must wait for the ack.
 */
@ApplicationScoped
public class EventPublisher {
  private final Producer<String, byte[]> producer;
  private final ListenerConfig config;
  private final Timer acked;
  private final Timer failed;

  public EventPublisher(
      Producer<String, byte[]> producer, ListenerConfig config, MeterRegistry registry) {
    this.producer = producer;
    this.config = config;
    this.acked = publishTimer(registry, "acked");
    this.failed = publishTimer(registry, "failed");
  }

  private static Timer publishTimer(MeterRegistry registry, String outcome) {
    return Timer.builder("roster.events.publish")
        .description("Time from send to the broker's acknowledgement of an HTTP request's events")
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  /**
   * Sends all events, then waits for every acknowledgement within the publish timeout.
   *
   * @throws PublishException if any record was not acknowledged in time; some of the others may
   *     have been written (HR retries, downstream is idempotent on eventId)
   */
  public void publish(List<HrEvent> events) throws PublishException {
    long start = System.nanoTime();
    long deadline = start + config.publish().timeout().toNanos() + Acks.GRACE_NANOS;
    try {
      List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
      for (HrEvent event : events) {
        acks.add(Acks.send(producer, record(event)));
      }
      for (Future<RecordMetadata> ack : acks) {
        Acks.await(ack, deadline);
      }
      acked.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    } catch (PublishException e) {
      failed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      throw e;
    }
  }

  ProducerRecord<String, byte[]> record(HrEvent event) {
    byte[] value;
    try {
      value = EventJson.mapper().writeValueAsBytes(event);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize event " + event.eventId(), e);
    }
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.HR_EVENTS, event.employeeId(), value);
    CloudEventHeaders.of(
            event.eventId(),
            event.type().cloudEventType(),
            config.hrSource(),
            event.occurredAt(),
            event.employeeId())
        .forEach(record.headers()::add);
    return record;
  }
}
