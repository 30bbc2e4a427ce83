package dev.roster.provisioner.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.Reconciliation;
import dev.roster.provisioner.ChangeIds;
import dev.roster.provisioner.reconcile.ReconciliationSink;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes reconciliations on {@code reconciliations}, keyed by reconciliation id (CloudEvents
 * binary mode), and waits for the broker's acknowledgement (acks=all, idempotent producer).
 */
@ApplicationScoped
public class ReconciliationPublisher implements ReconciliationSink {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

  private final MutinyEmitter<String> reconciliations;

  public ReconciliationPublisher(
      @Channel(Channels.RECONCILIATIONS) MutinyEmitter<String> reconciliations) {
    this.reconciliations = reconciliations;
  }

  @Override
  public void status(Reconciliation r) {
    OffsetDateTime at = r.completedAt() != null ? r.completedAt() : r.startedAt();
    reconciliations
        .sendMessage(
            Publisher.cloudEvent(
                r.reconciliationId(),
                ChangeIds.of(r.reconciliationId(), "", "reconciliation", r.status().wireName()),
                CloudEvents.RECONCILIATION_TYPE,
                at,
                json(r)))
        .await()
        .atMost(ACK_TIMEOUT);
  }

  @Override
  public void differences(List<Reconciliation.Difference> differences, String phase) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    List<Uni<Void>> sends = new ArrayList<>();
    for (Reconciliation.Difference d : differences) {
      String id =
          ChangeIds.of(
              d.reconciliationId() + (phase.isEmpty() ? "" : "|" + phase),
              d.account(),
              d.kind().wireName(),
              d.employeeId() + "|" + d.userName() + "|" + d.detail());
      sends.add(
          reconciliations.sendMessage(
              Publisher.cloudEvent(
                  d.reconciliationId(), id, CloudEvents.DIFFERENCE_TYPE, now, json(d))));
    }
    if (!sends.isEmpty()) {
      Uni.join().all(sends).andFailFast().replaceWithVoid().await().atMost(ACK_TIMEOUT);
    }
  }

  private static String json(Object value) {
    try {
      return EventJson.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }
}
