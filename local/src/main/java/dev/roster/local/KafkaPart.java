package dev.roster.local;

import dev.roster.events.Topics;
import dev.roster.sandbox.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The Kafka broker (KRaft), run by this JVM; its log survives a stop. Secured (the default of
 * {@code ./roster up}), it lets in SASL/PLAIN clients only, one user per service, and authorizes
 * every request by the ACLs of {@link KafkaAccess}.
 */
final class KafkaPart extends EmbeddedPart {
  /**
   * How long {@code hr.snapshots} keeps a snapshot: a reconciliation held by the mass-change guard
   * can be approved for that long. Not longer: a snapshot applied weeks late would undo the HR
   * changes made since (hires absent from it read as leavers). Same in compose and k8s.
   */
  static final Duration SNAPSHOT_RETENTION = Duration.ofDays(7);

  /** How long {@code reconciliations} is kept: as {@code hr.events}, replayable into an auditor. */
  static final Duration RECONCILIATION_RETENTION = Duration.ofDays(30);

  /** The reconciliation topics and their retention, beside {@link EmbeddedKafka#rosterTopics()}. */
  static final Map<String, Duration> RECONCILE_TOPICS =
      Map.of(
          Topics.HR_SNAPSHOTS,
          SNAPSHOT_RETENTION,
          Topics.RECONCILIATIONS,
          RECONCILIATION_RETENTION,
          Topics.REVIEWS,
          RECONCILIATION_RETENTION);

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
    createWithRetention(RECONCILE_TOPICS);
    if (credentials != null) {
      grant();
    }
  }

  /**
   * Creates the topics if missing (as many partitions as the others: keyed by snapshot or
   * reconciliation id) and sets their retention, also on a topic an older data directory has.
   */
  private void createWithRetention(Map<String, Duration> topics) {
    try (Admin admin = broker.admin()) {
      Collection<NewTopic> missing =
          topics.keySet().stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList();
      for (var created : admin.createTopics(missing).values().values()) {
        try {
          created.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      Map<ConfigResource, Collection<AlterConfigOp>> retention = new java.util.HashMap<>();
      topics.forEach(
          (t, d) ->
              retention.put(
                  new ConfigResource(ConfigResource.Type.TOPIC, t),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry(
                              TopicConfig.RETENTION_MS_CONFIG, Long.toString(d.toMillis())),
                          AlterConfigOp.OpType.SET))));
      admin.incrementalAlterConfigs(retention).all().get(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LauncherException("Interrupted while creating the Kafka topics.", e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new LauncherException(
          "Cannot create the Kafka topics: " + LauncherException.rootMessage(e) + ".", e);
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
