package dev.roster.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.roster.events.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured local broker: each service gets in with its own password and can do exactly what
 * {@link KafkaAccess} grants it; with one service's credentials nobody can write what another
 * service trusts. The k8s KafkaUsers grant the same.
 */
class KafkaAccessTest {
  @TempDir static Path dir;
  static Stack stack;

  @BeforeAll
  static void start() throws Exception {
    Files.writeString(dir.resolve("roles.yaml"), LauncherTest.ROLES);
    stack =
        Stack.builder()
            .root(dir)
            .dataDir(dir.resolve("data"))
            .rolesFile(dir.resolve("roles.yaml"))
            .randomPorts()
            .only(Component.KAFKA)
            .kafkaSecurity(true)
            .logSink(line -> {})
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void hrListenerWritesHrEventsAndNothingElse() {
    send(Component.HR_LISTENER, Topics.HR_EVENTS);
    send(Component.HR_LISTENER, Topics.HR_SNAPSHOTS);

    assertDenied(() -> send(Component.HR_LISTENER, Topics.IAM_CHANGES));
    assertDenied(() -> send(Component.HR_LISTENER, Topics.RECONCILIATIONS));
    assertDenied(() -> send(Component.HR_LISTENER, Topics.PROVISIONER_JOURNAL));
    assertDenied(
        () -> read(Component.HR_LISTENER, Topics.HR_EVENTS, KafkaAccess.PROVISIONER_GROUP));
  }

  @Test
  void noOtherServicesCredentialsCanWriteHrEvents() {
    assertDenied(() -> send(Component.PROVISIONER, Topics.HR_EVENTS));
    assertDenied(() -> send(Component.AUDITOR, Topics.HR_EVENTS));
  }

  @Test
  void onlyHrListenerWritesSnapshotsAndOnlyTheProvisionerReconciles() {
    read(Component.PROVISIONER, Topics.HR_SNAPSHOTS, KafkaAccess.PROVISIONER_RECONCILE_GROUP);
    send(Component.PROVISIONER, Topics.RECONCILIATIONS);
    read(Component.AUDITOR, Topics.RECONCILIATIONS, KafkaAccess.AUDITOR_GROUP);

    assertDenied(() -> send(Component.PROVISIONER, Topics.HR_SNAPSHOTS));
    assertDenied(() -> send(Component.AUDITOR, Topics.HR_SNAPSHOTS));
    assertDenied(() -> send(Component.AUDITOR, Topics.RECONCILIATIONS));
    assertDenied(() -> read(Component.AUDITOR, Topics.HR_SNAPSHOTS, KafkaAccess.AUDITOR_GROUP));
    assertDenied(
        () ->
            read(
                Component.HR_LISTENER,
                Topics.HR_SNAPSHOTS,
                KafkaAccess.PROVISIONER_RECONCILE_GROUP));
  }

  /** A held reconciliation can be approved while its snapshot is still on the topic. */
  @Test
  void theReconciliationTopicsAreCreatedWithTheirRetention() throws Exception {
    try (var admin = stack.kafka().admin()) {
      var topics =
          admin
              .describeTopics(List.of(Topics.HR_SNAPSHOTS, Topics.RECONCILIATIONS))
              .allTopicNames()
              .get(20, TimeUnit.SECONDS);
      assertThat(topics.get(Topics.HR_SNAPSHOTS).partitions()).hasSize(6);
      assertThat(topics.get(Topics.RECONCILIATIONS).partitions()).hasSize(6);
      var snapshots =
          new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.TOPIC, Topics.HR_SNAPSHOTS);
      var reconciliations =
          new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.TOPIC, Topics.RECONCILIATIONS);
      var configs =
          admin
              .describeConfigs(List.of(snapshots, reconciliations))
              .all()
              .get(20, TimeUnit.SECONDS);
      assertThat(configs.get(snapshots).get("retention.ms").value())
          .isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
      assertThat(configs.get(reconciliations).get("retention.ms").value())
          .isEqualTo(Long.toString(Duration.ofDays(30).toMillis()));
    }
  }

  @Test
  void theProvisionerReadsHrEventsInItsGroupAndWritesItsTopics() {
    send(Component.PROVISIONER, Topics.IAM_CHANGES);
    send(Component.PROVISIONER, Topics.HR_EVENTS_DLQ);
    read(Component.PROVISIONER, Topics.HR_EVENTS, KafkaAccess.PROVISIONER_GROUP);

    assertDenied(() -> read(Component.PROVISIONER, Topics.HR_EVENTS, KafkaAccess.AUDITOR_GROUP));
    assertDenied(() -> send(Component.PROVISIONER, Topics.AUDIT_DLQ));
  }

  @Test
  void onlyTheAuditorWritesTheAuditTopicsAndNobodyButTheProvisionerForgesChanges() {
    send(Component.AUDITOR, Topics.AUDIT_DLQ);
    read(Component.AUDITOR, Topics.IAM_CHANGES, KafkaAccess.AUDITOR_GROUP);

    assertDenied(() -> send(Component.AUDITOR, Topics.IAM_CHANGES));
    assertDenied(() -> send(Component.HR_LISTENER, Topics.AUDIT_DLQ));
  }

  @Test
  void theOperatorFileHoldsTheAdminSettingsOwnerReadableOnly() throws Exception {
    Path file = dir.resolve("data").resolve(Stack.KAFKA_CLIENT_FILE);
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    KafkaTarget target = KafkaTarget.local(stack.kafkaBootstrapServers(), dir.resolve("data"));
    assertThat(target.toString()).doesNotContain("password");
    try (var consumer = target.consumer()) {
      assertThat(target.partitions(consumer, List.of(Topics.HR_EVENTS))).hasSize(6);
    }
  }

  /** The Strimzi KafkaUsers of deploy/k8s grant each service exactly what the local broker does. */
  @Test
  void theKubernetesKafkaUsersGrantTheSame() throws Exception {
    Path manifest =
        Path.of("").toAbsolutePath().getParent().resolve("deploy/k8s/base/kafka-users.yaml");
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    Map<String, Set<KafkaAccess.Grant>> declared = new HashMap<>();
    try (var parser = yaml.getFactory().createParser(manifest.toFile())) {
      for (var it = yaml.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode user = it.next();
        Set<KafkaAccess.Grant> grants = new HashSet<>();
        assertThat(user.at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
        for (JsonNode acl : user.at("/spec/authorization/acls")) {
          for (JsonNode op : acl.get("operations")) {
            grants.add(
                new KafkaAccess.Grant(
                    ResourceType.valueOf(acl.at("/resource/type").asText().toUpperCase()),
                    acl.at("/resource/name").asText(),
                    acl.at("/resource/patternType").asText().equals("prefix")
                        ? PatternType.PREFIXED
                        : PatternType.LITERAL,
                    AclOperation.fromString(op.asText())));
          }
        }
        declared.put(user.at("/metadata/name").asText(), grants);
      }
    }
    assertThat(declared).isEqualTo(localGrants());
  }

  /** The compose stack's broker grants (deploy/compose/kafka/acls) are the same too. */
  @Test
  void theComposeAclsGrantTheSame() throws Exception {
    Path table = Path.of("").toAbsolutePath().getParent().resolve("deploy/compose/kafka/acls");
    Map<String, Set<KafkaAccess.Grant>> declared = new HashMap<>();
    for (String line : Files.readAllLines(table)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      assertThat(f).as(line).hasSize(5);
      declared
          .computeIfAbsent(f[0], u -> new HashSet<>())
          .add(
              new KafkaAccess.Grant(
                  ResourceType.fromString(f[2]),
                  f[4],
                  PatternType.valueOf(f[3].toUpperCase(java.util.Locale.ROOT)),
                  AclOperation.fromString(f[1])));
    }
    assertThat(declared).isEqualTo(localGrants());
  }

  private static Map<String, Set<KafkaAccess.Grant>> localGrants() {
    Map<String, Set<KafkaAccess.Grant>> local = new HashMap<>();
    for (Component c : List.of(Component.HR_LISTENER, Component.PROVISIONER, Component.AUDITOR)) {
      local.put(KafkaAccess.user(c), Set.copyOf(KafkaAccess.grants(c)));
    }
    return local;
  }

  private static Map<String, Object> client(Component service) {
    Map<String, Object> config = new HashMap<>(stack.kafkaClientProperties(service));
    config.put("bootstrap.servers", stack.kafkaBootstrapServers());
    config.put("request.timeout.ms", 5_000);
    config.put("default.api.timeout.ms", 8_000);
    return config;
  }

  private static void send(Component service, String topic) {
    Map<String, Object> config = client(service);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 8_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8_000);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    try (var producer =
        new KafkaProducer<String, String>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", "v")).get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void read(Component service, String topic, String group) {
    Map<String, Object> config = client(service);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (var consumer =
        new KafkaConsumer<String, String>(
            config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200));
      }
      consumer.commitSync(Duration.ofSeconds(8));
      assertThat(consumer.assignment()).isNotEmpty();
    }
  }

  private static void assertDenied(Runnable attempt) {
    assertThatThrownBy(attempt::run)
        .satisfies(
            e ->
                assertThat(rootOrSelf(e))
                    .isInstanceOfAny(
                        TopicAuthorizationException.class, GroupAuthorizationException.class));
  }

  private static Throwable rootOrSelf(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
