package dev.roster.local;

import dev.roster.sandbox.kafka.EmbeddedKafka;
import java.nio.file.Path;

/** The Kafka broker (KRaft), run by this JVM; its log survives a stop. */
final class KafkaPart extends EmbeddedPart {
  private final Path dataDir;
  private final int partitions;
  private EmbeddedKafka broker;

  KafkaPart(int port, Path dataDir, int partitions) {
    super(Component.KAFKA, port);
    this.dataDir = dataDir;
    this.partitions = partitions;
  }

  @Override
  public synchronized void start() {
    if (broker == null) {
      broker =
          EmbeddedKafka.builder()
              .port(port())
              .dataDir(dataDir)
              .defaultPartitions(partitions)
              .build();
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
