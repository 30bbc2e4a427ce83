package dev.roster.local;

import dev.roster.sandbox.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.List;

/**
 * The Kafka broker (KRaft), run by this JVM; its log survives a stop. Secured (the default of
 * {@code ./roster up}), it lets in SASL/PLAIN clients only, one user per service, and authorizes
 * every request by the ACLs of {@link KafkaAccess}.
 */
final class KafkaPart extends EmbeddedPart {
  private final Path dataDir;
  private final int partitions;
  private final KafkaCredentials credentials;
  private EmbeddedKafka broker;

  /** {@code credentials} null: a plaintext broker without ACLs. */
  KafkaPart(int port, Path dataDir, int partitions, KafkaCredentials credentials) {
    super(Component.KAFKA, port);
    this.dataDir = dataDir;
    this.partitions = partitions;
    this.credentials = credentials;
  }

  @Override
  public synchronized void start() {
    if (broker == null) {
      EmbeddedKafka.Builder b =
          EmbeddedKafka.builder().port(port()).dataDir(dataDir).defaultPartitions(partitions);
      if (credentials != null) {
        credentials.services().forEach(b::sasl);
        b.adminPassword(credentials.adminPassword()).acls();
      }
      broker = b.build();
    }
    try {
      broker.start();
    } catch (RuntimeException e) {
      throw new LauncherException(
          "The Kafka broker did not start: " + LauncherException.rootMessage(e) + ".", e);
    }
    // Per-employee order comes from the key; several partitions let several people proceed at
    // once.
    broker.createTopics(partitions, EmbeddedKafka.rosterTopics());
    if (credentials != null) {
      grant();
    }
  }

  /** Every service's ACLs, in force once this returns. */
  private void grant() {
    try {
      broker.grant(
          List.of(Component.HR_LISTENER, Component.PROVISIONER, Component.AUDITOR).stream()
              .flatMap(c -> KafkaAccess.bindings(c).stream())
              .toList());
    } catch (RuntimeException e) {
      throw new LauncherException(
          "Cannot create the Kafka ACLs: " + LauncherException.rootMessage(e) + ".", e);
    }
  }

  @Override
  public synchronized void stop() {
    if (broker != null) {
      broker.stop();
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return broker != null && broker.isRunning();
  }

  /** The broker (null before the first start). */
  synchronized EmbeddedKafka broker() {
    return broker;
  }
}
