package dev.roster.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.testcontainers.DockerClientFactory;

/**
 * Whether the container tests run here, decided once per JVM. They need the Docker engine and the
 * stand-in images of {@code deploy/containers/prepare}. Where {@code .ci/run} started prepare in
 * the background it names prepare's status file in {@value #STATUS_ENV}: the tests wait for it
 * (bounded), skip with its one line when containers are unavailable here (not root, packages out of
 * reach), and fail when prepare failed. Without it, {@code DOCKER_HOST} decides: unset, they skip
 * with one line saying how to run them; set, the engine must answer.
 */
final class ContainerEngine {
  static final String STATUS_ENV = "ROSTER_CONTAINERS_STATUS";
  static final String WAIT_ENV = "ROSTER_CONTAINERS_WAIT_SECONDS";
  static final Duration DEFAULT_WAIT = Duration.ofMinutes(15);

  /** The stand-in images the tests start, built by prepare. */
  static final String JRE = "roster-standin/jre:17";

  static final String KAFKA = "apache/kafka:4.1.1";
  static final String POSTGRES = "postgres:15";
  static final List<String> STANDINS = List.of(JRE, KAFKA, POSTGRES);

  private static String skip;
  private static String failure;
  private static boolean decided;
  private static FileLock story;

  private ContainerEngine() {}

  /** Returns when the container tests can run; otherwise aborts (skip) or fails the caller. */
  static synchronized void require() {
    if (!decided) {
      decide();
      decided = true;
      if (skip != null) {
        System.out.println("containers: container tests skipped: " + skip);
      }
    }
    if (failure != null) {
      throw new AssertionError(failure);
    }
    if (skip != null) {
      abort(skip);
    }
    lockStory();
  }

  /**
   * One container story at a time across the module's test JVMs (surefire forks): each starts a
   * whole stack on the engine, and two at once on two cores would only slow both past their
   * timeouts. Held from {@link #require()} until {@link #release()} in the caller's AfterAll.
   */
  private static void lockStory() {
    if (story != null) {
      return;
    }
    try {
      Path file = RepoRoot.find().resolve("e2e/target/containers.lock");
      Files.createDirectories(file.getParent());
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      story = channel.lock(); // blocks while the other JVM's story runs
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lets the other test JVM start its container story; harmless when none was locked. */
  static synchronized void release() {
    if (story == null) {
      return;
    }
    try {
      story.release();
      story.channel().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      story = null;
    }
  }

  private static void decide() {
    String statusFile = System.getenv(STATUS_ENV);
    if (statusFile != null && !statusFile.isBlank()) {
      String status = awaitStatus(Path.of(statusFile));
      if (status.startsWith("unavailable")) {
        skip = "deploy/containers/prepare: " + status;
        return;
      }
      if (!status.startsWith("ready")) {
        failure = "deploy/containers/prepare did not get the engine ready: " + status;
        return;
      }
    }
    String dockerHost = System.getenv("DOCKER_HOST");
    if (dockerHost == null || dockerHost.isBlank()) {
      skip =
          "no Docker engine (DOCKER_HOST unset): as root, deploy/containers/prepare sets one up, then"
              + " eval \"$(deploy/containers/prepare --env)\" before ./mvnw";
      return;
    }
    if (!"true".equals(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
      failure =
          "DOCKER_HOST is set but TESTCONTAINERS_RYUK_DISABLED is not true: Ryuk's image cannot be"
              + " pulled here (eval \"$(deploy/containers/prepare --env)\")";
      return;
    }
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      failure = "DOCKER_HOST=" + dockerHost + " is set but no Docker engine answers there";
      return;
    }
    for (String image : STANDINS) {
      try {
        DockerClientFactory.instance().client().inspectImageCmd(image).exec();
      } catch (RuntimeException e) {
        failure = "image " + image + " is missing: run deploy/containers/prepare (" + e + ")";
        return;
      }
    }
  }

  /** The first line of prepare's status once it is no longer "preparing"; bounded wait. */
  private static String awaitStatus(Path file) {
    String configured = System.getenv(WAIT_ENV);
    Duration wait =
        configured == null ? DEFAULT_WAIT : Duration.ofSeconds(Long.parseLong(configured.trim()));
    String now = read(file);
    if (!now.isEmpty() && !now.startsWith("preparing")) {
      return now;
    }
    System.out.println("containers: waiting for deploy/containers/prepare (" + file + ")");
    try {
      // Another process writes the file: read it every 2 s until it holds a final status.
      return await()
          .atMost(wait)
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> read(file), s -> !s.isEmpty() && !s.startsWith("preparing"));
    } catch (ConditionTimeoutException e) {
      return "still \"" + read(file) + "\" after " + wait.toSeconds() + " s (" + file + ")";
    }
  }

  private static String read(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return lines.isEmpty() ? "" : lines.get(0).trim();
    } catch (IOException e) {
      return "";
    }
  }
}
