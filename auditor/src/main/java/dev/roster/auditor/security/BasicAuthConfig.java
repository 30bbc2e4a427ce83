package dev.roster.auditor.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/**
 * HTTP Basic users of the API and how repeated failures are slowed ({@code roster.auditor.basic}).
 */
@ConfigMapping(prefix = "roster.auditor.basic")
public interface BasicAuthConfig {
  /** Password per user name ({@code auditor} from {@code ROSTER_AUDITOR_PASSWORD}). */
  Map<String, String> users();

  /** Comma-separated roles per user name; a user without an entry has none. */
  Map<String, String> roles();

  /** Failed attempts per client address and user name that are answered without delay. */
  @WithDefault("3")
  int freeFailures();

  /** Delay of the first slowed attempt; it doubles with every further failure. */
  @WithDefault("PT0.5S")
  Duration failureDelay();

  /** Longest delay. */
  @WithDefault("PT8S")
  Duration maxFailureDelay();

  /** Failures older than this are forgotten. */
  @WithDefault("PT15M")
  Duration failureWindow();
}
