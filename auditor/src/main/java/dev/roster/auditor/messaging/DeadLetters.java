package dev.roster.auditor.messaging;

import dev.roster.auditor.AuditMetrics;
import dev.roster.auditor.config.AuditorConfig;
import dev.roster.events.DeadLetterHeaders;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes what the auditor cannot store to {@code audit.dlq}: the consumed record as it came
 * (key, value, headers) plus the {@code dlq_*} headers, and waits for the broker's acknowledgement
 * (acks=all) so that the batch's offsets are committed only after its dead letters are durable.
 */
@ApplicationScoped
public class DeadLetters {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final MutinyEmitter<Record<String, String>> dlq;
  private final AuditMetrics metrics;
  private final AuditorConfig config;

  public DeadLetters(
      @Channel(Channels.AUDIT_DLQ) MutinyEmitter<Record<String, String>> dlq,
      AuditMetrics metrics,
      AuditorConfig config) {
    this.dlq = dlq;
    this.metrics = metrics;
    this.config = config;
  }

  /**
   * One record to dead-letter and why: its value is a {@code String}, or a {@link DecodedEntry}
   * holding the value as consumed.
   */
  public record DeadLetter(ConsumerRecord<String, ?> record, DlqReason reason, String cause) {}

  /**
   * Publishes all and returns once the broker acknowledged every one. Retries with the write
   * backoff until then: returning earlier would let the offsets pass records kept nowhere.
   */
  public void publish(List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
    Duration backoff = config.writeRetry().initialBackoff();
    while (true) {
      try {
        List<Uni<Void>> sends = new ArrayList<>(letters.size());
        for (DeadLetter l : letters) {
          sends.add(dlq.sendMessage(message(l)));
        }
        Uni.join().all(sends).andFailFast().replaceWithVoid().await().atMost(ACK_TIMEOUT);
        break;
      } catch (RuntimeException e) {
        // A resend may duplicate a dead letter; losing one would be worse.
        Log.warnf(
            "cannot publish %d dead letters to audit.dlq (%s), retrying in %s",
            letters.size(), e.getMessage(), backoff);
        Pause.pause(backoff);
        backoff = Pause.next(backoff, config.writeRetry().maxBackoff());
      }
    }
    letters.forEach(l -> metrics.deadLettered(l.reason()));
  }

  private static Message<Record<String, String>> message(DeadLetter l) {
    ConsumerRecord<String, ?> r = l.record();
    String value = r.value() instanceof DecodedEntry d ? d.value() : (String) r.value();
    RecordHeaders headers = new RecordHeaders();
    for (Header h : r.headers()) {
      headers.add(h);
    }
    DeadLetterHeaders.of(l.reason().wireName(), l.cause(), r.topic(), r.partition(), r.offset())
        .forEach(headers::add);
    return Message.of(Record.of(r.key(), value))
        .addMetadata(
            OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(r.key())
                .withHeaders(headers)
                .build());
  }
}
