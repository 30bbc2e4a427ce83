package dev.roster.auditor.messaging;

import dev.roster.auditor.AuditMetrics;
import dev.roster.auditor.chain.LogEntry;
import dev.roster.auditor.chain.LogStore;
import dev.roster.auditor.config.AuditorConfig;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes both topics in batches (one poll = one batch = one database transaction). The method
 * returns only after the transaction committed, and only then is the batch acknowledged, so offsets
 * are committed after the entries are stored; a redelivery is skipped as duplicate.
 */
@ApplicationScoped
public class AuditConsumer {
  private final LogStore store;
  private final AuditMetrics metrics;
  private final AuditorConfig config;

  public AuditConsumer(LogStore store, AuditMetrics metrics, AuditorConfig config) {
    this.store = store;
    this.metrics = metrics;
    this.config = config;
  }

  // Blocking: JDBC work; ordered, so batches of a channel are stored in poll order.
  @Incoming(Channels.HR_EVENTS)
  @Blocking
  public void hrEvents(ConsumerRecords<String, String> records) {
    List<LogEntry> drafts = new ArrayList<>(records.count());
    for (ConsumerRecord<String, String> r : records) {
      try {
        drafts.add(RecordDecoder.hrEvent(r));
      } catch (RecordDecoder.UnreadableRecord e) {
        reject(r, e);
      }
    }
    store(drafts);
  }

  @Incoming(Channels.IAM_CHANGES)
  @Blocking
  public void iamChanges(ConsumerRecords<String, String> records) {
    List<LogEntry> drafts = new ArrayList<>(records.count());
    for (ConsumerRecord<String, String> r : records) {
      try {
        drafts.add(RecordDecoder.iamChange(r));
      } catch (RecordDecoder.UnreadableRecord e) {
        reject(r, e);
      }
    }
    store(drafts);
  }

  /** Retries until stored: skipping a batch would lose audit records. */
  private void store(List<LogEntry> drafts) {
    if (drafts.isEmpty()) {
      return;
    }
    Duration backoff = config.writeRetry().initialBackoff();
    while (true) {
      try {
        LogStore.AppendResult result = store.append(drafts);
        metrics.stored(result.stored());
        metrics.duplicates(result.duplicates());
        Log.debugf(
            "stored %d entries, skipped duplicates %s", result.storedTotal(), result.duplicates());
        return;
      } catch (RuntimeException e) {
        Log.warnf(
            "cannot store a batch of %d entries (%s), retrying in %s",
            drafts.size(), e.getMessage(), backoff);
        pause(backoff);
        backoff = min(backoff.multipliedBy(2), config.writeRetry().maxBackoff());
      }
    }
  }

  private void reject(ConsumerRecord<String, String> r, RecordDecoder.UnreadableRecord e) {
    // Nothing is lost: the record stays in the topic at this offset for replay once fixed.
    Log.errorf(
        "unreadable record %s-%d@%d (key %s) skipped: %s",
        r.topic(), r.partition(), r.offset(), r.key(), e.getMessage());
    metrics.rejected(r.topic());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a batch write", e);
    }
  }
}
