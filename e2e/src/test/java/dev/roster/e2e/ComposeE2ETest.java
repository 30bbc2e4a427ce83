package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The documented compose stack ({@code deploy/compose/compose.yaml}) as it comes up on this kind of
 * machine: with the host-network override {@code compose.host.yaml} (through {@code
 * deploy/containers/compose}) and the stand-in images of {@code deploy/containers} (LocalStack's
 * name is the IAM sandbox), the three services built by compose from their {@code Dockerfile.jvm}.
 * Every port is picked free, the project name is unique, and the stack is taken down with its
 * volumes afterwards. Plays the e2e story, checks IAM through the stand-in's endpoint and the audit
 * log through the auditor.
 */
class ComposeE2ETest {
  static final String SECRET = "compose-webhook-secret-0123456789abcdef";
  static final String AUDITOR_PASSWORD = "compose-auditor-password";
  static final Duration UP = Duration.ofMinutes(10);

  static Path root;
  static Path logs;
  static String project;
  static final Map<String, String> ENV = new LinkedHashMap<>();
  static ContainerStory story;

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
    ENV.put("ROSTER_WEBHOOK_SECRET", SECRET);
    ENV.put("ROSTER_AUDITOR_PASSWORD", AUDITOR_PASSWORD);
    for (String port :
        List.of(
            "KAFKA",
            "KAFKA_CONTROLLER",
            "POSTGRES",
            "IAM",
            "HR_LISTENER",
            "PROVISIONER",
            "AUDITOR")) {
      ENV.put("ROSTER_HOST_" + port + "_PORT", Integer.toString(ContainerPorts.pick()));
    }
    int up = compose(logs.resolve("up.log"), "up", "-d", "--build");
    assertThat(up).as("docker-compose up (see %s)", logs.resolve("up.log")).isZero();
    URI listener = local("HR_LISTENER");
    URI auditor = local("AUDITOR");
    ContainerStory.awaitReady(Duration.ofMinutes(4), listener, local("PROVISIONER"), auditor);
    story =
        new ContainerStory(
            Mapping.read(root.resolve("deploy/roles.yaml")),
            listener,
            SECRET,
            auditor,
            AUDITOR_PASSWORD,
            local("IAM"));
    System.out.printf(
        "containers: compose project %s up in %.1f s (logs %s)%n",
        project, (System.nanoTime() - t0) / 1e9, logs);
  }

  static URI local(String port) {
    return URI.create("http://127.0.0.1:" + ENV.get("ROSTER_HOST_" + port + "_PORT"));
  }

  @AfterAll
  static void composeDown() throws Exception {
    if (story != null) {
      story.close();
    }
    if (project != null) {
      compose(logs.resolve("stack.log"), "logs", "--no-color");
      int down = compose(logs.resolve("down.log"), "down", "-v", "--remove-orphans");
      assertThat(down).as("docker-compose down (see %s)", logs.resolve("down.log")).isZero();
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
