package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.events.Topics;
import dev.roster.local.Component;
import dev.roster.local.KafkaAccess;
import dev.roster.local.RoleMappingFile;
import dev.roster.sandbox.iam.IamSandbox;
import dev.roster.sandbox.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * Roster as containers: the three services from the images their real {@code Dockerfile.jvm} builds
 * from the packaged jars (on the stand-in JRE base, build argument {@code BASE_IMAGE}), against
 * Kafka and PostgreSQL containers, with the IAM sandbox of this JVM as the IAM endpoint. Host
 * networking only (no bridge here): every container listens on 127.0.0.1 on a port this test picked
 * free. Plays the e2e story (hire, move, leave across two accounts) and checks IAM and the audit
 * log. Needs {@code deploy/containers/prepare} ({@link ContainerEngine} says when it skips).
 */
class TestcontainersE2ETest {
  static final String SECRET = "tc-webhook-secret-0123456789abcdefghij";
  static final String AUDITOR_PASSWORD = "tc-auditor-password";
  static final String DB_OWNER_PASSWORD = "tc-owner-password";
  static final String DB_APP_PASSWORD = "tc-app-password";
  static final Duration START = Duration.ofMinutes(4);
  static final List<String> SERVICES = List.of("hr-listener", "provisioner", "auditor");
  static final List<Component> SERVICE_COMPONENTS =
      List.of(Component.HR_LISTENER, Component.PROVISIONER, Component.AUDITOR);
  static final String ADMIN_PASSWORD = "tc-admin-" + UUID.randomUUID();

  /** Each service user's Kafka password, random for this run. */
  static final Map<String, String> PASSWORDS =
      SERVICE_COMPONENTS.stream()
          .collect(
              java.util.stream.Collectors.toUnmodifiableMap(
                  KafkaAccess::user, c -> "tc-" + c.displayName() + "-" + UUID.randomUUID()));

  static final List<GenericContainer<?>> CONTAINERS =
      Collections.synchronizedList(new ArrayList<>());
  static IamSandbox iam;
  static ContainerStory story;
  static Path logs;
  static String bootstrap;
  static String internal;

