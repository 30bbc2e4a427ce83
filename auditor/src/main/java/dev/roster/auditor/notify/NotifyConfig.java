package dev.roster.auditor.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Outbound notifications ({@code roster.notify.*}): a webhook called on a leave not cut off or not
 * verified, a held reconciliation and a new finding. Off unless {@code url} is set.
 */
@ConfigMapping(prefix = "roster.notify")
public interface NotifyConfig {
  /** Key of the signing secret, as refusals name it. */
  String SECRET_KEY = "roster.notify.secret";

  /**
   * Where notifications are POSTed (env {@code ROSTER_NOTIFY_URL}), e.g. a Slack incoming webhook;
   * unset: notifications are off and nothing is written to the outbox. Never logged (a Slack URL is
   * itself a credential).
   */
  Optional<URI> url();

  /**
   * HMAC secret of {@code X-Roster-Signature} (env {@code ROSTER_NOTIFY_SECRET}): required with
   * {@code url}, at least 32 bytes, or the auditor refuses to start. Never logged.
   */
  Optional<String> secret();

  /**
   * Base URL of the auditor's console as receivers reach it (e.g. {@code https://audit.example});
   * unset: notifications carry no {@code link}.
   */
  Optional<String> linkBaseUrl();

  /** Longest wait for the receiver's TCP/TLS connection. */
  @WithDefault("PT2S")
  Duration connectTimeout();

  /** Longest wait for the receiver's answer to one attempt. */
  @WithDefault("PT5S")
  Duration requestTimeout();

  /** Attempts per notification (the first included) before it is abandoned (counted, logged). */
  @WithDefault("6")
  int maxAttempts();

  /** Pause after the first failed attempt; doubled after each further one. */
  @WithDefault("PT1S")
  Duration initialBackoff();

  /** Longest pause between attempts. */
  @WithDefault("PT30S")
  Duration maxBackoff();

  /**
   * Most notifications held in memory for sending or retrying; beyond it a new one stays in the
   * outbox (counted {@code deferred}) and the sweep sends it later. Consumption never waits.
   */
  @WithDefault("1000")
  int queueCapacity();

  /** How often the outbox is read for notifications nobody has delivered or abandoned. */
  @WithDefault("PT1M")
  Duration sweepInterval();

  /**
   * Age an undelivered notification must reach before a sweep takes it: longer than one instance
   * needs for all its attempts, so a sweep (of this or another instance) only picks up what a
   * stopped auditor, a full queue or a failed delivery record left behind.
   */
  @WithDefault("PT5M")
  Duration sweepAfter();
}
