package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.sts.StsClient;

/** The admin API beside the IAM endpoint, seeding, and state that survives a restart. */
class AdminAndStateTest extends SandboxTestBase {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient client = HttpClient.newHttpClient();

  HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(endpoint() + "/_sandbox/" + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void seedAddsGroupsRolesPoliciesAndUsersAndIsIdempotent() throws Exception {
    String seed =
        """
        {"accounts": {"111111111111": {
          "policies": [{"name": "DevAccess", "path": "/roster/",
                        "document": {"Version": "2012-10-17", "Statement": [
                          {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}],
          "roles": ["roster-provisioner"],
          "groups": ["developers", {"name": "admins", "policies": ["AdministratorAccess"]}],
          "users": [{"name": "alice", "tags": {"team": "core"}, "groups": ["developers"],
                     "policies": ["DevAccess"]}]
        }}}
        """;

    assertThat(admin("POST", "seed", seed).statusCode()).isEqualTo(204);
    assertThat(admin("POST", "seed", seed).statusCode()).isEqualTo(204);

    assertThat(iam.getGroup(r -> r.groupName("developers")).users()).hasSize(1);
    assertThat(iam.listAttachedGroupPolicies(r -> r.groupName("admins")).attachedPolicies())
        .extracting(p -> p.policyArn())
        .containsExactly("arn:aws:iam::aws:policy/AdministratorAccess");
    assertThat(iam.listAttachedUserPolicies(r -> r.userName("alice")).attachedPolicies())
        .extracting(p -> p.policyArn())
        .containsExactly("arn:aws:iam::111111111111:policy/roster/DevAccess");
    assertThat(iam.listUserTags(r -> r.userName("alice")).tags()).hasSize(1);
    assertThat(iam.listUsers().users()).hasSize(1);
  }

  @Test
  void theDocumentedExampleSeedLoads() {
    sandbox.seed(Path.of("iam-seed.example.json"));

    assertThat(iam.listGroups().groups()).extracting(g -> g.groupName()).contains("developers");
    assertThat(sandbox.state("333333333333").path("roles").has("roster-provisioner")).isTrue();
  }

  @Test
  void stateOfAnAccountIsReadableAsJson() throws Exception {
    iam.createUser(r -> r.userName("alice"));
    iam.createAccessKey(r -> r.userName("alice"));

    HttpResponse<String> response = admin("GET", "state/111111111111", null);
    JsonNode state = JSON.readTree(response.body());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(state.path("users").path("alice").path("id").asText()).startsWith("AIDA");
    assertThat(state.path("users").path("alice").path("accessKeys")).hasSize(1);
    assertThat(response.body()).doesNotContainIgnoringCase("secret");
    assertThat(sandbox.state("111111111111").path("users").has("alice")).isTrue();
    assertThat(admin("GET", "state/12", null).statusCode()).isEqualTo(400);
  }

  @Test
  void faultsAreSetReadAndClearedOverHttp() throws Exception {
    HttpResponse<String> put =
        admin(
            "PUT",
            "faults",
            """
            {"fail": [{"account": "111111111111", "action": "ListUsers", "fraction": 1.0}],
             "latency": [{"action": "ListGroups", "fixedMillis": 10, "jitterMillis": 0}]}
            """);
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(admin("GET", "faults", null).body()).path("fail")).hasSize(1);
    assertThatThrownBy(iam::listUsers)
        .isInstanceOfSatisfying(IamException.class, e -> assertThat(e.statusCode()).isEqualTo(500));

    assertThat(admin("DELETE", "faults", null).statusCode()).isEqualTo(204);
    assertThat(iam.listUsers().users()).isEmpty();
    assertThat(
            JSON.readTree(admin("GET", "calls", null).body())
                .path(ACCOUNT)
                .path("ListUsers")
                .asLong())
        .isEqualTo(2);
  }

  @Test
  void resetOverHttpForgetsEverything() throws Exception {
    iam.createUser(r -> r.userName("alice"));

    assertThat(admin("POST", "reset", null).statusCode()).isEqualTo(204);

    assertThat(iam.listUsers().users()).isEmpty();
  }

