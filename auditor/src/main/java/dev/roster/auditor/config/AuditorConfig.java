package dev.roster.auditor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The auditor's own settings ({@code roster.auditor.*}). */
@ConfigMapping(prefix = "roster.auditor")
public interface AuditorConfig {

  /**
   * How a batch that could not be stored (database down), or dead letters the broker did not
   * acknowledge, are retried.
   */
  Retry writeRetry();

  /** Query API settings. */
  Query query();

  /** The web console under {@code /console}. */
  Console console();

  interface Console {
    /**
     * The cut-off objective drawn on the Leavers page's histogram: a leaver should lose access
     * within this long after effectiveAt.
     */
    @WithDefault("PT1S")
    Duration cutOffSlo();
  }

  /** Bounds on the chain lock every batch takes. */
  ChainLock chainLock();

  interface ChainLock {
    /**
     * Longest wait for the chain lock ({@code lock_timeout}); a batch that waits longer fails and
     * is retried with the write backoff.
     */
    @WithDefault("PT10S")
    Duration timeout();

    /**
     * Longest silence of a transaction holding the lock ({@code
     * idle_in_transaction_session_timeout}): the server then ends the holder's session, so a frozen
     * instance cannot stop every other writer.
     */
    @WithDefault("PT30S")
    Duration idleInTransactionTimeout();
  }

  interface Retry {
    /** First pause after a failed batch write. */
    @WithDefault("PT0.2S")
    Duration initialBackoff();

    /** Longest pause between attempts; attempts go on until the database is back. */
    @WithDefault("PT10S")
    Duration maxBackoff();
  }

  interface Query {
    /** Page size when {@code limit} is not given. */
    @WithDefault("100")
    int defaultLimit();

    /** Rows fetched per round trip while streaming CSV. */
    @WithDefault("1000")
    int csvChunk();
  }
}
