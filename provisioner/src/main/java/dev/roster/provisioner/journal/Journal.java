package dev.roster.provisioner.journal;

import java.time.Duration;
import java.util.Optional;

/**
 * The provisioner's write-ahead journal: an event's intended mutations are recorded before the
 * first one is applied and marked done once its change records are published, so that after a crash
 * in between the mutations that did reach IAM can still be published.
 */
public interface Journal {

  /**
   * The intent an earlier, unfinished attempt recorded for this event, if any; reads the journal up
   * to its end as of this call first, so intents written by another instance are seen.
   */
  Optional<Intent> unfinished(String eventId);

  /** Records the intent durably (acknowledged by the broker); returns only then. */
  void begin(Intent intent);

  /** Marks the event's intent finished, once its change records are acknowledged. */
  void done(String eventId);

  /**
   * Why the journal could not answer {@link #unfinished} within {@code within} now, if it could
   * not; empty when it can (readiness).
   */
  default Optional<String> unavailable(Duration within) {
    return Optional.empty();
  }

  /** No journal: nothing is ever applied (dry run) or the caller does not need one (tests). */
  Journal NONE =
      new Journal() {
        @Override
        public Optional<Intent> unfinished(String eventId) {
          return Optional.empty();
        }

        @Override
        public void begin(Intent intent) {}

        @Override
        public void done(String eventId) {}
      };
}
