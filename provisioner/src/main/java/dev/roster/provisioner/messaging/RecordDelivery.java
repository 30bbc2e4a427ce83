package dev.roster.provisioner.messaging;

import dev.roster.events.IamChange;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.provisioner.Delivery;
import dev.roster.provisioner.DlqReason;
import io.quarkus.logging.Log;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/** The results of one consumed record (or a held one, applied later) go to Kafka. */
public final class RecordDelivery implements Delivery {
  private final Publisher publisher;
  private final ConsumerRecord<String, String> record;

  public RecordDelivery(Publisher publisher, ConsumerRecord<String, String> record) {
    this.publisher = publisher;
    this.record = record;
  }

  /**
   * Publishes the event's records. A record the broker refuses for good (over its size limit) must
   * not fail the channel, which would stop the partition on every restart: the HR event goes to the
   * DLQ with reason {@code unpublishable} and the partition moves on. Any other failure (Kafka
   * unreachable) still fails the channel, so that the event is redelivered, not lost.
   */
  @Override
  public boolean publish(List<IamChange> changes, ProvisioningOutcome outcome) {
    try {
      publisher.publish(changes, outcome);
      return true;
    } catch (RuntimeException e) {
      if (!refusedForGood(e)) {
        throw e;
      }
      String cause =
          "the results of event " + outcome.eventId() + " cannot be published: " + e.getMessage();
      Log.errorf("%s@%d: %s", record.topic(), record.offset(), cause);
      publisher.deadLetter(record, DlqReason.UNPUBLISHABLE, cause);
      return false;
    }
  }

  @Override
  public void deadLetter(DlqReason reason, String detail) {
    publisher.deadLetter(record, reason, detail);
  }

  static boolean refusedForGood(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof RecordTooLargeException
          || c instanceof RecordBatchTooLargeException
          || c instanceof InvalidRecordException
          || c instanceof SerializationException) {
        return true;
      }
    }
    return false;
  }
}
