package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roster.local.Signatures;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The same packaged services against the container images a real deployment uses (Kafka {@code
 * apache/kafka}, PostgreSQL, LocalStack for IAM/STS), as in {@code deploy/compose}. Skipped, and
 * reported as skipped, where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersE2ETest {
  static final String SECRET = "tc-webhook-secret-0123456789abcdefgh";

  @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

  @Container static final PostgreSQLContainer POSTGRES = new PostgreSQLContainer("postgres:15");

  @Container
  static final LocalStackContainer LOCALSTACK =
      new LocalStackContainer("localstack/localstack:4").withServices("iam", "sts");

  static final List<Process> SERVICES = new ArrayList<>();
  static Mapping mapping;

  @BeforeAll
  static void startServices() throws Exception {
    Path root = RepoRoot.find();
    Path roles = root.resolve("deploy/roles.yaml");
    mapping = Mapping.read(roles);
    // The platform team's part (Terraform on AWS): groups and the cross-account roles.
    for (Map.Entry<String, String> acct : mapping.accountIds().entrySet()) {
      IamClient iam = iam(acct.getValue());
      Set<String> groups =
          new java.util.TreeSet<>(mapping.birthright().getOrDefault(acct.getKey(), Set.of()));
      mapping.roles().values().forEach(r -> groups.addAll(r.getOrDefault(acct.getKey(), Set.of())));
      groups.addAll(mapping.ignored().getOrDefault(acct.getKey(), Set.of()));
      groups.forEach(g -> iam.createGroup(b -> b.groupName(g)));
      iam.createRole(
          b ->
              b.roleName("roster-provisioner")
                  .assumeRolePolicyDocument(
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                          + "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}"));
    }
    String home = mapping.accountIds().values().iterator().next();
    start(root, "hr-listener", 18080, Map.of("ROSTER_WEBHOOK_SECRETS", SECRET));
    start(
        root,
        "provisioner",
        18081,
        Map.of(
            "ROSTER_ROLES_FILE", roles.toString(),
            "ROSTER_IAM_ENDPOINT", LOCALSTACK.getEndpoint().toString(),
            "AWS_ACCESS_KEY_ID", home,
            "AWS_SECRET_ACCESS_KEY", "test",
            "AWS_REGION", LOCALSTACK.getRegion()));
    start(
        root,
        "auditor",
        18082,
        Map.of(
            "ROSTER_AUDITOR_DB_URL", POSTGRES.getJdbcUrl(),
            "ROSTER_AUDITOR_DB_USER", POSTGRES.getUsername(),
            "ROSTER_AUDITOR_DB_PASSWORD", POSTGRES.getPassword(),
            "ROSTER_AUDITOR_PASSWORD", "tc-auditor"));
    HttpClient http = HttpClient.newHttpClient();
    for (int port : List.of(18080, 18081, 18082)) {
      await()
          .atMost(Duration.ofMinutes(3))
          .ignoreExceptions()
          .until(
              () ->
                  http.send(
                              HttpRequest.newBuilder(
                                      URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                  .build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode()
                      == 200);
    }
  }

  private static void start(Path root, String svc, int port, Map<String, String> env)
      throws Exception {
    Path jar = root.resolve(svc).resolve("target/quarkus-app/quarkus-run.jar");
    assumeTrue(Files.isRegularFile(jar), svc + " is not packaged");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(new File(root.resolve("e2e/target/tc-" + svc + ".log").toString()));
    pb.environment().putAll(env);
    pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", KAFKA.getBootstrapServers());
    SERVICES.add(pb.start());
  }

  @AfterAll
  static void stopServices() {
    SERVICES.forEach(Process::destroy);
  }

  static IamClient iam(String account) {
    return IamClient.builder()
        .endpointOverride(LOCALSTACK.getEndpoint())
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "test")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  @Test
  void aSignedHireBecomesAnIamUserWithTheMappedGroupsInLocalStack() throws Exception {
    String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
    String body =
        "{\"eventId\":\"tc-1\",\"type\":\"hire\",\"employeeId\":\"TC1\",\"occurredAt\":\""
            + now
            + "\",\"employee\":{\"username\":\"tc.one\",\"roles\":[\"developer\"]}}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:18080/v1/events"))
                    .header("Content-Type", "application/json")
                    .header(Signatures.HEADER, Signatures.header(SECRET, bytes))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(202);
    for (Map.Entry<String, String> acct : mapping.accountIds().entrySet()) {
      Set<String> desired = mapping.desired(acct.getKey(), List.of("developer"));
      if (desired.isEmpty()) {
        continue;
      }
      IamClient iam = iam(acct.getValue());
      await()
          .atMost(Duration.ofMinutes(1))
          .ignoreExceptions()
          .untilAsserted(() -> assertThat(Scenario.groups(iam, "tc.one")).isEqualTo(desired));
    }
  }
}
