package dev.roster.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.roster.events.CloudEventHeaders;
import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.FindingKind;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.Review;
import dev.roster.events.Topics;
import dev.roster.sandbox.kafka.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./roster review}: the latest review read from a real broker, published as the provisioner
 * publishes it (EventJson values, CloudEvents headers, keyed by review id); {@code --run} against a
 * local HTTP server holding the provisioner's contract for {@code POST /v1/reviews}.
 */
class ReviewCommandTest {
  static final OffsetDateTime T0 = OffsetDateTime.parse("2026-12-02T09:00:00Z");

  @TempDir Path dir;
  private HttpServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  // --- the latest review --------------------------------------------------------------------

  @Test
  void theLatestCompletedReviewIsAHeaderAndOneLinePerFindingOrOneJsonObject() throws Exception {
    try (EmbeddedKafka kafka = broker()) {
      // An earlier review, then the latest: findings first, then the final status.
      publish(kafka, status("rev-old", ReconciliationStatus.RUNNING, T0.minusDays(1), null, null));
      publish(
          kafka,
          finding(
              "rev-old", "f-0", FindingKind.OLD_ACCESS_KEY, "dev", "E9", "old.user", "AKIAOLD"));
      publish(
          kafka,
          status(
              "rev-old",
              ReconciliationStatus.COMPLETED,
              T0.minusDays(1),
              T0.minusDays(1).plusMinutes(1),
              Map.of("old-access-key", 1)));
      publish(kafka, status("rev-new", ReconciliationStatus.RUNNING, T0, null, null));
      publish(
          kafka,
          finding(
              "rev-new",
              "f-1",
              FindingKind.LEAVER_WITH_ACTIVE_CREDENTIAL,
              "prod",
              "E1",
              "alice.doe",
              "AKIAALICE"));
      publish(
          kafka,
          finding("rev-new", "f-2", FindingKind.CONSOLE_WITHOUT_MFA, "dev", null, "bob", "bob"));
      publish(
          kafka,
          finding("rev-new", "f-3", FindingKind.OU_WITHOUT_SCP, null, null, null, "ou-abcd-1"));
      publish(
          kafka,
          status(
              "rev-new",
              ReconciliationStatus.COMPLETED,
              T0,
              T0.plusSeconds(42),
              Map.of(
                  "leaver-with-active-credential",
                  1,
                  "console-without-mfa",
                  1,
                  "ou-without-scp",
                  1)));

      String out = run("review", "--bootstrap-servers", kafka.bootstrapServers());
      List<String> lines = out.lines().toList();
      assertThat(lines.get(0))
          .isEqualTo(
              "review rev-new  completed  started 2026-12-02T09:00:00Z"
                  + "  completed 2026-12-02T09:00:42Z  3 findings (console-without-mfa 1,"
                  + " leaver-with-active-credential 1, ou-without-scp 1)  accounts dev,prod");
      assertThat(lines.get(1).split("\\s+"))
          .containsExactly("ACCOUNT", "KIND", "USER", "SUBJECT", "DETAIL");
      // By account (organization-wide first), then kind.
      assertThat(lines.subList(2, lines.size()))
          .hasSize(3)
          .satisfiesExactly(
              l ->
                  assertThat(l.split("\\s+"))
                      .startsWith("-", "ou-without-scp", "-", "ou-abcd-1", "detail"),
              l ->
                  assertThat(l.split("\\s+"))
                      .startsWith("dev", "console-without-mfa", "bob", "bob", "detail"),
              l ->
                  assertThat(l.split("\\s+"))
                      .startsWith(
                          "prod",
                          "leaver-with-active-credential",
                          "alice.doe",
                          "(E1)",
                          "AKIAALICE",
                          "detail"));
      assertThat(out).doesNotContain("rev-old", "AKIAOLD");

      JsonNode json =
          RecordView.JSON.readTree(
              run("review", "--json", "--bootstrap-servers", kafka.bootstrapServers()));
      assertThat(json.at("/review/reviewId").asText()).isEqualTo("rev-new");
      assertThat(json.at("/review/status").asText()).isEqualTo("completed");
      assertThat(json.at("/review/completedAt").asText()).isEqualTo("2026-12-02T09:00:42Z");
      assertThat(json.at("/review/counts/ou-without-scp").asInt()).isEqualTo(1);
      assertThat(json.path("findings").findValuesAsText("findingId"))
          .containsExactly("f-3", "f-2", "f-1");
      assertThat(json.at("/findings/2/employeeId").asText()).isEqualTo("E1");
    }
  }

