package dev.roster.auditor.messaging;

import dev.roster.auditor.chain.DataError;
import dev.roster.auditor.config.AuditorConfig;
import dev.roster.auditor.messaging.DeadLetters.DeadLetter;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Stores a decoded batch through a store's one-transaction write, whatever the store: an outage is
 * retried until it passes (skipping would lose audit records); a data error splits the batch in
 * halves, stored one after the other, down to the refused record, which is dead-lettered, so good
 * records keep their relative order.
 */
@ApplicationScoped
public class BatchWriter {
  private final AuditorConfig config;

  public BatchWriter(AuditorConfig config) {
    this.config = config;
  }

  /** A decoded record and where it came from (to dead-letter it as it came). */
  public record Draft<T>(ConsumerRecord<String, ?> record, T entry) {}

  /** Writes the entries in their order in one transaction, or throws. */
  public interface Store<T> {
    void write(List<T> entries);
  }

  /** Stores the drafts in their order; the records the database refuses join {@code dead}. */
  public <T> void write(List<Draft<T>> drafts, Store<T> store, List<DeadLetter> dead) {
    if (drafts.isEmpty()) {
      return;
    }
    Duration backoff = config.writeRetry().initialBackoff();
    while (true) {
      try {
        store.write(drafts.stream().map(Draft::entry).toList());
        return;
      } catch (RuntimeException e) {
        Optional<DataError> dataError = DataError.of(e);
        if (dataError.isPresent()) {
          isolate(drafts, store, dataError.get(), dead);
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

  private <T> void isolate(
      List<Draft<T>> drafts, Store<T> store, DataError error, List<DeadLetter> dead) {
    if (drafts.size() == 1) {
      ConsumerRecord<String, ?> r = drafts.get(0).record();
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
    write(drafts.subList(0, half), store, dead);
    write(drafts.subList(half, drafts.size()), store, dead);
  }
}
