package dev.roster.auditor.anchor;

import dev.roster.auditor.AuditMetrics;
import dev.roster.auditor.chain.ChainHash;
import dev.roster.auditor.chain.ChainVerifier;
import dev.roster.events.Topics;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every {@code roster.audit.anchor-interval} and on shutdown, signs the chain head (seq, hash,
 * time) with the anchor key and publishes it to {@code audit.anchors}. Before signing it checks
 * that the stored chain still holds the latest anchor's entry and extends it without a break, so a
 * rewrite is never blessed by the next anchor.
 */
@ApplicationScoped
public class AnchorPublisher {
  private final AnchorConfig config;
  private final AnchorKey key;
  private final AnchorTopicClient topic;
  private final ChainVerifier verifier;
  private final AuditMetrics metrics;
  private ScheduledExecutorService schedule;

  public AnchorPublisher(
      AnchorConfig config,
      AnchorKey key,
      AnchorTopicClient topic,
      ChainVerifier verifier,
      AuditMetrics metrics) {
    this.config = config;
    this.key = key;
    this.topic = topic;
    this.verifier = verifier;
    this.metrics = metrics;
  }

  void start(@Observes StartupEvent event) {
    // Load the key now: a missing or unreadable key stops the start-up, not the first anchor.
    Log.infof(
        "anchoring the chain head every %s with key %s", config.anchorInterval(), key.keyId());
    topic.ensureTopic();
    schedule =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "audit-anchor");
              t.setDaemon(true);
              return t;
            });
    long every = config.anchorInterval().toMillis();
    schedule.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (schedule != null) {
      schedule.shutdownNow();
      try {
        schedule.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    tick(); // the head at shutdown, so the last appends are anchored too
  }

  private void tick() {
    try {
      anchorNow();
    } catch (RuntimeException e) {
      metrics.anchored(false);
      Log.warnf("cannot anchor the chain head: %s", e.getMessage());
    }
  }

  /**
   * Signs and publishes the current head; empty (with an error log and {@code
   * roster_auditor_anchors_total{result="refused"}}) when the chain does not extend the latest
   * anchor.
   */
  public synchronized Optional<Anchor> anchorNow() {
    Optional<Anchor> previous = topic.latest().filter(this::ours);
    long fromSeq = previous.map(Anchor::seq).orElse(0L);
    String fromHash = previous.map(Anchor::hash).orElse(ChainHash.GENESIS);
    ChainVerifier.Report check = verifier.verifyExtends(fromSeq, fromHash);
    if (!check.ok()) {
      metrics.anchorRefused();
      Log.errorf(
          "not anchoring: the stored chain does not extend the anchor at seq %d (broken at seq"
              + " %d); see GET /v1/integrity",
          fromSeq, check.firstBrokenSeq());
      return Optional.empty();
    }
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Anchor anchor =
        new Anchor(
            check.headSeq(),
            check.headHash(),
            at,
            key.keyId(),
            Anchor.ALGORITHM,
            key.sign(Anchor.signedBytes(check.headSeq(), check.headHash(), at)));
    topic.publish(anchor);
    metrics.anchored(true);
    Log.debugf("anchored the chain head at seq %d", anchor.seq());
    return Optional.of(anchor);
  }

  /**
   * An anchor this key signed. Any other (another key after a rotation, a forged record) is not a
   * base to extend: the next anchor is then signed only after the whole chain verified.
   */
  private boolean ours(Anchor a) {
    boolean valid =
        key.keyId().equals(a.keyId())
            && a.hash() != null
            && a.signedAt() != null
            && a.signature() != null
            && key.verify(Anchor.signedBytes(a.seq(), a.hash(), a.signedAt()), a.signature());
    if (!valid) {
      Log.warnf(
          "the latest anchor on %s (seq %d, key %s) is not signed by this auditor's key: verifying"
              + " the whole chain before anchoring",
          Topics.AUDIT_ANCHORS, a.seq(), a.keyId());
    }
    return valid;
  }
}
