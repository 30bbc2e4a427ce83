package dev.roster.provisioner.reconcile;

import dev.roster.events.Reconciliation;
import java.util.List;

/** Where a reconciliation's records go (Kafka); each call returns once the broker acknowledged. */
public interface ReconciliationSink {
  void status(Reconciliation reconciliation);

  /**
   * @param phase distinguishes the same difference published again later (held, then applied), so
   *     that an idempotent reader keeps both
   */
  void differences(List<Reconciliation.Difference> differences, String phase);
}
