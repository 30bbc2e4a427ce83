package dev.roster.auditor.notify;

import dev.roster.auditor.AuditMetrics;
import dev.roster.events.SecretStrength;
import dev.roster.events.WebhookSignature;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivers the outbox's notifications to {@code roster.notify.url}, signed with {@code
 * X-Roster-Signature} by the scheme hr-listener verifies ({@link WebhookSignature}), on a thread of
 * its own: the consumers hand over what they committed and return at once, whatever the receiver
 * does. Failed attempts are retried with doubling pauses up to {@code max-attempts}; then the
 * notification is abandoned (counted, logged, recorded). What is in the outbox but not in hand (a
 * full queue, a restart) is picked up by the periodic sweep, which runs on the same thread as the
 * deliveries, so it never takes one that is being sent.
 *
 * <p>Built at start-up, so that a missing or short secret stops the service before it consumes.
 */
@Startup
@ApplicationScoped
public class NotificationSender {
  /** Results of {@code roster_notifications_total{kind,result}}. */
  public static final List<String> RESULTS =
      List.of("delivered", "failed", "abandoned", "deferred");

  private final NotifyConfig config;
  private final Outbox outbox;
  private final AuditMetrics metrics;
  private final URI url;
  private final String secret;
  private final HttpClient client;
  private final ScheduledExecutorService executor;
  private final Set<Long> inHand = ConcurrentHashMap.newKeySet();
  private final Clock clock = Clock.systemUTC();

  public NotificationSender(NotifyConfig config, Outbox outbox, AuditMetrics metrics) {
    this.config = config;
    this.outbox = outbox;
    this.metrics = metrics;
    this.url = config.url().orElse(null);
    metrics.registerNotifications(RESULTS);
    if (url == null) {
      this.secret = null;
      this.client = null;
      this.executor = null;
      Log.info("notifications off (roster.notify.url is not set)");
      return;
    }
    this.secret = checkedSecret(config);
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if ((!scheme.equals("https") && !scheme.equals("http")) || url.getHost() == null) {
      throw new IllegalStateException("roster.notify.url: must be an http or https URL");
    }
    if (config.maxAttempts() < 1 || config.queueCapacity() < 1) {
      throw new IllegalStateException(
          "roster.notify.max-attempts and roster.notify.queue-capacity must be at least 1");
    }
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            // No h2c upgrade on plain http: some receivers mishandle it with a body.
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "roster-notifications");
              t.setDaemon(true);
              return t;
            });
    long sweep = config.sweepInterval().toMillis();
    executor.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    // The host only: the path of a Slack-style URL is itself a credential.
    Log.infof("notifications on: %s://%s, signed with X-Roster-Signature", scheme, url.getHost());
  }

  /**
   * A short secret is refused by the same rule as hr-listener's webhook secrets; the message names
   * the key, never the secret.
   */
  static String checkedSecret(NotifyConfig config) {
    String secret =
        config
            .secret()
            .filter(s -> !s.isBlank())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        NotifyConfig.SECRET_KEY + ": required when roster.notify.url is set"));
    try {
      SecretStrength.check(NotifyConfig.SECRET_KEY, List.of(secret));
    } catch (IllegalStateException e) {
      Log.error(e.getMessage());
      throw e;
    }
    return secret;
  }

  /** Whether notifications are on. */
  public boolean enabled() {
    return url != null;
  }

  /** Notifications in hand: waiting for their first attempt or a retry. */
  public int inHand() {
    return inHand.size();
  }

  /**
   * Takes notifications whose outbox rows are committed. Never blocks and never throws (the caller
   * is a consumer whose batch is stored): beyond the queue's capacity, or while shutting down, a
   * notification stays in the outbox for the sweep.
   */
  public void submit(List<Notification> committed) {
    if (url == null) {
      return;
    }
    for (Notification n : committed) {
      if (inHand.size() >= config.queueCapacity()) {
        metrics.notification(n.kind().wireName(), "deferred");
        Log.warnf(
            "notification %s deferred: %d in hand; the outbox sweep sends it later",
            n.describe(), inHand.size());
        continue;
      }
      if (inHand.add(n.seq())) {
        try {
          executor.execute(() -> attempt(n, 1));
        } catch (RuntimeException e) {
          inHand.remove(n.seq());
          Log.warnf("notification %s left in the outbox: %s", n.describe(), e.toString());
        }
      }
    }
  }

  private void attempt(Notification n, int attempt) {
    Integer status = null;
    String failure;
    try {
      byte[] body = n.body().getBytes(StandardCharsets.UTF_8);
      HttpRequest request =
          HttpRequest.newBuilder(url)
              .timeout(config.requestTimeout())
              .header("Content-Type", "application/json")
              .header("User-Agent", "roster-auditor")
              .header(
                  WebhookSignature.HEADER,
                  WebhookSignature.sign(secret, clock.instant().getEpochSecond(), body))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      status = response.statusCode();
      if (status / 100 == 2) {
        metrics.notification(n.kind().wireName(), "delivered");
        Log.infof("notification %s delivered (attempt %d, %d)", n.describe(), attempt, status);
        finish(n, "delivered", attempt, status);
        return;
      }
      failure = "HTTP " + status;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      inHand.remove(n.seq());
      return; // shutting down: the row stays in the outbox
    } catch (Exception e) {
      // The exception's class only: its message may carry the URL.
      failure = e.getClass().getSimpleName();
    }
    metrics.notification(n.kind().wireName(), "failed");
    if (attempt >= config.maxAttempts()) {
      metrics.notification(n.kind().wireName(), "abandoned");
      Log.errorf(
          "notification %s abandoned after %d attempts, last: %s", n.describe(), attempt, failure);
      finish(n, "abandoned", attempt, status);
      return;
    }
    Duration pause = backoff(attempt);
    Log.warnf(
        "notification %s attempt %d failed (%s), retrying in %s",
        n.describe(), attempt, failure, pause);
    executor.schedule(() -> attempt(n, attempt + 1), pause.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The pause after failed attempt {@code attempt}: doubling from the initial one, capped. */
  Duration backoff(int attempt) {
    Duration pause = config.initialBackoff();
    for (int i = 1; i < attempt && pause.compareTo(config.maxBackoff()) < 0; i++) {
      pause = pause.multipliedBy(2);
    }
    return pause.compareTo(config.maxBackoff()) < 0 ? pause : config.maxBackoff();
  }

  private void finish(Notification n, String result, int attempts, Integer status) {
    try {
      outbox.finished(n, result, attempts, status);
    } catch (RuntimeException e) {
      // Not recorded: a later sweep sends it again (at least once, never lost).
      Log.warnf(
          "notification %s %s but not recorded (%s): a sweep will send it again",
          n.describe(), result, e.getMessage());
    } finally {
      inHand.remove(n.seq());
    }
  }

  /** Takes what the outbox holds undelivered for longer than {@code sweep-after}. */
  private void sweep() {
    try {
      int room = config.queueCapacity() - inHand.size();
      if (room <= 0) {
        return;
      }
      List<Notification> pending = outbox.pending(clock.instant().minus(config.sweepAfter()), room);
      for (Notification n : pending) {
        if (inHand.add(n.seq())) {
          Log.infof("notification %s taken from the outbox", n.describe());
          executor.execute(() -> attempt(n, 1));
        }
      }
    } catch (RuntimeException e) {
      Log.warnf("outbox sweep failed (%s); the next one retries", e.getMessage());
    }
  }

  @PreDestroy
  void stop() {
    if (executor != null) {
      // What is still in hand stays in the outbox: the next start's sweep sends it.
      executor.shutdownNow();
    }
  }
}