  @Test
  void aReviewStillRunningShowsItsFindingsSoFarAndAnEmptyTopicSaysHowToStartOne() throws Exception {
    try (EmbeddedKafka kafka = broker()) {
      assertThat(run("review", "--bootstrap-servers", kafka.bootstrapServers()))
          .startsWith("No review on reviews at " + kafka.bootstrapServers() + " yet;");
      assertThat(
              RecordView.JSON.readTree(
                  run("review", "--json", "--bootstrap-servers", kafka.bootstrapServers())))
          .hasToString("{\"review\":null,\"findings\":[]}");

      publish(kafka, status("rev-a", ReconciliationStatus.COMPLETED, T0, T0, Map.of()));
      publish(kafka, status("rev-b", ReconciliationStatus.RUNNING, T0.plusHours(1), null, null));
      publish(
          kafka,
          finding(
              "rev-b", "f-9", FindingKind.DIRECT_POLICY, "staging", "E5", "eve", "AdminAccess"));

      List<String> lines =
          run("review", "--bootstrap-servers", kafka.bootstrapServers()).lines().toList();
      assertThat(lines.get(0))
          .startsWith("review rev-b  running  started 2026-12-02T10:00:00Z  completed -")
          .contains("1 finding (direct-policy 1)");
      assertThat(lines).hasSize(3);
      assertThat(lines.get(2).split("\\s+"))
          .startsWith("staging", "direct-policy", "eve", "(E5)", "AdminAccess");
    }
  }

  // --- review --run ---------------------------------------------------------------------------

  @Test
  void runPostsWithTheBearerTokenAndPrintsTheNewReviewId() throws Exception {
    List<String> seen =
        provisioner("tok-123", 202, "{\"reviewId\":\"rev-7\",\"status\":\"running\"}");

    String out =
        runWithEnv(
            Map.of("ROSTER_REVIEW_TOKEN", "tok-123"),
            "review",
            "--run",
            "--provisioner-url",
            url());

    assertThat(seen).containsExactly("POST /v1/reviews Bearer tok-123");
    assertThat(out).startsWith("roster: review rev-7 running;").doesNotContain("tok-123");
    assertThat(
            RecordView.JSON
                .readTree(
                    runWithEnv(
                        Map.of("ROSTER_REVIEW_TOKEN", "tok-123"),
                        "review",
                        "--run",
                        "--json",
                        "--provisioner-url",
                        url()))
                .path("reviewId")
                .asText())
        .isEqualTo("rev-7");
  }

  @Test
  void withoutTheEnvironmentVariableTheLocalStacksTokenFileIsUsed() throws Exception {
    List<String> seen =
        provisioner("from-file", 202, "{\"reviewId\":\"rev-8\",\"status\":\"running\"}");
    Files.writeString(dir.resolve("review-token"), "from-file\n");

    runWithEnv(
        Map.of(), "review", "--run", "--provisioner-url", url(), "--data-dir", dir.toString());

    assertThat(seen).containsExactly("POST /v1/reviews Bearer from-file");
  }

  @Test
  void aReviewInProgressIsOneSentenceWithExitCode1() throws Exception {
    provisioner(
        "tok",
        409,
        "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,"
            + "\"detail\":\"review rev-7 is running\"}");

    assertThatThrownBy(
            () ->
                runWithEnv(
                    Map.of("ROSTER_REVIEW_TOKEN", "tok"),
                    "review",
                    "--run",
                    "--provisioner-url",
                    url()))
        .isInstanceOfSatisfying(LauncherException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
        .hasMessage(
            "A review is already running: review rev-7 is running; ./roster review shows it,"
                + " try again once it completes.");
  }

  @Test
  void aWrongOrMissingTokenIsOneSentenceThatNeverShowsTheToken() throws Exception {
    provisioner("right", 202, "{}");

    assertThatThrownBy(
            () ->
                runWithEnv(
                    Map.of("ROSTER_REVIEW_TOKEN", "wrong-token"),
                    "review",
                    "--run",
                    "--provisioner-url",
                    url()))
        .isInstanceOfSatisfying(LauncherException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
        .hasMessage("The provisioner refused the review token (401); check ROSTER_REVIEW_TOKEN.");
    assertThatThrownBy(
            () ->
                runWithEnv(
                    Map.of(),
                    "review",
                    "--run",
                    "--provisioner-url",
                    url(),
                    "--data-dir",
                    dir.resolve("none").toString()))
        .hasMessage(
            "No review token: set ROSTER_REVIEW_TOKEN or start the stack with ./roster up.");
  }

  @Test
  void aProvisionerWithoutATokenSaysOnDemandReviewsAreOff() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/reviews",
        ex -> {
          try (ex) {
            byte[] b =
                ("{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"on-demand reviews are"
                        + " off: no roster.review.token (ROSTER_REVIEW_TOKEN) is configured\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/problem+json");
            ex.sendResponseHeaders(403, b.length);
            ex.getResponseBody().write(b);
          }
        });
    server.start();

    assertThatThrownBy(
            () ->
                runWithEnv(
                    Map.of("ROSTER_REVIEW_TOKEN", "t"),
                    "review",
                    "--run",
                    "--provisioner-url",
                    url()))
        .hasMessage(
            "The provisioner takes no on-demand reviews (403: on-demand reviews are off: no"
                + " roster.review.token (ROSTER_REVIEW_TOKEN) is configured); give it"
                + " ROSTER_REVIEW_TOKEN.");
  }

