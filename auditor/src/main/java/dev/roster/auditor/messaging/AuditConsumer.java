package dev.roster.auditor.messaging;

import dev.roster.auditor.AuditMetrics;
import dev.roster.auditor.chain.LogEntry;
import dev.roster.auditor.chain.LogStore;
import dev.roster.auditor.messaging.BatchWriter.Draft;
import dev.roster.auditor.messaging.DeadLetters.DeadLetter;
import dev.roster.auditor.notify.NotificationSender;
import dev.roster.auditor.reconciliation.ReconciliationDraft;
import dev.roster.auditor.reconciliation.ReconciliationStore;
import dev.roster.auditor.review.OpenFindings;
import dev.roster.auditor.review.ReviewDraft;
import dev.roster.auditor.review.ReviewStore;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the topics in batches (one poll = one batch = one database transaction). The method
 * returns only after the transaction committed and the batch's dead letters were acknowledged by
 * the broker, and only then is the batch acknowledged, so offsets are committed after every record
 * is either stored or on {@code audit.dlq}; a redelivery is skipped as duplicate.
 */
@ApplicationScoped
public class AuditConsumer {
  private final LogStore store;
  private final ReconciliationStore reconciliations;
  private final ReviewStore reviews;
  private final OpenFindings openFindings;
  private final BatchWriter writer;
  private final DeadLetters deadLetters;
  private final AuditMetrics metrics;
  private final NotificationSender notifications;

  public AuditConsumer(
      LogStore store,
      ReconciliationStore reconciliations,
      ReviewStore reviews,
      OpenFindings openFindings,
      BatchWriter writer,
      DeadLetters deadLetters,
      AuditMetrics metrics,
      NotificationSender notifications) {
    this.store = store;
    this.reconciliations = reconciliations;
    this.reviews = reviews;
    this.openFindings = openFindings;
    this.writer = writer;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.notifications = notifications;
  }

  private interface Decoder<V, T> {
    T decode(ConsumerRecord<String, V> record) throws RecordDecoder.UnreadableRecord;
  }

  // Blocking: JDBC work; ordered, so batches of a channel are stored in poll order. The log's
  // channels get their records decoded by their value deserializer (DecodedEntry).
  @Incoming(Channels.HR_EVENTS)
  @Blocking
  public void hrEvents(ConsumerRecords<String, DecodedEntry> records) {
    consume(records, r -> r.value().entryOrThrow(), this::appendToLog);
  }

  @Incoming(Channels.IAM_CHANGES)
  @Blocking
  public void iamChanges(ConsumerRecords<String, DecodedEntry> records) {
    consume(records, r -> r.value().entryOrThrow(), this::appendToLog);
  }

  @Incoming(Channels.RECONCILIATIONS)
  @Blocking
  public void reconciliations(ConsumerRecords<String, String> records) {
    consume(records, RecordDecoder::reconciliation, this::storeReconciliations);
  }

  @Incoming(Channels.REVIEWS)
  @Blocking
  public void reviews(ConsumerRecords<String, String> records) {
    consume(records, RecordDecoder::review, this::storeReviews);
    openFindings.refresh();
  }

  private <V, T> void consume(
      ConsumerRecords<String, V> records, Decoder<V, T> decoder, BatchWriter.Store<T> target) {
    List<Draft<T>> drafts = new ArrayList<>(records.count());
    List<DeadLetter> dead = new ArrayList<>();
    for (ConsumerRecord<String, V> r : records) {
      try {
        drafts.add(new Draft<>(r, decoder.decode(r)));
      } catch (RecordDecoder.UnreadableRecord e) {
        dead.add(reject(r, e));
      }
    }
    writer.write(drafts, target, dead);
    deadLetters.publish(dead);
  }

  private void appendToLog(List<LogEntry> entries) {
    LogStore.AppendResult result = store.append(entries);
    // Committed: only now may the notifications leave (the sender never blocks this thread).
    notifications.submit(result.notifications());
    metrics.stored(result.stored());
    metrics.duplicates(result.duplicates());
    Log.debugf(
        "stored %d entries, skipped duplicates %s", result.storedTotal(), result.duplicates());
  }

  private void storeReconciliations(List<ReconciliationDraft> drafts) {
    ReconciliationStore.Result result = reconciliations.append(drafts);
    notifications.submit(result.notifications());
    metrics.reconciliationRecords(result.stored(), result.duplicates());
  }

  private void storeReviews(List<ReviewDraft> drafts) {
    ReviewStore.Result result = reviews.append(drafts);
    notifications.submit(result.notifications());
    metrics.reviewRecords(result.stored(), result.duplicates());
  }

  private DeadLetter reject(ConsumerRecord<String, ?> r, RecordDecoder.UnreadableRecord e) {
    Log.errorf(
        "unreadable record %s-%d@%d (key %s) sent to audit.dlq: %s",
        r.topic(), r.partition(), r.offset(), r.key(), e.getMessage());
    metrics.rejected(r.topic());
    return new DeadLetter(r, e.reason(), e.getMessage());
  }
}
