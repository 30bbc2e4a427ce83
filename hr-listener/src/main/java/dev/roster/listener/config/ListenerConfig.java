package dev.roster.listener.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** hr-listener's own settings. Kafka client settings are Quarkus' {@code kafka.*} keys. */
@ConfigMapping(prefix = "roster")
public interface ListenerConfig {

  /** Webhook signature checks. */
  Webhook webhook();

  /**
   * Name of the HR system that posts events, published as CloudEvents {@code ce_source} (env {@code
   * ROSTER_HR_SOURCE}).
   */
  @WithDefault("hr")
  String hrSource();

  /**
   * The zone in which a date-only {@code effectiveAt} is read when the event's {@code
   * employee.timeZone} is absent: an IANA name, checked at start-up (env {@code
   * ROSTER_DEFAULT_TIME_ZONE}).
   */
  @WithDefault("UTC")
  @WithConverter(IanaZoneConverter.class)
  ZoneId defaultTimeZone();

  /** Publishing to Kafka. */
  Publish publish();

  /** Protection of the HTTP intake. */
  Listener listener();

  /** {@code POST /v1/snapshots}. */
  Snapshot snapshot();

  interface Snapshot {
    /**
     * Largest snapshot body, in bytes; larger is 413. Spooled to disk, not held in memory, so it
     * may be far larger than an event's 1 MiB (env {@code ROSTER_SNAPSHOT_MAX_BODY_BYTES}).
     */
    @WithDefault("67108864")
    long maxBodyBytes();

    /**
     * Snapshot requests handled at once; one more is refused with 503 before its body is read.
     * Bounds the spool's disk use to this many times {@code max-body-bytes} (env {@code
     * ROSTER_SNAPSHOT_MAX_IN_FLIGHT}).
     */
    @WithDefault("2")
    int maxInFlight();

    /**
     * Where snapshot bodies are spooled while they are checked and published, deleted after the
     * answer; the JVM's temporary directory when unset (env {@code
     * ROSTER_SNAPSHOT_SPOOL_DIRECTORY}).
     */
    Optional<Path> spoolDirectory();
  }

  interface Listener {
    /**
     * Most body bytes held at once, across all concurrent requests, for requests not yet answered
     * (their signature is checked only once the whole body is in memory). A request arriving when
     * its body would exceed it gets 503; one whose body alone exceeds it gets 413 (env {@code
     * ROSTER_LISTENER_MAX_UNVERIFIED_BYTES}).
     */
    @WithDefault("67108864")
    long maxUnverifiedBytes();
  }

  interface Webhook {
    /**
     * HMAC-SHA256 secrets, comma-separated (env {@code ROSTER_WEBHOOK_SECRETS}). A signature made
     * with any of them is accepted, so a secret can be rotated without downtime. No default on
     * purpose: outside the dev and test profiles, the service refuses to start without one.
     */
    List<String> secrets();

    /**
     * How far a signature's timestamp may be from now, in either direction, before the request is
     * refused as a replay (env {@code ROSTER_WEBHOOK_TOLERANCE}).
     */
    @WithDefault("300s")
    Duration tolerance();
  }

  interface Publish {
    /**
     * How long to wait for the broker's acknowledgement (acks=all) before answering 503; also the
     * producer's delivery timeout, so an unacknowledged record is abandoned, not sent later (env
     * {@code ROSTER_PUBLISH_TIMEOUT}).
     */
    @WithDefault("5s")
    Duration timeout();

    /** {@code Retry-After} sent with a 503 (env {@code ROSTER_PUBLISH_RETRY_AFTER}). */
    @WithDefault("5s")
    Duration retryAfter();
  }
}