  @BeforeAll
  static void startRosterInContainers() throws Exception {
    ContainerEngine.require();
    Path root = RepoRoot.find();
    for (String svc : SERVICES) {
      if (!Files.isRegularFile(root.resolve(svc).resolve("target/quarkus-app/quarkus-run.jar"))) {
        abort(svc + " is not packaged (run ./mvnw -B verify from the root)");
      }
    }
    long t0 = System.nanoTime();
    logs = Files.createDirectories(root.resolve("e2e/target/tc-logs"));
    Path roles = root.resolve("deploy/roles.yaml");
    Mapping mapping = Mapping.read(roles);
    RoleMappingFile mappingFile = RoleMappingFile.read(roles);

    // The IAM endpoint: the sandbox in this JVM, seeded as the platform team's Terraform would.
    iam = IamSandbox.builder().host("127.0.0.1").port(0).build().start();
    iam.seed(new ObjectMapper().readTree(mappingFile.sandboxSeed()));

    // The services' images, built while Kafka and PostgreSQL start.
    Map<String, CompletableFuture<String>> images = new LinkedHashMap<>();
    for (String svc : SERVICES) {
      ImageFromDockerfile image = serviceImage(root, svc);
      images.put(svc, CompletableFuture.supplyAsync(image::get));
    }

    int kafkaPort = ContainerPorts.pick();
    int internalPort = ContainerPorts.pick();
    int controllerPort = ContainerPorts.pick();
    int pgPort = ContainerPorts.pick();
    bootstrap = "127.0.0.1:" + kafkaPort;
    internal = "127.0.0.1:" + internalPort;
    // Clients (the services, the probes) log in with SCRAM-SHA-512; the broker's own listeners,
    // INTERNAL (inter-broker; the test's admin) and CONTROLLER, take PLAIN from the admin alone.
    // Every request is authorized: nothing without an ACL, the admin the only super user.
    String adminLogin =
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + EmbeddedKafka.ADMIN_USER
            + "\" password=\""
            + ADMIN_PASSWORD
            + "\" user_"
            + EmbeddedKafka.ADMIN_USER
            + "=\""
            + ADMIN_PASSWORD
            + "\";";
    GenericContainer<?> kafka =
        container(ContainerEngine.KAFKA, "kafka")
            .withEnv("KAFKA_NODE_ID", "1")
            .withEnv("KAFKA_PROCESS_ROLES", "broker,controller")
            .withEnv(
                "KAFKA_LISTENERS",
                "SASL_PLAINTEXT://"
                    + bootstrap
                    + ",INTERNAL://"
                    + internal
                    + ",CONTROLLER://127.0.0.1:"
                    + controllerPort)
            .withEnv(
                "KAFKA_ADVERTISED_LISTENERS",
                "SASL_PLAINTEXT://" + bootstrap + ",INTERNAL://" + internal)
            .withEnv("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
            .withEnv("KAFKA_INTER_BROKER_LISTENER_NAME", "INTERNAL")
            .withEnv(
                "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
                "SASL_PLAINTEXT:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT")
            .withEnv("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@127.0.0.1:" + controllerPort)
            .withEnv("KAFKA_SASL_ENABLED_MECHANISMS", "SCRAM-SHA-512")
            .withEnv("KAFKA_LISTENER_NAME_SASL__PLAINTEXT_SASL_ENABLED_MECHANISMS", "SCRAM-SHA-512")
            .withEnv(
                "KAFKA_LISTENER_NAME_SASL__PLAINTEXT_SCRAM___SHA___512_SASL_JAAS_CONFIG",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;")
            .withEnv("KAFKA_LISTENER_NAME_INTERNAL_SASL_ENABLED_MECHANISMS", "PLAIN")
            .withEnv("KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL", "PLAIN")
            .withEnv("KAFKA_LISTENER_NAME_INTERNAL_PLAIN_SASL_JAAS_CONFIG", adminLogin)
            .withEnv("KAFKA_LISTENER_NAME_CONTROLLER_SASL_ENABLED_MECHANISMS", "PLAIN")
            .withEnv("KAFKA_SASL_MECHANISM_CONTROLLER_PROTOCOL", "PLAIN")
            .withEnv("KAFKA_LISTENER_NAME_CONTROLLER_PLAIN_SASL_JAAS_CONFIG", adminLogin)
            .withEnv(
                "KAFKA_AUTHORIZER_CLASS_NAME",
                "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
            .withEnv("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false")
            .withEnv("KAFKA_SUPER_USERS", "User:" + EmbeddedKafka.ADMIN_USER)
            .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
            .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
            .withEnv("KAFKA_HEAP_OPTS", "-Xmx512m -Xms256m")
            .waitingFor(
                Wait.forLogMessage(".*Kafka Server started.*", 1).withStartupTimeout(START));
    GenericContainer<?> postgres =
        container(ContainerEngine.POSTGRES, "postgres")
            .withEnv("POSTGRES_USER", "roster")
            .withEnv("POSTGRES_PASSWORD", DB_OWNER_PASSWORD)
            .withEnv("POSTGRES_DB", "roster")
            .withEnv("PGPORT", Integer.toString(pgPort))
            // The auditor's runtime role (SELECT/INSERT only), as deploy/compose creates it.
            .withEnv("ROSTER_AUDITOR_DB_PASSWORD", DB_APP_PASSWORD)
            .withCopyFileToContainer(
                MountableFile.forHostPath(
                    root.resolve("deploy/compose/postgres-init/10-auditor-role.sh"), 0755),
                "/docker-entrypoint-initdb.d/10-auditor-role.sh")
            .withCommand("postgres", "-c", "listen_addresses=127.0.0.1")
            // Only the final server listens on TCP (the init server has the socket only).
            .waitingFor(
                Wait.forLogMessage(".*listening on IPv4 address \"127\\.0\\.0\\.1\".*", 1)
                    .withStartupTimeout(START));
    Startables.deepStart(kafka, postgres).get(START.toSeconds(), TimeUnit.SECONDS);
    secureKafka();

    Map<String, Integer> ports = new LinkedHashMap<>();
    SERVICES.forEach(svc -> ports.put(svc, ContainerPorts.pick()));
    String home = mappingFile.homeAccountId();
    GenericContainer<?> hrListener =
        service(images.get("hr-listener").get(), Component.HR_LISTENER, ports.get("hr-listener"))
            .withEnv("ROSTER_WEBHOOK_SECRETS", SECRET);
    GenericContainer<?> provisioner =
        service(images.get("provisioner").get(), Component.PROVISIONER, ports.get("provisioner"))
            .withCopyFileToContainer(MountableFile.forHostPath(roles, 0644), "/config/roles.yaml")
            .withEnv("ROSTER_ROLES_FILE", "/config/roles.yaml")
            .withEnv("ROSTER_IAM_ENDPOINT", iam.endpoint().toString())
            .withEnv("AWS_ACCESS_KEY_ID", home)
            .withEnv("AWS_SECRET_ACCESS_KEY", "tc")
            .withEnv("AWS_REGION", "us-east-1");
    GenericContainer<?> auditor =
        service(images.get("auditor").get(), Component.AUDITOR, ports.get("auditor"))
            .withEnv("ROSTER_AUDITOR_DB_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/roster")
            .withEnv("ROSTER_AUDITOR_DB_USER", "roster_auditor")
            .withEnv("ROSTER_AUDITOR_DB_PASSWORD", DB_APP_PASSWORD)
            .withEnv("QUARKUS_FLYWAY_USERNAME", "roster")
            .withEnv("QUARKUS_FLYWAY_PASSWORD", DB_OWNER_PASSWORD)
            .withEnv("ROSTER_AUDITOR_PASSWORD", AUDITOR_PASSWORD);
    Startables.deepStart(hrListener, provisioner, auditor).get(START.toSeconds(), TimeUnit.SECONDS);

    URI listenerUrl = URI.create("http://127.0.0.1:" + ports.get("hr-listener"));
    URI auditorUrl = URI.create("http://127.0.0.1:" + ports.get("auditor"));
    ContainerStory.awaitReady(
        START, listenerUrl, URI.create("http://127.0.0.1:" + ports.get("provisioner")), auditorUrl);
    story =
        new ContainerStory(
            mapping, listenerUrl, SECRET, auditorUrl, AUDITOR_PASSWORD, iam.endpoint());
    System.out.printf(
        "containers: Roster started in containers in %.1f s (logs %s)%n",
        (System.nanoTime() - t0) / 1e9, logs);
  }

  /** The service's own Dockerfile.jvm over its packaged application, on the stand-in JRE. */
  static ImageFromDockerfile serviceImage(Path root, String svc) {
    Path module = root.resolve(svc);
    return new ImageFromDockerfile("roster-tc/" + svc + ":latest", false)
        .withFileFromPath("Dockerfile", module.resolve("src/main/docker/Dockerfile.jvm"))
        .withFileFromPath("target/quarkus-app", module.resolve("target/quarkus-app"))
        .withBuildArg("BASE_IMAGE", ContainerEngine.JRE)
        // RUN steps need a network, and host is the only one this engine has.
        .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("host"));
  }

  static GenericContainer<?> container(String image, String name) {
    GenericContainer<?> c =
        new GenericContainer<>(DockerImageName.parse(image))
            .withNetworkMode("host")
            .withLogConsumer(frame -> log(name, frame));
    CONTAINERS.add(c);
    return c;
  }

  /** A service's container: its own Kafka user (SCRAM-SHA-512), loopback HTTP on {@code port}. */
  static GenericContainer<?> service(String image, Component svc, int port) {
    return container(image, svc.displayName())
        .withEnv("QUARKUS_HTTP_PORT", Integer.toString(port))
        .withEnv("KAFKA_BOOTSTRAP_SERVERS", bootstrap)
        .withEnv("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
        .withEnv("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
        .withEnv(
            "KAFKA_SASL_JAAS_CONFIG", KafkaProbe.scramLogin(KafkaAccess.user(svc), password(svc)))
        // Loopback only (the image's 0.0.0.0 would be every interface of the host).
        .withEnv(
            "JAVA_OPTS_APPEND",
            "-Dquarkus.http.host=127.0.0.1"
                + " -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Xmx256m")
        .waitingFor(
            Wait.forLogMessage(".*Listening on: http://127\\.0\\.0\\.1:" + port + ".*", 1)
                .withStartupTimeout(START));
  }

  /** A service's Kafka password, random for this run. */
  static String password(Component svc) {
    return PASSWORDS.get(KafkaAccess.user(svc));
  }

  /** A client's settings for a service's own user, as the service connects. */
  static Map<String, String> scram(String user, String password) {
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        "SCRAM-SHA-512",
        "sasl.jaas.config",
        KafkaProbe.scramLogin(user, password));
  }

  /**
   * As the broker's admin through INTERNAL: each service's SCRAM-SHA-512 credential, the topics the
   * services expect up front (as the local stack creates them) and each service's ACLs, exactly
   * those of {@link KafkaAccess} (the local stack's, compose's and k8s's); returns once the broker
   * enforces them.
   */
  static void secureKafka() throws Exception {
    Map<String, Object> config =
        new HashMap<>(EmbeddedKafka.saslPlainClient(EmbeddedKafka.ADMIN_USER, ADMIN_PASSWORD));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internal);
    List<AclBinding> bindings =
        SERVICE_COMPONENTS.stream().flatMap(c -> KafkaAccess.bindings(c).stream()).toList();
    try (Admin admin = Admin.create(config)) {
      admin
          .alterUserScramCredentials(
              SERVICE_COMPONENTS.stream()
                  .<UserScramCredentialAlteration>map(
                      c ->
                          new UserScramCredentialUpsertion(
                              KafkaAccess.user(c),
                              new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                              password(c)))
                  .toList())
          .all()
          .get(1, TimeUnit.MINUTES);
      admin
          .createTopics(
              java.util.stream.Stream.concat(
                      EmbeddedKafka.rosterTopics().stream(),
                      java.util.stream.Stream.of(Topics.HR_SNAPSHOTS, Topics.RECONCILIATIONS))
                  .map(t -> new NewTopic(t, 6, (short) 1))
                  .toList())
          .all()
          .get(1, TimeUnit.MINUTES);
      admin.createAcls(bindings).all().get(1, TimeUnit.MINUTES);
      // The broker's authorizer answers describeAcls: once it lists them all, they apply.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> admin.describeAcls(AclBindingFilter.ANY).values().get(10, TimeUnit.SECONDS),
              acls -> acls.containsAll(bindings));
    }
  }

  static void log(String name, OutputFrame frame) {
    try {
      Files.writeString(
          logs.resolve(name + ".log"),
          frame.getUtf8String(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stopEverything() {
    try {
      if (story != null) {
        story.close();
      }
      List<GenericContainer<?>> all = new ArrayList<>(CONTAINERS);
      Collections.reverse(all);
      all.forEach(GenericContainer::stop);
      if (iam != null) {
        iam.stop();
      }
    } finally {
      ContainerEngine.release();
    }
  }

  @Test
  void hireMoveAndLeaveAcrossTwoAccountsEndAsTheMappingSaysAndAreAudited() {
    long t0 = System.nanoTime();
    story.play(Duration.ofMinutes(3));
    story.assertIam();
    story.assertAudit();
    System.out.printf(
        "containers: the story settled and checked in %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  /**
   * The broker lets each service in as its own SCRAM user only, within its ACLs: the hr-listener's
   * credentials cannot write the IAM changes the auditor trusts, and a wrong password or a client
   * without SASL gets nothing in. (That the services get in with their own is the story's part.)
   */
  @Test
  void kafkaLetsEachServiceInAsItselfWithinItsAclsOnly() {
    String key = "forged-" + UUID.randomUUID();
    String hrListener = KafkaAccess.user(Component.HR_LISTENER);
    assertThatThrownBy(
            () ->
                KafkaProbe.send(
                    scram(hrListener, password(Component.HR_LISTENER)),
                    bootstrap,
                    Topics.IAM_CHANGES,
                    key))
        .as("the hr-listener's user writing iam.changes")
        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
    assertThatThrownBy(
            () ->
                KafkaProbe.send(
                    scram(hrListener, "not-the-password"), bootstrap, Topics.HR_EVENTS, key))
        .hasRootCauseInstanceOf(SaslAuthenticationException.class);
    assertThatThrownBy(() -> KafkaProbe.send(Map.of(), bootstrap, Topics.HR_EVENTS, key))
        .as("a client without SASL")
        .isNotNull();
  }
}
