package dev.roster.sandbox.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.sandbox.iam.IamSandbox;
import dev.roster.sandbox.kafka.EmbeddedKafka;
import dev.roster.sandbox.postgres.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * All of Roster on one machine: a real Kafka broker, PostgreSQL server and the IAM sandbox run by
 * this JVM, and the three packaged services as child processes. The {@code ./roster} command and
 * the end-to-end tests both drive it.
 *
 * <pre>{@code
 * try (Stack stack = Stack.builder().root(repo).dataDir(tmp).randomPorts().build().start()) {
 *   stack.url(Component.HR_LISTENER); stack.webhookSecret();
 *   stack.kill(Component.PROVISIONER); stack.restart(Component.PROVISIONER);
 * }
 * }</pre>
 */
public final class Stack implements AutoCloseable {
  /** The auditor's local user (HTTP Basic, issue 5). */
  public static final String AUDITOR_USER = "auditor";

  /** {@code --iam-endpoint aws}: the real AWS with the default credential chain. */
  public static final String REAL_AWS = "aws";

  private static final String SECRET_FILE = "webhook-secret";
  private static final String PASSWORD_FILE = "auditor-password";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path root;
  private final Path dataDir;
  private final RoleMappingFile roles;
  private final String iamEndpoint;
  private final Map<Component, Integer> ports;
  private final Consumer<String> sink;
  private final List<String> serviceJvmOptions;
  private final Duration readyTimeout;
  private final Map<Component, Map<String, String>> extraEnv;
  private final String webhookSecret;
  private final String auditorPassword;

  private EmbeddedKafka kafka;
  private EmbeddedPostgresServer postgres;
  private IamSandbox iam;
  private final Map<Component, ChildProcess> processes = new EnumMap<>(Component.class);
  private Thread shutdownHook;