  @Test
  void unknownFlagsAndMisplacedOptionsOfReviewExit2() {
    for (String[] args :
        List.of(
            new String[] {"review", "--follow"},
            new String[] {"review", "latest"},
            new String[] {"review", "--run", "--bootstrap-servers", "127.0.0.1:9092"},
            new String[] {"review", "--provisioner-url", "http://127.0.0.1:8081"},
            new String[] {"review", "--run", "--provisioner-url", "localhost:8081"})) {
      assertThatThrownBy(() -> runWithEnv(Map.of("ROSTER_REVIEW_TOKEN", "t"), args))
          .as(String.join(" ", args))
          .isInstanceOfSatisfying(
              LauncherException.class,
              e -> {
                assertThat(e.exitCode()).isEqualTo(2);
                assertThat(e.getMessage()).doesNotContain("\n").contains("usage: ./roster review");
              });
    }
  }

  // --- helpers --------------------------------------------------------------------------------

  private EmbeddedKafka broker() {
    EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).build().start();
    kafka.createTopics(3, List.of(Topics.REVIEWS));
    return kafka;
  }

  static Review status(
      String id,
      ReconciliationStatus status,
      OffsetDateTime started,
      OffsetDateTime completed,
      Map<String, Integer> counts) {
    return new Review(id, status, started, completed, List.of("dev", "prod"), counts, null);
  }

  static Review.Finding finding(
      String reviewId,
      String findingId,
      FindingKind kind,
      String account,
      String employee,
      String user,
      String subject) {
    return new Review.Finding(
        reviewId, findingId, kind, account, employee, user, subject, "detail of " + findingId, T0);
  }

  /** As the provisioner publishes: key = review id, EventJson value, CloudEvents headers. */
  private static void publish(EmbeddedKafka kafka, Object record) throws Exception {
    String id;
    String ceId;
    String type;
    if (record instanceof Review r) {
      id = r.reviewId();
      ceId = r.reviewId() + "-" + r.status().wireName();
      type = CloudEvents.REVIEW_TYPE;
    } else {
      Review.Finding f = (Review.Finding) record;
      id = f.reviewId();
      ceId = f.reviewId() + "-" + f.findingId();
      type = CloudEvents.FINDING_TYPE;
    }
    ProducerRecord<String, String> r =
        new ProducerRecord<>(Topics.REVIEWS, id, EventJson.mapper().writeValueAsString(record));
    CloudEventHeaders.of(ceId, type, "/roster/provisioner", T0, id).forEach(r.headers()::add);
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer())) {
      p.send(r).get();
    }
  }

  /**
   * A provisioner's {@code POST /v1/reviews}: answers {@code status} and {@code body} to the bearer
   * token {@code token}, 401 to any other; returns "METHOD PATH Bearer TOKEN" of each request.
   */
  private List<String> provisioner(String token, int status, String body) throws IOException {
    List<String> seen = new CopyOnWriteArrayList<>();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        (HttpExchange ex) -> {
          try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " " + auth);
            boolean ok =
                ex.getRequestMethod().equals("POST")
                    && ex.getRequestURI().getPath().equals("/v1/reviews")
                    && ("Bearer " + token).equals(auth);
            int code = ok ? status : 401;
            byte[] bytes =
                (ok ? body : "{\"title\":\"Unauthorized\",\"status\":401}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders()
                .add("Content-Type", code == 202 ? "application/json" : "application/problem+json");
            ex.sendResponseHeaders(code, bytes.length);
            ex.getResponseBody().write(bytes);
          }
        });
    server.start();
    return seen;
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private String run(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code = new Launcher(new PrintStream(buf, true, StandardCharsets.UTF_8), dir).run(args);
    assertThat(code).as(String.join(" ", args)).isZero();
    return buf.toString(StandardCharsets.UTF_8);
  }

  private String runWithEnv(Map<String, String> env, String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code =
        ReviewCommand.run(new PrintStream(buf, true, StandardCharsets.UTF_8), dir, args, env);
    assertThat(code).as(String.join(" ", args)).isZero();
    return buf.toString(StandardCharsets.UTF_8);
  }
}
