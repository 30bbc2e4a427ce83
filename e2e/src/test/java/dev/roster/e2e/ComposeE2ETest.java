package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.roster.events.Topics;
import dev.roster.sandbox.kafka.EmbeddedKafka;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The documented compose stack ({@code deploy/compose/compose.yaml}) as it comes up on this kind of
 * machine: with the host-network override {@code compose.host.yaml} (through {@code
 * deploy/containers/compose}) and the stand-in images of {@code deploy/containers} (LocalStack's
 * name is the IAM sandbox), the three services built by compose from their {@code Dockerfile.jvm}.
 * Every port is picked free, the project name is unique, and the stack is taken down with its
 * volumes afterwards. The secrets are the ones the wrapper generates ({@code
 * deploy/compose/secrets}), here into a file of this run. Plays the e2e story over Kafka with TLS,
 * SCRAM-SHA-512 and ACLs, checks IAM through the stand-in's endpoint and the audit log through the
 * auditor, and that the broker refuses strangers, clients without TLS or with PLAIN, a host name
 * its certificate does not carry, and services outside their ACLs.
 */
class ComposeE2ETest {
  static final Duration UP = Duration.ofMinutes(10);

  static Path root;
  static Path logs;
  static String project;
  static final Map<String, String> ENV = new LinkedHashMap<>();
  static Path secretsFile;
  static final Map<String, String> SECRETS = new HashMap<>();
  static ContainerStory story;

  /** The PEM of the CA kafka-certs generated: the clients' truststore. */
  static String caCertificate;

  @BeforeAll
  static void composeUp() throws Exception {
    ContainerEngine.require();
    root = RepoRoot.find();
    for (String svc : TestcontainersE2ETest.SERVICES) {
      if (!Files.isRegularFile(root.resolve(svc).resolve("target/quarkus-app/quarkus-run.jar"))) {
        abort(svc + " is not packaged (run ./mvnw -B verify from the root)");
      }
    }
    logs = Files.createDirectories(root.resolve("e2e/target/compose-logs"));
    long t0 = System.nanoTime();
    // The images that need Roster's build: the IAM sandbox as localstack/localstack:4 (and the
    // services, which compose rebuilds below from the same layers).
    int prepared =
        run(
            List.of(root.resolve("deploy/containers/prepare").toString(), "--project"),
            logs.resolve("prepare.log"),
            UP);
    if (prepared == 3) {
      abort(
          "deploy/containers/prepare --project: " + Files.readString(logs.resolve("prepare.log")));
    }
    assertThat(prepared).as("deploy/containers/prepare --project (see %s)", logs).isZero();

    project = "roster-e2e-" + UUID.randomUUID().toString().substring(0, 8);
    secretsFile = logs.resolve(project + ".env");
    ENV.put("ROSTER_COMPOSE_ENV_FILE", secretsFile.toString());
    for (String port :
        List.of(
            "KAFKA",
            "KAFKA_CONTROLLER",
            "KAFKA_INTERNAL",
            "POSTGRES",
            "IAM",
            "HR_LISTENER",
            "PROVISIONER",
            "AUDITOR")) {
      ENV.put("ROSTER_HOST_" + port + "_PORT", Integer.toString(ContainerPorts.pick()));
    }
    int up = compose(logs.resolve("up.log"), "up", "-d", "--build");
    assertThat(up).as("docker-compose up (see %s)", logs.resolve("up.log")).isZero();
    readSecrets();
    caCertificate = readCaCertificate();
    URI listener = local("HR_LISTENER");
    URI auditor = local("AUDITOR");
    ContainerStory.awaitReady(Duration.ofMinutes(4), listener, local("PROVISIONER"), auditor);
    story =
        new ContainerStory(
            Mapping.read(root.resolve("deploy/roles.yaml")),
            listener,
            SECRETS.get("ROSTER_WEBHOOK_SECRET"),
            auditor,
            SECRETS.get("ROSTER_AUDITOR_PASSWORD"),
            local("IAM"));
    System.out.printf(
        "containers: compose project %s up in %.1f s (logs %s)%n",
        project, (System.nanoTime() - t0) / 1e9, logs);
  }

