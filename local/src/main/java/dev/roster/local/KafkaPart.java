package dev.roster.local;

import dev.roster.sandbox.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

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

  /**
   * Creates every service's ACLs (creating an existing binding again is a no-op) and waits until
   * the broker enforces them: they reach its authorizer through the metadata log, a moment after
   * the controller accepted them, and a service started before that would be refused.
   */
  private void grant() {
    List<AclBinding> bindings =
        List.of(Component.HR_LISTENER, Component.PROVISIONER, Component.AUDITOR).stream()
            .flatMap(c -> KafkaAccess.bindings(c).stream())
            .toList();
    try (Admin admin = broker.admin()) {
      admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!admin
          .describeAcls(AclBindingFilter.ANY)
          .values()
          .get(10, TimeUnit.SECONDS)
          .containsAll(bindings)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the broker does not show the ACLs after 30 s");
        }
        Thread.sleep(50);
      }
    } catch (Exception e) {
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

  /** What a client needs besides bootstrap.servers to connect as the broker's admin. */
  Map<String, String> adminClientProperties() {
    return credentials == null
        ? Map.of()
        : EmbeddedKafka.saslPlainClient(EmbeddedKafka.ADMIN_USER, credentials.adminPassword());
  }
}
