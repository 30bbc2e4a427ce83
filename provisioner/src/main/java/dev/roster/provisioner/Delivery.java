package dev.roster.provisioner;

import dev.roster.events.IamChange;
import dev.roster.events.ProvisioningOutcome;
import java.util.List;

/**
 * Where one event's results go (the consumer's side: Kafka); each method returns only once the
 * broker acknowledged. The {@link Provisioner} calls it, then finishes the journal intent itself.
 */
public interface Delivery {

  /**
   * Publishes the change records, then the outcome.
   *
   * @return false when the broker refused them for good and the HR event was dead-lettered instead
   *     (nothing more is to be done for it)
   */
  boolean publish(List<IamChange> changes, ProvisioningOutcome outcome);

  /** The HR event to the dead-letter topic, with why. */
  void deadLetter(DlqReason reason, String detail);
}
