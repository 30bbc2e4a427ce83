package dev.roster.provisioner.messaging;

import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.provisioner.Delivery;
import dev.roster.provisioner.DlqReason;
import io.quarkus.logging.Log;
import java.util.List;

/**
 * The results of an event the provisioner made itself (a reconciliation's correction) go to {@code
 * iam.changes} like any event's. There is no consumed record to dead-letter: a failure is in its
 * outcome and in the reconciliation's differences ({@code repaired: false}), and logged.
 */
public final class SynthesizedDelivery implements Delivery {
  private final Publisher publisher;
  private final HrEvent event;

  public SynthesizedDelivery(Publisher publisher, HrEvent event) {
    this.publisher = publisher;
    this.event = event;
  }

  @Override
  public boolean publish(List<IamChange> changes, ProvisioningOutcome outcome) {
    publisher.publish(changes, outcome);
    return true;
  }

  @Override
  public void deadLetter(DlqReason reason, String detail) {
    Log.warnf(
        "event %s (%s, %s) of employee %s failed: %s: %s",
        event.eventId(),
        event.type().wireName(),
        event.reason(),
        event.employeeId(),
        reason.wireName(),
        detail);
  }
}