  private Stack(Builder b) {
    this.root = b.root.toAbsolutePath().normalize();
    this.dataDir = (b.dataDir != null ? b.dataDir : root.resolve(".roster")).toAbsolutePath();
    this.roles =
        RoleMappingFile.read(b.rolesFile != null ? b.rolesFile : root.resolve("deploy/roles.yaml"));
    this.iamEndpoint = b.iamEndpoint;
    this.sink = b.sink;
    this.serviceJvmOptions = List.copyOf(b.serviceJvmOptions);
    this.readyTimeout = b.readyTimeout;
    this.extraEnv = new EnumMap<>(Component.class);
    b.extraEnv.forEach((c, env) -> this.extraEnv.put(c, Map.copyOf(env)));
    this.ports = new EnumMap<>(Component.class);
    for (Component c : Component.values()) {
      Integer fixed = b.ports.get(c);
      this.ports.put(c, fixed != null ? fixed : b.randomPorts ? freePort() : c.defaultPort());
    }
    if (b.fresh) {
      wipe(dataDir);
    }
    try {
      Files.createDirectories(dataDir.resolve("logs"));
    } catch (IOException e) {
      throw new LauncherException("Cannot create the data directory " + dataDir + ".", e);
    }
    this.webhookSecret =
        secret(b.webhookSecret, "ROSTER_WEBHOOK_SECRET", dataDir.resolve(SECRET_FILE));
    this.auditorPassword =
        secret(b.auditorPassword, "ROSTER_AUDITOR_PASSWORD", dataDir.resolve(PASSWORD_FILE));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts every component in order and returns once every service answers {@code /q/health/ready}
   * with UP. On failure, stops what it started and throws a {@link LauncherException} naming the
   * component.
   */
  public synchronized Stack start() {
    for (Component c : Component.values()) {
      if (c == Component.IAM && !usesSandbox()) {
        continue;
      }
      if (!portFree(port(c))) {
        throw new LauncherException(
            "Port "
                + port(c)
                + " ("
                + c.displayName()
                + ") is already in use: stop what uses it (./roster down if it is a detached"
                + " stack).");
      }
    }
    shutdownHook = new Thread(this::stop, "roster-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      for (Component c : Component.values()) {
        if (c == Component.IAM && !usesSandbox()) {
          continue;
        }
        startComponent(c);
      }
      for (Component c : Component.values()) {
        if (c.isService()) {
          awaitReady(c);
        }
      }
      return this;
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  /** Stops everything (services first, the broker last). Safe to call twice. */
  public synchronized void stop() {
    List<Component> reverse = new ArrayList<>(List.of(Component.values()));
    java.util.Collections.reverse(reverse);
    for (Component c : reverse) {
      try {
        stopComponent(c);
      } catch (RuntimeException e) {
        sink.accept("roster      | could not stop " + c.displayName() + ": " + e.getMessage());
      }
    }
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // Already in shutdown: the hook is what called us.
      }
      shutdownHook = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Kills a component abruptly: {@code kill -9} for a process, an immediate stop for the broker and
   * the database (which keep their data for {@link #restart(Component)}).
   */
  public synchronized void kill(Component c) {
    switch (c) {
      case KAFKA -> kafka.stop();
      case POSTGRES -> postgres.stop();
      case IAM -> iam.stop();
      default -> processes.get(c).kill();
    }
  }

  /** Stops the component if running, starts it again and waits until it is ready. */
  public synchronized void restart(Component c) {
    if (isRunning(c)) {
      stopComponent(c);
    }
    startComponent(c);
    if (c.isService()) {
      awaitReady(c);
    }
  }

  public synchronized boolean isRunning(Component c) {
    return switch (c) {
      case KAFKA -> kafka != null && kafka.isRunning();
      case POSTGRES -> postgres != null && postgres.isRunning();
      case IAM -> iam != null && canConnect(port(c));
      default -> processes.containsKey(c) && processes.get(c).isAlive();
    };
  }

  /** Every component's health, probed now. */
  public Map<Component, Health> health() {
    Map<Component, Health> out = new LinkedHashMap<>();
    for (Component c : Component.values()) {
      out.put(c, c == Component.IAM && !usesSandbox() ? Health.external(iamEndpoint) : probe(c));
    }
    return out;
  }

  public Health probe(Component c) {
    return probe(c, port(c));
  }

  /** Health of a component on a port, whoever started it (used by {@code ./roster status}). */
  public static Health probe(Component c, int port) {
    if (!c.isService()) {
      return canConnect(port) ? Health.up("listening on " + port) : Health.down("not listening");
    }
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200
          ? Health.up("ready")
          : Health.down("not ready (HTTP " + r.statusCode() + ")");
    } catch (IOException e) {
      return Health.down("not answering");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.down("interrupted");
    }
  }

  /** A component's state as {@code ./roster status} shows it. */
  public record Health(boolean up, String detail) {
    static Health up(String detail) {
      return new Health(true, detail);
    }

    static Health down(String detail) {
      return new Health(false, detail);
    }

    static Health external(String endpoint) {
      return new Health(true, "external endpoint " + endpoint);
    }
  }

  // --- what tests and the CLI read ------------------------------------------------------------

  public int port(Component c) {
    return ports.get(c);
  }

  /** {@code http://127.0.0.1:<port>} of a service or of the IAM endpoint. */
  public String url(Component c) {
    if (c == Component.IAM && !usesSandbox()) {
      return iamEndpoint;
    }
    return "http://127.0.0.1:" + port(c);
  }

  public String webhookSecret() {
    return webhookSecret;
  }

  public String auditorPassword() {
    return auditorPassword;
  }

  public String kafkaBootstrapServers() {
    return "127.0.0.1:" + port(Component.KAFKA);
  }

  public Path dataDir() {
    return dataDir;
  }

  public RoleMappingFile roles() {
    return roles;
  }

  /** The IAM sandbox (null with {@code --iam-endpoint}), for faults and state in tests. */
  public IamSandbox iamSandbox() {
    return iam;
  }

  /** The broker, for tests that restart it during a burst. */
  public EmbeddedKafka kafka() {
    return kafka;
  }

  public long pid(Component c) {
    ChildProcess p = processes.get(c);
    return p == null ? -1 : p.pid();
  }

  /** Whether the launcher runs the IAM sandbox (no {@code --iam-endpoint}). */
  public boolean usesSandbox() {
    return iamEndpoint == null;
  }

  // --- components -----------------------------------------------------------------------------

  private void startComponent(Component c) {
    switch (c) {
      case KAFKA -> {
        if (kafka == null) {
          kafka =
              EmbeddedKafka.builder()
                  .port(port(c))
                  .dataDir(dataDir.resolve("kafka"))
                  .defaultPartitions(6)
                  .build();
        }
        try {
          kafka.start();
        } catch (RuntimeException e) {
          throw new LauncherException("The Kafka broker did not start: " + rootMessage(e) + ".", e);
        }
        // Per-employee order comes from the key; six partitions let several people proceed at
        // once on a laptop.
        kafka.createTopics(6, EmbeddedKafka.rosterTopics());
      }
      case POSTGRES -> {
        if (postgres == null) {
          postgres =
              EmbeddedPostgresServer.builder()
                  .port(port(c))
                  .dataDir(dataDir.resolve("postgres"))
                  .workDir(dataDir.resolve("postgres-bin"))
                  .database("roster")
                  .build();
        }
        try {
          postgres.start();
        } catch (RuntimeException e) {
          throw new LauncherException("PostgreSQL did not start: " + rootMessage(e) + ".", e);
        }
      }
      case IAM -> {
        if (iam == null) {
          iam =
              IamSandbox.builder()
                  .port(port(c))
                  .host("127.0.0.1")
                  .stateFile(dataDir.resolve("iam-state.json"))
                  .build();
        }
        try {
          iam.start();
          // Idempotent: keeps what exists, adds the groups and roles a new mapping needs.
          iam.seed(new ObjectMapper().readTree(roles.sandboxSeed()));
        } catch (IOException | RuntimeException e) {
          throw new LauncherException("The IAM sandbox did not start: " + rootMessage(e) + ".", e);
        }
      }
      default -> process(c, serviceCommand(c), serviceEnv(c)).start();
    }
  }

  private void stopComponent(Component c) {
    switch (c) {
      case KAFKA -> {
        if (kafka != null) {
          kafka.stop();
        }
      }
      case POSTGRES -> {
        if (postgres != null) {
          postgres.stop();
        }
      }
      case IAM -> {
        if (iam != null) {
          iam.stop();
        }
      }
      default -> {
        ChildProcess p = processes.get(c);
        if (p != null) {
          p.stop();
        }
      }
    }
  }

  private ChildProcess process(Component c, List<String> command, Map<String, String> env) {
    return processes.computeIfAbsent(
        c,
        k ->
            new ChildProcess(
                k, command, env, dataDir.resolve("logs").resolve(k.displayName() + ".log"), sink));
  }

  /** The packaged Quarkus application of a service. */
  public Path serviceJar(Component c) {
    return root.resolve(c.displayName()).resolve("target/quarkus-app/quarkus-run.jar");
  }

  private List<String> serviceCommand(Component c) {
    Path jar = serviceJar(c);
    if (!Files.isRegularFile(jar)) {
      throw new LauncherException(
          "The "
              + c.displayName()
              + " jar is missing ("
              + root.relativize(jar)
              + "): build it with ./mvnw -q -DskipTests package.");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable());
    cmd.addAll(serviceJvmOptions);
    cmd.addAll(List.of("-jar", jar.toString()));
    return cmd;
  }

  private Map<String, String> serviceEnv(Component c) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port(c)));
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers());
    switch (c) {
      case HR_LISTENER -> env.put("ROSTER_WEBHOOK_SECRETS", webhookSecret);
      case PROVISIONER -> {
        env.put("ROSTER_ROLES_FILE", roles.path().toAbsolutePath().toString());
        if (!REAL_AWS.equals(iamEndpoint)) {
          env.put("ROSTER_IAM_ENDPOINT", url(Component.IAM));
          // Sandbox and LocalStack convention: a 12-digit access key id selects the account.
          env.put("AWS_ACCESS_KEY_ID", roles.homeAccountId());
          env.put("AWS_SECRET_ACCESS_KEY", "roster-local");
          env.put("AWS_REGION", "us-east-1");
        }
      }
      case AUDITOR -> {
        env.put(
            "ROSTER_AUDITOR_DB_URL",
            "jdbc:postgresql://127.0.0.1:" + port(Component.POSTGRES) + "/roster");
        // Local only: the embedded server trusts local connections.
        env.put("ROSTER_AUDITOR_DB_USER", EmbeddedPostgresServer.SUPERUSER);
        env.put("ROSTER_AUDITOR_DB_PASSWORD", "roster-local");
        env.put("ROSTER_AUDITOR_PASSWORD", auditorPassword);
      }
      default -> {}
    }
    env.putAll(extraEnv.getOrDefault(c, Map.of()));
    return env;
  }

  private void awaitReady(Component c) {
    ChildProcess p = processes.get(c);
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new LauncherException(
            c.displayName()
                + " stopped during start-up (exit code "
                + p.exitCode()
                + "): "
                + p.lastError()
                + " (full log: "
                + p.logFile()
                + ").");
      }
      if (probe(c).up()) {
        return;
      }
      pause(250);
    }
    throw new LauncherException(
        c.displayName()
            + " was not ready within "
            + readyTimeout.toSeconds()
            + " s: "
            + p.lastError()
            + " (full log: "
            + p.logFile()
            + ").");
  }

  // --- helpers --------------------------------------------------------------------------------

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // polling a child process's port; nothing to wait on instead
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LauncherException("Interrupted while starting the stack.", e);
    }
  }

  static boolean canConnect(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static boolean portFree(int port) {
    if (canConnect(port)) {
      return false;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Given value, else the environment variable, else the file, else a new one kept there. */
  private static String secret(String given, String envName, Path file) {
    if (given != null && !given.isBlank()) {
      return given;
    }
    String env = System.getenv(envName);
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      if (Files.isRegularFile(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      String generated = HexFormat.of().formatHex(bytes);
      Files.writeString(file, generated + "\n", StandardCharsets.UTF_8);
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
      return generated;
    } catch (IOException e) {
      throw new LauncherException("Cannot read or write " + file + ": " + e.getMessage() + ".", e);
    }
  }

  private static void wipe(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder())
          .filter(p -> !p.equals(dir))
          .filter(p -> !p.startsWith(dir.resolve("postgres-bin")))
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      throw new LauncherException("Cannot wipe the data directory " + dir + ".", e);
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** Configures a stack; {@link #root(Path)} is the checkout (where the service modules are). */
  public static final class Builder {
    private Path root = Path.of("");
    private Path dataDir;
    private Path rolesFile;
    private String iamEndpoint;
    private boolean randomPorts;
    private boolean fresh;
    private final Map<Component, Integer> ports = new EnumMap<>(Component.class);
    private String webhookSecret;
    private String auditorPassword;
    private Consumer<String> sink = System.out::println;
    private final List<String> serviceJvmOptions =
        new ArrayList<>(
            List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    private Duration readyTimeout = Duration.ofSeconds(120);
    private final Map<Component, Map<String, String>> extraEnv = new EnumMap<>(Component.class);

    public Builder root(Path root) {
      this.root = root;
      return this;
    }

    /** Where state lives (default {@code <root>/.roster}). */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** The role mapping (default {@code <root>/deploy/roles.yaml}). */
    public Builder rolesFile(Path rolesFile) {
      this.rolesFile = rolesFile;
      return this;
    }

    /** Another IAM endpoint (no sandbox then), or {@link #REAL_AWS}. */
    public Builder iamEndpoint(String iamEndpoint) {
      this.iamEndpoint = iamEndpoint;
      return this;
    }

    /** Free ports instead of the fixed defaults, so tests can run beside a local stack. */
    public Builder randomPorts() {
      this.randomPorts = true;
      return this;
    }

    public Builder port(Component c, int port) {
      ports.put(c, port);
      return this;
    }

    /** Wipes the data directory first. */
    public Builder fresh(boolean fresh) {
      this.fresh = fresh;
      return this;
    }

    public Builder webhookSecret(String secret) {
      this.webhookSecret = secret;
      return this;
    }

    public Builder auditorPassword(String password) {
      this.auditorPassword = password;
      return this;
    }

    /** Where the prefixed log lines of every process go (default: standard output). */
    public Builder logSink(Consumer<String> sink) {
      this.sink = sink;
      return this;
    }

    public Builder serviceJvmOptions(List<String> options) {
      serviceJvmOptions.clear();
      serviceJvmOptions.addAll(options);
      return this;
    }

    public Builder readyTimeout(Duration timeout) {
      this.readyTimeout = timeout;
      return this;
    }

    /** Extra environment for one service, e.g. a tuning key in a test. */
    public Builder env(Component c, String name, String value) {
      extraEnv.computeIfAbsent(c, k -> new LinkedHashMap<>()).put(name, value);
      return this;
    }

    public Stack build() {
      if (!Set.of(Component.values()).containsAll(ports.keySet())) {
        throw new IllegalArgumentException("unknown component");
      }
      return new Stack(this);
    }
  }
}
