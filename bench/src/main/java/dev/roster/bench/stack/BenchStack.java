package dev.roster.bench.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.bench.Context;
import dev.roster.bench.ServiceProcess;
import dev.roster.sandbox.iam.IamSandbox;
import dev.roster.sandbox.kafka.EmbeddedKafka;
import dev.roster.sandbox.postgres.EmbeddedPostgresServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The whole of Roster for a benchmark, wired the way {@code ./roster up} wires it (same environment
 * variables): Kafka, PostgreSQL and the IAM sandbox in this JVM (so the benchmark can set the
 * sandbox's latency and read its call counters directly), the three services as processes from
 * their packaged jars, each with the same JVM flags.
 */
public final class BenchStack implements AutoCloseable {
  public static final String SECRET = "bench-webhook-secret-not-for-production";
  public static final String AUDITOR_PASSWORD = "bench-auditor-password";
  public static final String XMX = "256m";
  public static final String DEV = "111111111111";
  public static final String STAGING = "222222222222";
  public static final String PROD = "333333333333";
  static final List<String> SERVICES = List.of("hr-listener", "provisioner", "auditor");

  final EmbeddedKafka kafka;
  final EmbeddedPostgresServer postgres;
  final IamSandbox iam;
  final Map<String, ServiceProcess> services = new LinkedHashMap<>();

  private BenchStack(Context ctx) throws Exception {
    Path work = Files.createTempDirectory("roster-bench-stack-");
    kafka =
        EmbeddedKafka.builder().dataDir(work.resolve("kafka")).defaultPartitions(6).build().start();
    kafka.createTopics(6, EmbeddedKafka.rosterTopics());
    postgres =
        EmbeddedPostgresServer.builder()
            .workDir(ctx.root().resolve("bench").resolve("target").resolve("embedded-pg"))
            .database("roster")
            .build()
            .start();
    iam = IamSandbox.builder().port(0).build().start();
    iam.seed(new ObjectMapper().readTree(SEED));
  }

  /** The accounts, groups and provisioner roles of {@code deploy/roles.yaml}. */
  static final String SEED =
      """
      {"accounts": {
        "111111111111": {"groups": ["all-staff", "developers", "iam-user-managers"]},
        "222222222222": {"roles": ["roster-provisioner"], "groups": ["readonly", "qa"]},
        "333333333333": {"roles": ["roster-provisioner"], "groups": ["operators", "break-glass"]}
      }}
      """;

  public static boolean built(Context ctx) {
    return SERVICES.stream()
        .allMatch(s -> Files.isRegularFile(ctx.quarkusApp(s).resolve("quarkus-run.jar")));
  }

  public static BenchStack start(Context ctx) throws Exception {
    BenchStack stack = new BenchStack(ctx);
    try {
      for (String s : SERVICES) {
        int port = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafka.bootstrapServers());
        env.put("QUARKUS_LOG_LEVEL", "WARN");
        switch (s) {
          case "hr-listener" -> env.put("ROSTER_WEBHOOK_SECRETS", SECRET);
          case "provisioner" -> {
            env.put("ROSTER_ROLES_FILE", ctx.root().resolve("deploy/roles.yaml").toString());
            env.put("ROSTER_IAM_ENDPOINT", stack.iam.endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", DEV);
            env.put("AWS_SECRET_ACCESS_KEY", "roster-local");
            env.put("AWS_REGION", "us-east-1");
          }
          default -> {
            env.put("ROSTER_AUDITOR_DB_URL", stack.postgres.jdbcUrl());
            env.put("ROSTER_AUDITOR_DB_USER", EmbeddedPostgresServer.SUPERUSER);
            env.put("ROSTER_AUDITOR_DB_PASSWORD", "roster-local");
            env.put("ROSTER_AUDITOR_PASSWORD", AUDITOR_PASSWORD);
          }
        }
        stack.services.put(
            s, ServiceProcess.start(s, ctx.quarkusApp(s), XMX, port, Map.of(), env, ctx.logs()));
      }
      for (ServiceProcess p : stack.services.values()) {
        p.awaitReady("/q/health/ready", Duration.ofSeconds(180));
      }
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  public ServiceProcess service(String name) {
    return services.get(name);
  }

  public IamSandbox iam() {
    return iam;
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  public Connection jdbc() throws SQLException {
    return DriverManager.getConnection(
        postgres.jdbcUrl(), EmbeddedPostgresServer.SUPERUSER, "roster-local");
  }

  /** An SDK client on the sandbox; a 12-digit access key id selects the account. */
  public IamClient iamClient(String account) {
    return IamClient.builder()
        .endpointOverride(URI.create(iam.endpoint().toString()))
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "roster-local")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
        .build();
  }

  static int freePort() {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    services.values().forEach(ServiceProcess::close);
    iam.close();
    postgres.close();
    kafka.close();
  }
}
