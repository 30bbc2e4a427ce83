package dev.roster.auditor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The auditor's own settings ({@code roster.auditor.*}). */
@ConfigMapping(prefix = "roster.auditor")
public interface AuditorConfig {

  /** How a batch that could not be stored (database down) is retried. */
  Retry writeRetry();

  /** Query API settings. */
  Query query();

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
