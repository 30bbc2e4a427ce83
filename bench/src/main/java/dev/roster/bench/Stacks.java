package dev.roster.bench;

import dev.roster.local.Component;
import dev.roster.local.ServicePart;
import dev.roster.local.Stack;
import dev.roster.sandbox.FreePort;
import dev.roster.sandbox.postgres.EmbeddedPostgresServer;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The local stack ({@code dev.roster.local.Stack}, what {@code ./roster up} runs) as every
 * benchmark starts it: free ports, fixed secrets, the same JVM flags for every service and baseline
 * app, quiet logs, and the IAM sandbox's state in memory only.
 */
public final class Stacks {
  public static final String SECRET = "bench-webhook-secret-not-for-production";
  public static final String AUDITOR_PASSWORD = "bench-auditor-password";
  public static final String XMX = "256m";

  /** The services whose containers the Kubernetes manifests define. */
  public static final List<String> SERVICES = List.of("hr-listener", "provisioner", "auditor");

  private static final Duration READY = Duration.ofSeconds(180);

  private Stacks() {}

  /**
   * A stack for one benchmark, its data and service logs in {@code bench/target/stacks/<name>/}
   * (wiped at each start); narrow it with {@link Stack.Builder#only}.
   */
  public static Stack.Builder builder(Context ctx, String benchmark) {
    Stack.Builder b =
        Stack.builder()
            .root(ctx.root())
            .dataDir(dataDir(ctx, benchmark))
            .fresh(true)
            .randomPorts()
            .webhookSecret(SECRET)
            .auditorPassword(AUDITOR_PASSWORD)
            .serviceJvmOptions(jvmOptions(ctx))
            .keepIamState(false)
            .readyTimeout(READY)
            .logSink(line -> {});
    for (Component c : Component.values()) {
      if (c.isService()) {
        b.env(c, "QUARKUS_LOG_LEVEL", "WARN");
        Manifests.container(ctx.root(), c.displayName())
            .nativeEnv()
            .forEach((k, v) -> b.env(c, k, v));
      }
    }
    return b;
  }

  /** Another packaged Quarkus app (a baseline) beside a benchmark's stack, with the same flags. */
  public static ServicePart app(Context ctx, String benchmark, String module) {
    return app(ctx, benchmark, module, Map.of());
  }

  /** The same with environment variables (e.g. the stack's {@code KAFKA_BOOTSTRAP_SERVERS}). */
  public static ServicePart app(
      Context ctx, String benchmark, String module, Map<String, String> env) {
    String name = Path.of(module).getFileName().toString();
    return new ServicePart(
        name,
        ServicePart.jar(ctx.root(), module),
        FreePort.pick(),
        jvmOptions(ctx),
        env,
        dataDir(ctx, benchmark).resolve("logs").resolve(name + ".log"),
        line -> {},
        READY);
  }

  /**
   * The JVM options every service's container gets in {@code deploy/k8s/base} (the same for all
   * three, {@code StacksTest} checks): serial GC and the heap cap, so RSS stays within 80 % of the
   * container's limit. Every subject and baseline app runs with them, and with {@code -XX:MaxRAM}
   * at the container's memory limit: in the container the JVM sizes its initial heap from that
   * limit (1/64), here it would take 1/64 of the host's memory, the whole heap cap.
   */
  public static List<String> jvmOptions(Context ctx) {
    Manifests.Container c = Manifests.container(ctx.root(), "provisioner");
    List<String> options = new java.util.ArrayList<>(c.jvmOptions());
    options.add("-XX:MaxRAM=" + Math.round(c.memoryLimitMiB()) + "m");
    return List.copyOf(options);
  }

  /** An SDK client on the stack's IAM sandbox; a 12-digit access key id selects the account. */
  public static IamClient iamClient(Stack stack, String account) {
    return IamClient.builder()
        .endpointOverride(URI.create(stack.url(Component.IAM)))
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "roster-local")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
        .build();
  }

  /** A superuser connection to the stack's database (trusted locally: any password does). */
  public static Connection jdbc(Stack stack) throws SQLException {
    return jdbc(stack, "");
  }

  /** The same with driver settings, e.g. {@code ?reWriteBatchedInserts=true}. */
  public static Connection jdbc(Stack stack, String urlParameters) throws SQLException {
    return DriverManager.getConnection(
        stack.jdbcUrl() + urlParameters, EmbeddedPostgresServer.SUPERUSER, "roster-local");
  }

  /** The single number a {@code SELECT count(*)} answers. */
  public static long count(Connection db, String sql) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The id of an account of the stack's role mapping ({@code deploy/roles.yaml}). */
  public static String accountId(Stack stack, String account) {
    return stack.roles().accounts().get(account).id();
  }

  private static Path dataDir(Context ctx, String benchmark) {
    return ctx.root().resolve("bench").resolve("target").resolve("stacks").resolve(benchmark);
  }
}
