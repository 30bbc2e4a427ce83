package dev.roster.listener;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.events.EventValidator;
import dev.roster.events.FieldError;
import dev.roster.events.HrEvent;
import dev.roster.events.SignatureVerdict;
import dev.roster.events.Validation;
import dev.roster.events.WebhookSignature;
import dev.roster.listener.config.ListenerConfig;
import dev.roster.listener.messaging.EventPublisher;
import dev.roster.listener.messaging.PublishException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * What happens to a posted body, in order: size, signature over the raw bytes, JSON, every rule,
 * then Kafka. Each step refuses with a {@link Rejection}; nothing is published unless every event
 * of the request is valid.
 */
@ApplicationScoped
public class EventIntake {
  /** 1 MiB: an HR event is a few hundred bytes, a full batch well under this. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  public static final int MAX_BATCH = 1000;

  private final WebhookSignature signature;
  private final EventPublisher publisher;
  private final ListenerMetrics metrics;
  private final ZoneId defaultZone;
  private final Clock clock = Clock.systemUTC();

  public EventIntake(
      WebhookSignature signature,
      EventPublisher publisher,
      ListenerMetrics metrics,
      ListenerConfig config) {
    this.signature = signature;
    this.publisher = publisher;
    this.metrics = metrics;
    this.defaultZone = config.defaultTimeZone();
  }

  /** One event: returns it once Kafka acknowledged it. */
  public HrEvent acceptOne(String signatureHeader, byte[] body) {
    JsonNode json = readSigned(signatureHeader, body);
    Validation result = validate(json);
    if (!result.isValid()) {
      throw new Rejection(
          RejectReason.INVALID_EVENT, describe(result.errors().size()), result.errors());
    }
    publish(List.of(result.event()));
    return result.event();
  }

  /** A JSON array of events: all valid or none published; returns them once all are acked. */
  public List<HrEvent> acceptBatch(String signatureHeader, byte[] body) {
    JsonNode json = readSigned(signatureHeader, body);
    if (!json.isArray()) {
      throw new Rejection(
          RejectReason.INVALID_BATCH,
          "the body must be a JSON array of events",
          List.of(new FieldError("", "must be a JSON array of events")));
    }
    if (json.isEmpty() || json.size() > MAX_BATCH) {
      throw new Rejection(
          RejectReason.INVALID_BATCH,
          "a batch holds 1 to " + MAX_BATCH + " events, this one " + json.size(),
          List.of(new FieldError("", "must hold 1 to " + MAX_BATCH + " events")));
    }
    List<HrEvent> events = new ArrayList<>(json.size());
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      Validation result = validate(json.get(i));
      if (result.isValid()) {
        events.add(result.event());
      } else {
        String prefix = "/" + i;
        result.errors().forEach(e -> errors.add(e.under(prefix)));
      }
    }
    if (!errors.isEmpty()) {
      throw new Rejection(
          RejectReason.INVALID_EVENT,
          describe(errors.size()) + " in " + (json.size() - events.size()) + " of the events",
          errors);
    }
    publish(events);
    return events;
  }

  /**
   * Every rule of the contract (a date-only effectiveAt read in the employee's zone, else the
   * configured default), then the clock rule (occurredAt at most 5 minutes ahead).
   */
  private Validation validate(JsonNode json) {
    Validation result = EventValidator.validate(json, defaultZone);
    if (!result.isValid()) {
      return result;
    }
    return EventValidator.futureOccurredAt(result.event(), clock.instant())
        .map(error -> Validation.invalid(List.of(error)))
        .orElse(result);
  }

  private JsonNode readSigned(String signatureHeader, byte[] body) {
    if (body.length > MAX_BODY_BYTES) {
      throw new Rejection(
          RejectReason.BODY_TOO_LARGE, "the body exceeds " + MAX_BODY_BYTES + " bytes");
    }
    SignatureVerdict verdict = signature.verify(signatureHeader, body);
    if (verdict != SignatureVerdict.VALID) {
      throw Rejection.signature(verdict);
    }
    try {
      return EventValidator.readTree(body);
    } catch (JsonProcessingException e) {
      FieldError error = EventValidator.malformed(e);
      throw new Rejection(RejectReason.MALFORMED_JSON, error.reason(), List.of(error));
    }
  }

  private void publish(List<HrEvent> events) {
    try {
      publisher.publish(events);
    } catch (PublishException e) {
      for (HrEvent event : events) {
        Log.warnf(
            "event %s type=%s employee=%s outcome=not_accepted (%s)",
            event.eventId(), event.type().wireName(), event.employeeId(), e.getMessage());
      }
      throw new Rejection(
          RejectReason.KAFKA_UNAVAILABLE,
          "Kafka did not acknowledge the event in time; it is not accepted, retry later with the"
              + " same eventId");
    }
    for (HrEvent event : events) {
      metrics.accepted(event.type());
      Log.infof(
          "event %s type=%s employee=%s outcome=accepted",
          event.eventId(), event.type().wireName(), event.employeeId());
    }
  }

  private static String describe(int errors) {
    return errors == 1 ? "1 error" : errors + " errors";
  }
}