  /** The generated secrets: owner-only, one per variable, long random values. */
  static void readSecrets() throws IOException {
    assertThat(Files.getPosixFilePermissions(secretsFile))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    for (String line : Files.readAllLines(secretsFile)) {
      int eq = line.indexOf('=');
      SECRETS.put(line.substring(0, eq), line.substring(eq + 1));
    }
    assertThat(SECRETS)
        .containsOnlyKeys(
            "ROSTER_KAFKA_ADMIN_PASSWORD",
            "ROSTER_KAFKA_HR_LISTENER_PASSWORD",
            "ROSTER_KAFKA_PROVISIONER_PASSWORD",
            "ROSTER_KAFKA_AUDITOR_PASSWORD",
            "ROSTER_KAFKA_KEYSTORE_PASSWORD",
            "ROSTER_DB_PASSWORD",
            "ROSTER_AUDITOR_DB_PASSWORD",
            "ROSTER_WEBHOOK_SECRET",
            "ROSTER_AUDITOR_PASSWORD",
            "ROSTER_REVIEW_TOKEN",
            "ROSTER_NOTIFY_SECRET");
    assertThat(SECRETS.values()).allMatch(v -> v.matches("[0-9a-f]{64}")).doesNotHaveDuplicates();
  }

  /** The CA's certificate, as the services read it: from the broker's kafka-tls volume. */
  static String readCaCertificate() throws Exception {
    Path out = logs.resolve(project + "-ca.txt");
    int cat = compose(out, "exec", "-T", "kafka", "cat", "/etc/roster/kafka-tls/ca.crt");
    assertThat(cat).as("the CA certificate (see %s)", out).isZero();
    String text = Files.readString(out);
    int begin = text.indexOf("-----BEGIN CERTIFICATE-----");
    String end = "-----END CERTIFICATE-----";
    assertThat(begin).as("a PEM certificate in %s", out).isNotNegative();
    return text.substring(begin, text.indexOf(end, begin) + end.length());
  }

  static URI local(String port) {
    return URI.create("http://127.0.0.1:" + ENV.get("ROSTER_HOST_" + port + "_PORT"));
  }

  @AfterAll
  static void composeDown() throws Exception {
    try {
      if (story != null) {
        story.close();
      }
      if (project != null) {
        compose(logs.resolve("stack.log"), "logs", "--no-color");
        int down = compose(logs.resolve("down.log"), "down", "-v", "--remove-orphans");
        assertThat(down).as("docker-compose down (see %s)", logs.resolve("down.log")).isZero();
        // The stack and its volumes are gone: its secrets need not outlive them.
        Files.deleteIfExists(secretsFile);
      }
    } finally {
      ContainerEngine.release();
    }
  }

  @Test
  void theDocumentedStackProvisionsAndAuditsASignedStory() {
    long t0 = System.nanoTime();
    story.play(Duration.ofMinutes(3));
    story.assertIam();
    story.assertAudit();
    System.out.printf(
        "containers: the compose story settled and checked in %.1f s%n",
        (System.nanoTime() - t0) / 1e9);
  }

  /**
   * The broker lets in only the users it knows, over TLS, with SCRAM-SHA-512, each doing what its
   * ACLs allow: a client without TLS, with PLAIN, with a wrong password, not trusting the stack's
   * CA, or reaching the broker by a name its certificate does not carry gets nothing in; a
   * service's own user cannot write a topic another service trusts. None of the attempts leaves a
   * record.
   */
  @Test
  void kafkaRefusesStrangersAndServicesOutsideTheirAcls() throws Exception {
    String key = "forged-" + UUID.randomUUID();
    String hrPassword = SECRETS.get("ROSTER_KAFKA_HR_LISTENER_PASSWORD");
    assertThatThrownBy(() -> send(Map.of(), Topics.HR_EVENTS, key))
        .as("a client without TLS and credentials")
        .isNotNull();
    assertThatThrownBy(
            () ->
                send(
                    EmbeddedKafka.saslPlainClient("roster-hr-listener", hrPassword),
                    Topics.HR_EVENTS,
                    key))
        .as("the right password over SASL_PLAINTEXT, without TLS")
        .isNotNull();
    Map<String, String> plainOverTls =
        new HashMap<>(EmbeddedKafka.saslPlainClient("roster-hr-listener", hrPassword));
    plainOverTls.putAll(tls());
    plainOverTls.put("security.protocol", "SASL_SSL");
    assertThatThrownBy(() -> send(plainOverTls, Topics.HR_EVENTS, key))
        .as("the right password with PLAIN over TLS")
        .hasRootCauseInstanceOf(UnsupportedSaslMechanismException.class);
    assertThatThrownBy(
            () -> send(scram("roster-hr-listener", "not-the-password"), Topics.HR_EVENTS, key))
        .hasRootCauseInstanceOf(SaslAuthenticationException.class);
    Map<String, String> untrusting = new HashMap<>(scram("roster-hr-listener", hrPassword));
    untrusting.remove("ssl.truststore.type");
    untrusting.remove("ssl.truststore.certificates");
    assertThatThrownBy(() -> send(untrusting, Topics.HR_EVENTS, key))
        .as("a client that does not trust the stack's CA")
        .satisfies(
            e ->
                assertThat(causes(e)).hasAtLeastOneElementOfType(SslAuthenticationException.class));
    // The certificate names 127.0.0.1, the address the broker advertises here: not localhost.
    assertThatThrownBy(
            () ->
                send(
                    scram("roster-hr-listener", hrPassword),
                    "localhost:" + ENV.get("ROSTER_HOST_KAFKA_PORT"),
                    Topics.HR_EVENTS,
                    key))
        .as("the broker reached by a name its certificate does not carry")
        .satisfies(
            e ->
                assertThat(causes(e))
                    .hasAtLeastOneElementOfType(SslAuthenticationException.class)
                    .anySatisfy(
                        c ->
                            assertThat(c)
                                .isInstanceOf(CertificateException.class)
                                .hasMessageContaining("localhost")));
    assertThatThrownBy(() -> send(service("hr-listener"), Topics.IAM_CHANGES, key))
        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
    assertThatThrownBy(() -> send(service("provisioner"), Topics.HR_EVENTS, key))
        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
    assertThatThrownBy(() -> send(service("auditor"), Topics.IAM_CHANGES, key))
        .hasRootCauseInstanceOf(TopicAuthorizationException.class);

    Map<String, String> admin =
        scram(EmbeddedKafka.ADMIN_USER, SECRETS.get("ROSTER_KAFKA_ADMIN_PASSWORD"));
    assertThat(keys(admin, Topics.HR_EVENTS, Topics.IAM_CHANGES))
        .as("the story's records, readable by the admin")
        .isNotEmpty()
        .doesNotContain(key);
  }

