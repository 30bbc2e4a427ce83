package dev.roster.auditor;

import dev.roster.auditor.chain.EntryKind;
import dev.roster.auditor.messaging.DlqReason;
import dev.roster.auditor.notify.NotificationKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The auditor's Prometheus metrics: {@code roster_auditor_entries_stored_total{kind}}, {@code
 * roster_auditor_duplicates_skipped_total{kind}}, {@code
 * roster_auditor_records_rejected_total{topic}}, {@code
 * roster_auditor_dead_lettered_total{reason}}, {@code
 * roster_auditor_reconciliation_records_stored_total{type}}, {@code
 * roster_auditor_reconciliation_duplicates_skipped_total{type}}, {@code
 * roster_auditor_review_records_stored_total{type}}, {@code
 * roster_auditor_review_duplicates_skipped_total{type}}, {@code
 * roster_auditor_chain_verifications_total{result}}, {@code roster_auditor_anchors_total{result}},
 * {@code roster_notifications_total{kind,result}} and the gauge {@code
 * roster_findings{kind,account}}.
 */
@ApplicationScoped
public class AuditMetrics {
  private final Map<EntryKind, Counter> stored = new EnumMap<>(EntryKind.class);
  private final Map<EntryKind, Counter> duplicates = new EnumMap<>(EntryKind.class);
  private final Map<DlqReason, Counter> deadLettered = new EnumMap<>(DlqReason.class);
  private final Counter anchorsPublished;
  private final Counter anchorsFailed;
  private final Counter anchorsRefused;
  private final Counter verifiedOk;
  private final Counter verifiedBroken;
  private final Map<List<String>, AtomicLong> openFindings = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  public AuditMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (EntryKind kind : EntryKind.values()) {
      stored.put(
          kind,
          Counter.builder("roster.auditor.entries.stored")
              .description("Entries appended to the audit log")
              .tag("kind", kind.wireName())
              .register(registry));
      duplicates.put(
          kind,
          Counter.builder("roster.auditor.duplicates.skipped")
              .description("Records already stored (redelivery, replay), skipped")
              .tag("kind", kind.wireName())
              .register(registry));
    }
    for (DlqReason reason : DlqReason.values()) {
      deadLettered.put(
          reason,
          Counter.builder("roster.auditor.dead.lettered")
              .description("Records published to audit.dlq (acknowledged by the broker)")
              .tag("reason", reason.wireName())
              .register(registry));
    }
    anchorsPublished = anchors("published");
    anchorsFailed = anchors("failed");
    anchorsRefused = anchors("refused");
    verifiedOk = verification("ok");
    verifiedBroken = verification("broken");
  }

  public void stored(Map<EntryKind, Integer> counts) {
    counts.forEach((kind, n) -> stored.get(kind).increment(n));
  }

  public void duplicates(Map<EntryKind, Integer> counts) {
    counts.forEach((kind, n) -> duplicates.get(kind).increment(n));
  }

  /**
   * {@code roster_auditor_reconciliation_records_stored_total{type}} and {@code
   * ..._duplicates_skipped_total{type}}: status and difference records of {@code reconciliations}.
   */
  public void reconciliationRecords(Map<String, Integer> stored, Map<String, Integer> duplicates) {
    stored.forEach(
        (type, n) ->
            Counter.builder("roster.auditor.reconciliation.records.stored")
                .description("Reconciliation status and difference records stored")
                .tag("type", type)
                .register(registry)
                .increment(n));
    duplicates.forEach(
        (type, n) ->
            Counter.builder("roster.auditor.reconciliation.duplicates.skipped")
                .description("Reconciliation records already stored (redelivery, replay), skipped")
                .tag("type", type)
                .register(registry)
                .increment(n));
  }

  /**
   * {@code roster_auditor_review_records_stored_total{type}} and {@code
   * ..._duplicates_skipped_total{type}}: status and finding records of {@code reviews}.
   */
  public void reviewRecords(Map<String, Integer> stored, Map<String, Integer> duplicates) {
    stored.forEach(
        (type, n) ->
            Counter.builder("roster.auditor.review.records.stored")
                .description("Review status and finding records stored")
                .tag("type", type)
                .register(registry)
                .increment(n));
    duplicates.forEach(
        (type, n) ->
            Counter.builder("roster.auditor.review.duplicates.skipped")
                .description("Review records already stored (redelivery, replay), skipped")
                .tag("type", type)
                .register(registry)
                .increment(n));
  }

  /** The {@code account} tag of {@code roster_findings} for an organization-wide finding. */
  public static final String ORGANIZATION = "organization";

  /**
   * Sets {@code roster_findings{kind,account}} to the open findings per kind and account ({@code
   * [kind, account]} to count, account null for organization-wide); a pair seen before and absent
   * now drops to 0 rather than vanishing, so an alert sees it clear.
   */
  public void openFindings(Map<List<String>, Long> counts) {
    Set<List<String>> absent = new HashSet<>(openFindings.keySet());
    counts.forEach(
        (pair, n) -> {
          List<String> key = List.of(pair.get(0), pair.get(1) == null ? ORGANIZATION : pair.get(1));
          absent.remove(key);
          openFindings
              .computeIfAbsent(
                  key,
                  k -> {
                    AtomicLong value = new AtomicLong();
                    Gauge.builder("roster.findings", value, AtomicLong::get)
                        .description("Open findings of the security reviews, by kind and account")
                        .tag("kind", k.get(0))
                        .tag("account", k.get(1))
                        .register(registry);
                    return value;
                  })
              .set(n);
        });
    absent.forEach(k -> openFindings.get(k).set(0));
  }

  /** Registers {@code roster_notifications_total} for every kind and result, so each shows 0. */
  public void registerNotifications(List<String> results) {
    for (NotificationKind kind : NotificationKind.values()) {
      for (String result : results) {
        notifications(kind.wireName(), result);
      }
    }
  }

  /**
   * {@code roster_notifications_total{kind,result}}: one per attempt's result ({@code delivered},
   * {@code failed}), per notification given up ({@code abandoned}) or left to the sweep because the
   * queue was full ({@code deferred}).
   */
  public void notification(String kind, String result) {
    notifications(kind, result).increment();
  }

  private Counter notifications(String kind, String result) {
    return Counter.builder("roster.notifications")
        .description("Outbound notifications, by kind and result (alert on abandoned)")
        .tag("kind", kind)
        .tag("result", result)
        .register(registry);
  }

  public void rejected(String topic) {
    Counter.builder("roster.auditor.records.rejected")
        .description(
            "Records that could not be read (bad JSON, unknown ce_type, missing ids), by topic")
        .tag("topic", topic)
        .register(registry)
        .increment();
  }

  public void deadLettered(DlqReason reason) {
    deadLettered.get(reason).increment();
  }

  public void verified(boolean ok) {
    (ok ? verifiedOk : verifiedBroken).increment();
  }

  /** An anchor published ({@code ok}) or not published for a Kafka or database error. */
  public void anchored(boolean ok) {
    (ok ? anchorsPublished : anchorsFailed).increment();
  }

  /** An anchor not signed because the chain no longer extends the latest one: alert on it. */
  public void anchorRefused() {
    anchorsRefused.increment();
  }

  private Counter anchors(String result) {
    return Counter.builder("roster.auditor.anchors")
        .description("Chain head anchors on audit.anchors, by result (alert on refused)")
        .tag("result", result)
        .register(registry);
  }

  private Counter verification(String result) {
    return Counter.builder("roster.auditor.chain.verifications")
        .description("Chain verifications by result")
        .tag("result", result)
        .register(registry);
  }
}
