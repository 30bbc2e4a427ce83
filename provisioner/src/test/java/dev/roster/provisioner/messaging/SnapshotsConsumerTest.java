package dev.roster.provisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.events.CloudEvents;
import dev.roster.events.EmployeeStatus;
import dev.roster.events.EventJson;
import dev.roster.events.Reconciliation;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.SnapshotEmployee;
import dev.roster.events.SnapshotMode;
import dev.roster.events.SnapshotPart;
import dev.roster.events.Topics;
import dev.roster.provisioner.FakeIamGateway;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMappingLoader;
import dev.roster.provisioner.reconcile.Reconciler;
import dev.roster.provisioner.reconcile.ReconciliationSink;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

/**
 * The snapshot consumer's durability: no part is acknowledged (so no offset passes part 0) before
 * the whole snapshot is reconciled and published; a failure acknowledges nothing.
 */
class SnapshotsConsumerTest {
  static final RoleMapping MAPPING = RoleMappingLoader.load(Path.of("../deploy/roles.yaml"));

  final List<Reconciliation> statuses = new ArrayList<>();
  boolean failing;
  final AtomicInteger acks = new AtomicInteger();
  final AtomicInteger nacks = new AtomicInteger();

  final ReconciliationSink sink =
      new ReconciliationSink() {
        @Override
        public void status(Reconciliation r) {
          if (failing && r.status() != ReconciliationStatus.RUNNING) {
            throw new IllegalStateException("broker unreachable");
          }
          statuses.add(r);
        }

        @Override
        public void differences(List<Reconciliation.Difference> differences, String phase) {}
      };

  SnapshotsConsumer consumer() {
    Reconciler reconciler =
        new Reconciler(
            MAPPING,
            new FakeIamGateway(),
            e -> {
              throw new AssertionError("report mode repairs nothing");
            },
            sink,
            Clock.systemUTC(),
            Runnable::run,
            OptionalInt.empty());
    return new SnapshotsConsumer(reconciler, null, null);
  }

  Message<String> part(int part, int parts, long offset) throws Exception {
    SnapshotPart p =
        new SnapshotPart(
            "snap-1",
            SnapshotMode.REPORT,
            OffsetDateTime.parse("2026-12-01T09:00:00Z"),
            part,
            parts,
            parts,
            List.of(
                new SnapshotEmployee(
                    "E" + part,
                    "e" + part,
                    EmployeeStatus.ACTIVE,
                    List.of("developer"),
                    null,
                    null,
                    null,
                    null,
                    null)));
    ConsumerRecord<String, String> record =
        new ConsumerRecord<>(
            Topics.HR_SNAPSHOTS, 0, offset, "snap-1", EventJson.mapper().writeValueAsString(p));
    record
        .headers()
        .add(
            CloudEvents.HEADER_TYPE,
            CloudEvents.SNAPSHOT_PART_TYPE.getBytes(StandardCharsets.UTF_8));
    return Message.of(
        record.value(),
        Metadata.of(new IncomingKafkaRecordMetadata<>(record, "hr-snapshots")),
        () -> {
          acks.incrementAndGet();
          return CompletableFuture.completedFuture(null);
        },
        e -> {
          nacks.incrementAndGet();
          return CompletableFuture.completedFuture(null);
        });
  }

  @Test
  void partsAreAcknowledgedOnlyOnceTheWholeSnapshotIsReconciled() throws Exception {
    SnapshotsConsumer consumer = consumer();

    consumer.consume(part(0, 3, 10)).toCompletableFuture().join();
    consumer.consume(part(1, 3, 11)).toCompletableFuture().join();

    assertThat(acks).hasValue(0);
    assertThat(statuses).isEmpty();

    consumer.consume(part(2, 3, 12)).toCompletableFuture().join();

    assertThat(acks).hasValue(3);
    assertThat(statuses)
        .extracting(Reconciliation::status)
        .containsExactly(ReconciliationStatus.RUNNING, ReconciliationStatus.COMPLETED);
    assertThat(statuses.get(1).counts()).containsEntry("missing-user", 6);
  }

  @Test
  void aReconciliationThatCannotBePublishedAcknowledgesNoPartSoItRunsAgain() throws Exception {
    SnapshotsConsumer consumer = consumer();
    failing = true;

    consumer.consume(part(0, 2, 10)).toCompletableFuture().join();
    consumer.consume(part(1, 2, 11)).toCompletableFuture().join();

    assertThat(acks).hasValue(0);
    assertThat(nacks).hasValue(1);
  }
}