  @Test
  void badAdminRequestsAreProblemJson() throws Exception {
    HttpResponse<String> bad = admin("POST", "seed", "{\"accounts\": {\"42\": {}}}");
    HttpResponse<String> missing = admin("GET", "nothing-here", null);

    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(JSON.readTree(bad.body()).path("detail").asText()).contains("12 digits");
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void stateFileSurvivesARestartIncludingStsSessions(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("iam-state.json");
    String userId;
    String sessionKey;
    try (IamSandbox first = IamSandbox.builder().stateFile(file).build().start()) {
      first.seed(
          new ByteArrayInputStream(
              "{\"accounts\":{\"333333333333\":{\"roles\":[\"r\"]}}}"
                  .getBytes(StandardCharsets.UTF_8)));
      StsClient sts = sts(first.endpoint(), ACCOUNT);
      sessionKey =
          sts.assumeRole(r -> r.roleArn("arn:aws:iam::333333333333:role/r").roleSessionName("s1"))
              .credentials()
              .accessKeyId();
      userId = client(first, sessionKey).createUser(r -> r.userName("alice")).user().userId();
    }
    assertThat(Files.readString(file)).contains("alice");

    try (IamSandbox second = IamSandbox.builder().stateFile(file).build().start()) {
      assertThat(client(second, sessionKey).getUser(r -> r.userName("alice")).user().userId())
          .isEqualTo(userId);
    }
  }

  @Test
  void aChangeIsAppendedToTheJournalNotWrittenWholeAndACrashLosesNothing(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("iam-state.json");
    StringBuilder users = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      users.append(i == 0 ? "" : ",").append("{\"name\": \"user").append(i).append("\"}");
    }
    try (IamSandbox first = IamSandbox.builder().stateFile(file).build().start()) {
      first.seed(
          new ByteArrayInputStream(
              ("{\"accounts\":{\"111111111111\":{\"groups\":[\"developers\"],\"users\":["
                      + users
                      + "]},\"333333333333\":{\"roles\":[\"r\"]}}}")
                  .getBytes(StandardCharsets.UTF_8)));
      byte[] snapshot = Files.readAllBytes(file);
      IamClient client =
          iam(first.endpoint(), key(ACCOUNT), c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
      client.tagUser(r -> r.userName("user1").tags(t -> t.key("team").value("core")));
      client.addUserToGroup(r -> r.userName("user2").groupName("developers"));
      client.createAccessKey(r -> r.userName("user3"));
      client.deleteUser(r -> r.userName("user4"));
      client.createGroup(r -> r.groupName("auditors"));
      sts(first.endpoint(), ACCOUNT)
          .assumeRole(r -> r.roleArn("arn:aws:iam::333333333333:role/r").roleSessionName("s1"));

      // Beyond the saver's one-second tick: the snapshot is untouched, the journal holds the calls.
      await()
          .during(Duration.ofMillis(1_500))
          .atMost(Duration.ofSeconds(10))
          .until(() -> Arrays.equals(Files.readAllBytes(file), snapshot));
      Path journal = dir.resolve("iam-state.json.journal");
      assertThat(Files.readAllLines(journal)).hasSize(6);
      assertThat(Files.size(journal)).isLessThan(snapshot.length / 4);

      // A second sandbox on the same files sees what a crash of the first would leave behind.
      JsonNode live = first.state();
      try (IamSandbox second = IamSandbox.builder().stateFile(file).build().start()) {
        assertThat(second.state()).isEqualTo(live);
      }
    }
  }

  private static IamClient client(IamSandbox s, String sessionKey) {
    return iam(
        s.endpoint(),
        StaticCredentialsProvider.create(AwsSessionCredentials.create(sessionKey, "s", "t")),
        c -> {});
  }

  @Test
  void stopIsAnOutageAndStartResumesOnTheSamePortWithTheSameState() {
    try (IamSandbox own = IamSandbox.builder().build().start()) {
      IamClient client =
          iam(own.endpoint(), key(ACCOUNT), c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
      client.createUser(r -> r.userName("alice"));
      URI before = own.endpoint();

      own.stop();
      assertThatThrownBy(client::listUsers).isInstanceOf(SdkClientException.class);
      own.start();

      assertThat(own.endpoint()).isEqualTo(before);
      assertThat(client.listUsers().users()).extracting(u -> u.userName()).containsExactly("alice");
    }
  }

  @Test
  void anExpiredSessionKeyIsExpiredToken(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("iam-state.json");
    Files.writeString(
        file,
        """
        {"accounts": {"333333333333": {}},
         "sessions": {"ASIAEXPIREDEXPIRED01": {"accessKeyId": "ASIAEXPIREDEXPIRED01",
           "accountId": "333333333333", "roleName": "r", "roleId": "AROAEXAMPLEEXAMPLE012",
           "sessionName": "s", "expiration": "2020-01-01T00:00:00Z"}}}
        """);

    try (IamSandbox own = IamSandbox.builder().stateFile(file).build().start()) {
      assertThatThrownBy(() -> client(own, "ASIAEXPIREDEXPIRED01").listUsers())
          .isInstanceOfSatisfying(
              IamException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredToken"));
    }
  }

  @Test
  void standaloneMainOptionsAreParsed(@TempDir Path dir) throws Exception {
    Path seed = dir.resolve("seed.json");
    Files.writeString(seed, "{\"accounts\":{\"444444444444\":{\"groups\":[\"developers\"]}}}");

    IamSandboxMain.Options options =
        IamSandboxMain.Options.parse(
            "--port", "0", "--state", dir.resolve("s.json").toString(), "--seed", seed.toString());
    try (IamSandbox s = IamSandboxMain.start(options)) {
      assertThat(s.state("444444444444").path("groups").has("developers")).isTrue();
    }
    assertThat(dir.resolve("s.json")).exists();
    assertThatThrownBy(() -> IamSandboxMain.Options.parse("--bogus", "1"))
        .hasMessageContaining("unknown option");
  }
}
