package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.events.Topics;
import dev.roster.local.Stack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * {@code ./roster tail} and {@code ./roster dlq} as an operator runs them, as processes against the
 * local stack's broker given by {@code --bootstrap-servers}.
 */
class OperatorCommandsE2ETest {
  static final Path ROOT = RepoRoot.find();
  static final ObjectMapper JSON = new ObjectMapper();
  static Stack stack;
  static Mapping mapping;

  @TempDir Path tmp;

  @BeforeAll
  static void startStack() {
    stack = E2eStack.get();
    mapping = Mapping.read(stack.roles().path());
  }

  @Test
  void tailShowsAHirePostedWhileItFollowsAndStopsOnInterrupt() throws Exception {
    String eventId = "evt-tail-" + UUID.randomUUID();
    String employee = "T" + Math.abs(eventId.hashCode());
    Process tail =
        start(
            "tail",
            "hr",
            "--bootstrap-servers",
            stack.kafkaBootstrapServers(),
            "--kafka-config",
            kafkaConfig());
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> read("err").contains("roster: following hr.events from now"));
      assertThat(E2eStack.post(hire(eventId, employee, "tail.user." + employee, "developer")))
          .isEqualTo(202);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(read("out").lines().filter(l -> l.contains(eventId)).toList())
                      .singleElement()
                      .satisfies(
                          l ->
                              assertThat(l.split("\\s+"))
                                  .containsSubsequence(
                                      "hr.events", eventId, employee, "hire", "-", "-")));
    } finally {
      tail.destroy(); // SIGTERM, as Ctrl-C: the tail ends cleanly
    }
    assertThat(tail.waitFor(30, TimeUnit.SECONDS)).as("tail ended").isTrue();
    assertThat(read("err")).doesNotContain("Exception");
  }

  @Test
  void aDeadLetterReplayedAfterItsTransientCauseIsGoneEndsAppliedAndAuditedOnce() throws Exception {
    String eventId = "evt-replay-" + UUID.randomUUID();
    String employee = "R" + Math.abs(eventId.hashCode());
    String user = "replay.user." + employee;
    String dev = mapping.accountIds().get("dev");
    // The cause: IAM failing every call until the provisioner gives up and dead-letters the hire.
    stack.iamSandbox().faults().fail(null, null, 1.0);
    try {
      assertThat(E2eStack.post(hire(eventId, employee, user, "developer"))).isEqualTo(202);
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> deadLetters(eventId).size() == 1);
    } finally {
      stack.iamSandbox().faults().clear(); // the cause is fixed
    }
    JsonNode dead = deadLetters(eventId).get(0);
    assertThat(dead.path("topic").asText()).isEqualTo(Topics.HR_EVENTS_DLQ);
    assertThat(dead.path("dlqTopic").asText()).isEqualTo(Topics.HR_EVENTS);
    assertThat(dead.path("dlqReason").asText()).isIn("retries-exhausted", "iam-error");
    assertThat(userExists(dev, user)).as("nothing applied before the replay").isFalse();

    Result replay =
        run(
            "dlq",
            "replay",
            eventId,
            "--bootstrap-servers",
            stack.kafkaBootstrapServers(),
            "--kafka-config",
            kafkaConfig());
    assertThat(replay.code()).as(replay.err()).isZero();
    assertThat(replay.out())
        .contains("replayed " + dead.path("topic").asText() + "/")
        .contains("(event " + eventId + ", employee " + employee)
        .contains("to hr.events/");

    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              JsonNode detail = E2eStack.auditor("/v1/hr-events/" + E2eStack.enc(eventId));
              assertThat(detail).isNotNull();
              assertThat(detail.at("/outcome/outcome").asText()).isEqualTo("completed");
            });
    assertThat(userExists(dev, user)).as("applied after the replay").isTrue();
    // Audited once: the HR event once (the replay is the same eventId), each change once.
    List<JsonNode> events =
        E2eStack.auditorAll("/v1/hr-events", "employeeId=" + E2eStack.enc(employee));
    assertThat(events).extracting(e -> e.path("eventId").asText()).containsExactly(eventId);
    List<JsonNode> changes = E2eStack.auditorAll("/v1/changes", "eventId=" + E2eStack.enc(eventId));
    assertThat(changes).isNotEmpty();
    assertThat(changes).extracting(c -> c.path("changeId").asText()).doesNotHaveDuplicates();
    assertThat(changes).allSatisfy(c -> assertThat(c.path("status").asText()).isEqualTo("applied"));
    // Nothing new on the dead-letter topic: the replay did not fail again.
    assertThat(deadLetters(eventId)).hasSize(1);
  }

  static String hire(String eventId, String employee, String user, String role) {
    return "{\"eventId\":\""
        + eventId
        + "\",\"type\":\"hire\",\"employeeId\":\""
        + employee
        + "\",\"occurredAt\":\"2026-11-28T09:00:00Z\",\"employee\":{\"username\":\""
        + user
        + "\",\"roles\":[\""
        + role
        + "\"]}}";
  }

  List<JsonNode> deadLetters(String eventId) throws Exception {
    Result r =
        run(
            "dlq",
            "list",
            "--json",
            "--bootstrap-servers",
            stack.kafkaBootstrapServers(),
            "--kafka-config",
            kafkaConfig());
    assertThat(r.code()).as(r.err()).isZero();
    List<JsonNode> mine = new ArrayList<>();
    for (String line : r.out().lines().toList()) {
      JsonNode n = JSON.readTree(line);
      if (eventId.equals(n.path("eventId").asText())) {
        mine.add(n);
      }
    }
    return mine;
  }

  static boolean userExists(String accountId, String user) {
    try {
      E2eStack.iam(accountId).getUser(b -> b.userName(user));
      return true;
    } catch (NoSuchEntityException e) {
      return false;
    }
  }

  record Result(int code, String out, String err) {}

  Result run(String... args) throws IOException, InterruptedException {
    Process p = start(args);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("./roster finished").isTrue();
    return new Result(p.exitValue(), read("out"), read("err"));
  }

  Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("roster").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().remove("JAVA_HOME");
    pb.redirectOutput(tmp.resolve("out.txt").toFile())
        .redirectError(tmp.resolve("err.txt").toFile());
    return pb.start();
  }

  String read(String which) throws IOException {
    Path f = tmp.resolve(which + ".txt");
    return Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
  }

  /** The stack's admin client settings: its broker requires SASL and authorizes by ACL. */
  private static String kafkaConfig() {
    return E2eStack.get().dataDir().resolve(Stack.KAFKA_CLIENT_FILE).toString();
  }
}
