package dev.roster.e2e;

import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.events.Topics;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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

  static final List<GenericContainer<?>> CONTAINERS =
      Collections.synchronizedList(new ArrayList<>());
  static IamSandbox iam;
  static ContainerStory story;
  static Path logs;

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
    int controllerPort = ContainerPorts.pick();
    int pgPort = ContainerPorts.pick();
    String bootstrap = "127.0.0.1:" + kafkaPort;
    GenericContainer<?> kafka =
        container(ContainerEngine.KAFKA, "kafka")
            .withEnv("KAFKA_NODE_ID", "1")
            .withEnv("KAFKA_PROCESS_ROLES", "broker,controller")
            .withEnv(
                "KAFKA_LISTENERS",
                "PLAINTEXT://" + bootstrap + ",CONTROLLER://127.0.0.1:" + controllerPort)
            .withEnv("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://" + bootstrap)
            .withEnv("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
            .withEnv(
                "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT")
            .withEnv("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@127.0.0.1:" + controllerPort)
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
    createTopics(bootstrap);

    Map<String, Integer> ports = new LinkedHashMap<>();
    SERVICES.forEach(svc -> ports.put(svc, ContainerPorts.pick()));
    String home = mappingFile.homeAccountId();
    GenericContainer<?> hrListener =
        service(images.get("hr-listener").get(), "hr-listener", ports.get("hr-listener"), bootstrap)
            .withEnv("ROSTER_WEBHOOK_SECRETS", SECRET);
    GenericContainer<?> provisioner =
        service(images.get("provisioner").get(), "provisioner", ports.get("provisioner"), bootstrap)
            .withCopyFileToContainer(MountableFile.forHostPath(roles, 0644), "/config/roles.yaml")
            .withEnv("ROSTER_ROLES_FILE", "/config/roles.yaml")
            .withEnv("ROSTER_IAM_ENDPOINT", iam.endpoint().toString())
            .withEnv("AWS_ACCESS_KEY_ID", home)
            .withEnv("AWS_SECRET_ACCESS_KEY", "tc")
            .withEnv("AWS_REGION", "us-east-1");
    GenericContainer<?> auditor =
        service(images.get("auditor").get(), "auditor", ports.get("auditor"), bootstrap)
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

  static GenericContainer<?> service(String image, String svc, int port, String bootstrap) {
    return container(image, svc)
        .withEnv("QUARKUS_HTTP_PORT", Integer.toString(port))
        .withEnv("KAFKA_BOOTSTRAP_SERVERS", bootstrap)
        // Loopback only (the image's 0.0.0.0 would be every interface of the host).
        .withEnv(
            "JAVA_OPTS_APPEND",
            "-Dquarkus.http.host=127.0.0.1"
                + " -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Xmx256m")
        .waitingFor(
            Wait.forLogMessage(".*Listening on: http://127\\.0\\.0\\.1:" + port + ".*", 1)
                .withStartupTimeout(START));
  }

  /** The topics the services expect up front, as the local stack creates them. */
  static void createTopics(String bootstrap) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      admin
          .createTopics(
              java.util.stream.Stream.concat(
                      EmbeddedKafka.rosterTopics().stream(),
                      java.util.stream.Stream.of(Topics.HR_SNAPSHOTS, Topics.RECONCILIATIONS))
                  .map(t -> new NewTopic(t, 6, (short) 1))
                  .toList())
          .all()
          .get(1, TimeUnit.MINUTES);
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
}