  /** The client settings of a service's own user, e.g. {@code roster-hr-listener}. */
  static Map<String, String> service(String name) {
    String variable = "ROSTER_KAFKA_" + name.toUpperCase().replace('-', '_') + "_PASSWORD";
    return scram("roster-" + name, SECRETS.get(variable));
  }

  /** As the services connect: SASL_SSL, SCRAM-SHA-512, the stack's CA, host name verified. */
  static Map<String, String> scram(String user, String password) {
    Map<String, String> config = new HashMap<>(tls());
    config.put("security.protocol", "SASL_SSL");
    config.put("sasl.mechanism", "SCRAM-SHA-512");
    config.put("sasl.jaas.config", KafkaProbe.scramLogin(user, password));
    return config;
  }

  static Map<String, String> tls() {
    return Map.of("ssl.truststore.type", "PEM", "ssl.truststore.certificates", caCertificate);
  }

  static List<Throwable> causes(Throwable e) {
    return KafkaProbe.causes(e);
  }

  static Map<String, Object> client(Map<String, String> security) {
    Map<String, Object> config = new HashMap<>(security);
    config.put("bootstrap.servers", "127.0.0.1:" + ENV.get("ROSTER_HOST_KAFKA_PORT"));
    config.put("request.timeout.ms", 5_000);
    config.put("default.api.timeout.ms", 10_000);
    return config;
  }

  static void send(Map<String, String> security, String topic, String key) {
    send(security, "127.0.0.1:" + ENV.get("ROSTER_HOST_KAFKA_PORT"), topic, key);
  }

  static void send(Map<String, String> security, String bootstrap, String topic, String key) {
    KafkaProbe.send(security, bootstrap, topic, key);
  }

  /** The keys of every record of the topics, read by assignment to their end. */
  static Set<String> keys(Map<String, String> security, String... topics) {
    Set<String> keys = new java.util.HashSet<>();
    try (var consumer =
        new KafkaConsumer<String, String>(
            client(security), new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer
            .partitionsFor(topic)
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertThat(System.nanoTime()).as("read to the end within a minute").isLessThan(deadline);
        consumer.poll(Duration.ofMillis(500)).forEach(r -> keys.add(r.key()));
      }
    }
    return keys;
  }

  static int compose(Path log, String... args) throws Exception {
    // docker-compose over compose.yaml + compose.host.yaml, published ports dropped as host
    // networking does (the wrapper says why).
    List<String> cmd =
        new ArrayList<>(
            List.of(root.resolve("deploy/containers/compose").toString(), "-p", project));
    cmd.addAll(List.of(args));
    return run(cmd, log, UP);
  }

  /** Runs a command with the stack's environment, output to {@code log}; its exit status. */
  static int run(List<String> cmd, Path log, Duration timeout) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(new File(log.toString()));
    pb.environment().putAll(ENV);
    Process p = pb.start();
    try {
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(cmd + " did not end within " + timeout + " (see " + log + ")");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return p.exitValue();
  }
}
