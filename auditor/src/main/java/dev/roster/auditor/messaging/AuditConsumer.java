package dev.roster.auditor.messaging;

import dev.roster.auditor.AuditMetrics;
import dev.roster.auditor.chain.DataError;
import dev.roster.auditor.chain.LogEntry;
import dev.roster.auditor.chain.LogStore;
import dev.roster.auditor.config.AuditorConfig;
import dev.roster.auditor.messaging.DeadLetters.DeadLetter;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes both topics in batches (one poll = one batch = one database transaction). The method
 * returns only after the transaction committed and the batch's dead letters were acknowledged by
 * the broker, and only then is the batch acknowledged, so offsets are committed after every record
 * is either stored or on {@code audit.dlq}; a redelivery is skipped as duplicate.
 */
@ApplicationScoped
public class AuditConsumer {
  private final LogStore store;
  private final DeadLetters deadLetters;
  private final AuditMetrics metrics;
  private final AuditorConfig config;

  public AuditConsumer(
      LogStore store, DeadLetters deadLetters, AuditMetrics metrics, AuditorConfig config) {
    this.store = store;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.config = config;
  }

  /** A decoded record and where it came from (to dead-letter it as it came). */
  record Draft(ConsumerRecord<String, String> record, LogEntry entry) {}

  private interface Decoder {
    LogEntry decode(ConsumerRecord<String, String> record) throws RecordDecoder.UnreadableRecord;
  }

  // Blocking: JDBC work; ordered, so batches of a channel are stored in poll order.
  @Incoming(Channels.HR_EVENTS)
  @Blocking
  public void hrEvents(ConsumerRecords<String, String> records) {
    consume(records, RecordDecoder::hrEvent);
  }

  @Incoming(Channels.IAM_CHANGES)
  @Blocking
  public void iamChanges(ConsumerRecords<String, String> records) {
    consume(records, RecordDecoder::iamChange);
  }

  private void consume(ConsumerRecords<String, String> records, Decoder decoder) {
    List<Draft> drafts = new ArrayList<>(records.count());
    List<DeadLetter> dead = new ArrayList<>();
    for (ConsumerRecord<String, String> r : records) {
      try {
        drafts.add(new Draft(r, decoder.decode(r)));
      } catch (RecordDecoder.UnreadableRecord e) {
        dead.add(reject(r, e));
      }
    }
    store(drafts, dead);
    deadLetters.publish(dead);
  }

  /**
   * Stores the drafts in their order. An outage is retried until it passes (skipping would lose
   * audit records). A data error splits the batch in halves, stored one after the other, down to
   * the refused record, which joins {@code dead}: good records keep their relative chain order.
   */
  private void store(List<Draft> drafts, List<DeadLetter> dead) {
    if (drafts.isEmpty()) {
      return;
    }
    Duration backoff = config.writeRetry().initialBackoff();
    while (true) {
      try {
        LogStore.AppendResult result = store.append(drafts.stream().map(Draft::entry).toList());
        metrics.stored(result.stored());
        metrics.duplicates(result.duplicates());
        Log.debugf(
            "stored %d entries, skipped duplicates %s", result.storedTotal(), result.duplicates());
        return;
      } catch (RuntimeException e) {
        Optional<DataError> dataError = DataError.of(e);
        if (dataError.isPresent()) {
          isolate(drafts, dataError.get(), dead);
          return;
        }
        Log.warnf(
            "cannot store a batch of %d entries (%s), retrying in %s",
            drafts.size(), e.getMessage(), backoff);
        Pause.pause(backoff);
        backoff = Pause.next(backoff, config.writeRetry().maxBackoff());
      }
    }
  }

  private void isolate(List<Draft> drafts, DataError error, List<DeadLetter> dead) {
    if (drafts.size() == 1) {
      ConsumerRecord<String, String> r = drafts.get(0).record();
      Log.errorf(
          "record %s-%d@%d (key %s) refused by the database, sent to audit.dlq: %s",
          r.topic(), r.partition(), r.offset(), r.key(), error.describe());
      dead.add(new DeadLetter(r, DlqReason.DATABASE_REFUSED, error.describe()));
      return;
    }
    Log.warnf(
        "database refused a batch of %d entries (%s): storing it in halves to isolate the record",
        drafts.size(), error.describe());
    int half = drafts.size() / 2;
    store(drafts.subList(0, half), dead);
    store(drafts.subList(half, drafts.size()), dead);
  }

  private DeadLetter reject(ConsumerRecord<String, String> r, RecordDecoder.UnreadableRecord e) {
    Log.errorf(
        "unreadable record %s-%d@%d (key %s) sent to audit.dlq: %s",
        r.topic(), r.partition(), r.offset(), r.key(), e.getMessage());
    metrics.rejected(r.topic());
    return new DeadLetter(r, e.reason(), e.getMessage());
  }
}
