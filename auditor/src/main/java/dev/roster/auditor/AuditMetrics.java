package dev.roster.auditor;

import dev.roster.auditor.chain.EntryKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;

/**
 * The auditor's Prometheus metrics: {@code roster_auditor_entries_stored_total{kind}}, {@code
 * roster_auditor_duplicates_skipped_total{kind}}, {@code
 * roster_auditor_records_rejected_total{topic}} and {@code
 * roster_auditor_chain_verifications_total{result}}.
 */
@ApplicationScoped
public class AuditMetrics {
  private final Map<EntryKind, Counter> stored = new EnumMap<>(EntryKind.class);
  private final Map<EntryKind, Counter> duplicates = new EnumMap<>(EntryKind.class);
  private final Counter verifiedOk;
  private final Counter verifiedBroken;
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
    verifiedOk = verification("ok");
    verifiedBroken = verification("broken");
  }

  public void stored(Map<EntryKind, Integer> counts) {
    counts.forEach((kind, n) -> stored.get(kind).increment(n));
  }

  public void duplicates(Map<EntryKind, Integer> counts) {
    counts.forEach((kind, n) -> duplicates.get(kind).increment(n));
  }

  public void rejected(String topic) {
    Counter.builder("roster.auditor.records.rejected")
        .description("Records that could not be read (bad JSON, unknown ce_type, missing ids)")
        .tag("topic", topic)
        .register(registry)
        .increment();
  }

  public void verified(boolean ok) {
    (ok ? verifiedOk : verifiedBroken).increment();
  }

  private Counter verification(String result) {
    return Counter.builder("roster.auditor.chain.verifications")
        .description("Chain verifications by result")
        .tag("result", result)
        .register(registry);
  }
}
