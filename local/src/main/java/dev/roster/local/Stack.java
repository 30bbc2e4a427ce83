package dev.roster.local;

import dev.roster.sandbox.FreePort;
import dev.roster.sandbox.iam.IamSandbox;
import dev.roster.sandbox.kafka.EmbeddedKafka;
import dev.roster.sandbox.postgres.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * All of Roster on one machine: a real Kafka broker, PostgreSQL server and the IAM sandbox run by
 * this JVM, and the three packaged services as child processes, each a {@link Part} started in
 * order. The {@code ./roster} command, the end-to-end tests and the benchmarks all drive it.
 *
 * <pre>{@code
 * try (Stack stack = Stack.builder().root(repo).dataDir(tmp).randomPorts().build().start()) {
 *   stack.url(Component.HR_LISTENER); stack.webhookSecret();
 *   stack.kill(Component.PROVISIONER); stack.restart(Component.PROVISIONER);
 * }
 * }</pre>
 */
public final class Stack implements AutoCloseable {
  /** The auditor's local user (HTTP Basic). */
  public static final String AUDITOR_USER = "auditor";

  /** {@code --iam-endpoint aws}: the real AWS with the default credential chain. */
  public static final String REAL_AWS = "aws";

  private static final String SECRET_FILE = "webhook-secret";
  private static final String PASSWORD_FILE = "auditor-password";

  /**
   * The admin client settings of a secured broker (mode 600), which the operator commands read to
   * reach the stack running from this data directory.
   */
  public static final String KAFKA_CLIENT_FILE = "kafka-client.properties";

  private final DataDir dataDir;
  private final RoleMappingFile roles;
  private final String iamEndpoint;
  private final Ports ports;
  private final Consumer<String> sink;
  private final String webhookSecret;
  private final String auditorPassword;
  private final String reviewToken;
  private final KafkaCredentials kafkaCredentials;
  private final String auditorDbUser;
  private final IamEnforcement iamEnforcement;
  private final Path root;
  private final List<String> serviceJvmOptions;
  private final Duration readyTimeout;
  private final Map<Component, Map<String, String>> extraEnv;
  private final Map<Component, Part> parts = new EnumMap<>(Component.class);
  private final List<ServicePart> replicas = new ArrayList<>();
  private Thread shutdownHook;

  private Stack(Builder b) {
    this.root = b.root.toAbsolutePath().normalize();
    this.serviceJvmOptions = List.copyOf(b.serviceJvmOptions);
    this.readyTimeout = b.readyTimeout;
    this.extraEnv = b.extraEnv;
    this.dataDir = new DataDir(b.dataDir != null ? b.dataDir : root.resolve(".roster"), b.fresh);
    this.roles =
        RoleMappingFile.read(b.rolesFile != null ? b.rolesFile : root.resolve("deploy/roles.yaml"));
    this.iamEndpoint = b.iamEndpoint;
    this.sink = b.sink;
    this.ports = new Ports(b.ports, b.randomPorts);
    this.webhookSecret = dataDir.secret(b.webhookSecret, "ROSTER_WEBHOOK_SECRET", SECRET_FILE);
    this.auditorPassword =
        dataDir.secret(b.auditorPassword, "ROSTER_AUDITOR_PASSWORD", PASSWORD_FILE);
    // Bearer token of the provisioner's POST /v1/reviews; ./roster review --run reads the file.
    this.reviewToken = dataDir.secret(null, ReviewCommand.TOKEN_ENV, ReviewCommand.TOKEN_FILE);
    this.kafkaCredentials = b.kafkaSecurity ? KafkaCredentials.of(dataDir) : null;
    this.iamEnforcement =
        b.iamEnforcement && usesSandbox() ? new IamEnforcement(root, roles) : null;
    this.auditorDbUser =
        PostgresPart.separateRoles(dataDir.resolve("postgres"))
            ? PostgresPart.AUDITOR_ROLE
            : EmbeddedPostgresServer.SUPERUSER;
    if (kafkaCredentials != null) {
      dataDir.writePrivate(
          KAFKA_CLIENT_FILE, KafkaCredentials.asProperties(kafkaClientProperties()));
    }
    for (Component c : b.components) {
      Part part =
          switch (c) {
            case KAFKA ->
                new KafkaPart(
                    port(c), dataDir.resolve("kafka"), b.kafkaPartitions, kafkaCredentials);
            case POSTGRES ->
                new PostgresPart(port(c), dataDir.resolve("postgres"), dataDir.postgresBinaries());
            case IAM ->
                usesSandbox()
                    ? new IamPart(
                        port(c),
                        b.keepIamState ? dataDir.resolve("iam-state.json") : null,
                        roles,
                        iamEnforcement)
                    : null;
            default -> service(c, c.displayName(), port(c), Map.of());
          };
      if (part != null) {
        parts.put(c, part);
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A service's process: its environment ({@link ServiceEnv}, the builder's, then {@code env}). */
  private ServicePart service(Component c, String name, int port, Map<String, String> env) {
    Map<String, String> all = new LinkedHashMap<>(ServiceEnv.of(c, this));
    all.putAll(extraEnv.getOrDefault(c, Map.of()));
    all.putAll(env);
    return new ServicePart(
        name,
        ServicePart.jar(root, c.displayName()),
        port,
        serviceJvmOptions,
        all,
        dataDir.logFile(name),
        sink,
        readyTimeout);
  }

  /**
   * Starts every part in order and returns once every service answers {@code /q/health/ready} with
   * UP. Refuses a port in use before anything starts; on failure, stops what it started and throws
   * a {@link LauncherException} naming the part.
   */
  public synchronized Stack start() {
    parts.values().forEach(Ports::requireFree);
    shutdownHook = new Thread(this::stop, "roster-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      parts.values().forEach(Part::start);
      parts.values().forEach(Part::awaitReady);
      return this;
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  /**
   * Starts another process of a service beside the stack's own one, as a second replica runs in
   * Kubernetes (a second provisioner joins the same consumer group and acts on the same IAM), on a
   * free port, with the service's environment plus {@code env} (which wins), logging to {@code
   * logs/<name>.log}; returns once it is ready. The caller may stop or kill it; the stack stops it
   * first when it stops.
   */
  public synchronized ServicePart startReplica(
      Component service, String name, Map<String, String> env) {
    if (!service.isService()) {
      throw new IllegalArgumentException(service.displayName() + " is not a service");
    }
    ServicePart replica = service(service, name, FreePort.pick(), env);
    replicas.add(replica);
    try {
      replica.start();
      replica.awaitReady();
      return replica;
    } catch (RuntimeException e) {
      replica.stop();
      throw e;
    }
  }

  /** Stops everything (replicas and services first, the broker last). Safe to call twice. */
  public synchronized void stop() {
    List<Part> reverse = new ArrayList<>(parts.values());
    reverse.addAll(replicas);
    Collections.reverse(reverse);
    for (Part p : reverse) {
      try {
        p.stop();
      } catch (RuntimeException e) {
        sink.accept("roster      | could not stop " + p.name() + ": " + e.getMessage());
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
   * Kills a part abruptly: {@code kill -9} for a process, an immediate stop for the broker and the
   * database (which keep their data for {@link #restart(Component)}).
   */
  public synchronized void kill(Component c) {
    part(c).kill();
  }

  /**
   * Stops a part gracefully (SIGTERM for a process, which may finish what it holds); {@link
   * #restart(Component)} starts it again.
   */
  public synchronized void stop(Component c) {
    part(c).stop();
  }

  /** Stops the part if running, starts it again and waits until it is ready. */
  public synchronized void restart(Component c) {
    Part p = part(c);
    if (p.isRunning()) {
      p.stop();
    }
    p.start();
    p.awaitReady();
  }

  public synchronized boolean isRunning(Component c) {
    Part p = parts.get(c);
    return p != null && p.isRunning();
  }

  /** The health of every part, probed now (an external IAM endpoint is taken as up). */
  public Map<Component, Part.Health> health() {
    Map<Component, Part.Health> out = new LinkedHashMap<>();
    for (Component c : Component.values()) {
      if (c == Component.IAM && !usesSandbox()) {
        out.put(c, Part.Health.external(iamEndpoint));
      } else if (parts.containsKey(c)) {
        out.put(c, parts.get(c).health());
      }
    }
    return out;
  }

  /** The services of this stack whose packaged jar is missing (by module name). */
  public List<String> unpackaged() {
    return parts.values().stream()
        .filter(p -> p instanceof ServicePart s && !s.isPackaged())
        .map(Part::name)
        .toList();
  }

  // --- what tests, benchmarks and the CLI read ---------------------------------------------------

  public int port(Component c) {
    return ports.of(c);
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

  /** The provisioner's review token (never printed: {@code DIR/review-token}, mode 600). */
  public String reviewToken() {
    return reviewToken;
  }

  public String kafkaBootstrapServers() {
    return "127.0.0.1:" + port(Component.KAFKA);
  }

  /** Whether the broker requires SASL and authorizes by ACL ({@link Builder#kafkaSecurity}). */
  public boolean kafkaSecured() {
    return kafkaCredentials != null;
  }

  /**
   * What a test's or operator's own Kafka client needs besides {@code bootstrap.servers}: the
   * broker admin's SASL settings on a secured broker (the JAAS line holds the password), else
   * nothing.
   */
  public Map<String, String> kafkaClientProperties() {
    return kafkaCredentials == null ? Map.of() : kafkaCredentials.adminClientProperties();
  }

  /** A service's own SASL settings on a secured broker (empty otherwise). */
  Map<String, String> kafkaClientProperties(Component service) {
    return kafkaCredentials == null ? Map.of() : kafkaCredentials.clientProperties(service);
  }

  /**
   * The provisioner's session key in the IAM sandbox when it is held to the shipped policies
   * ({@link Builder#iamEnforcement}), else null.
   */
  public String provisionerSessionKey() {
    return iamEnforcement == null ? null : iamEnforcement.sessionKeyId();
  }

  /** Whether the IAM sandbox holds the provisioner to deploy/aws's policies. */
  public boolean iamEnforced() {
    return iamEnforcement != null;
  }

  /**
   * The auditor's database role: {@code roster_auditor} (SELECT and INSERT only) unless the data
   * directory predates it.
   */
  String auditorDbUser() {
    return auditorDbUser;
  }

  /** The application database, without credentials (the superuser needs none locally). */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port(Component.POSTGRES) + "/" + PostgresPart.DATABASE;
  }

  public Path dataDir() {
    return dataDir.path();
  }

  public RoleMappingFile roles() {
    return roles;
  }

  /** The IAM sandbox (null with {@code --iam-endpoint}), for faults and state in tests. */
  public IamSandbox iamSandbox() {
    return parts.get(Component.IAM) instanceof IamPart iam ? iam.sandbox() : null;
  }

  /** The broker, for tests that restart it during a burst. */
  public EmbeddedKafka kafka() {
    return ((KafkaPart) part(Component.KAFKA)).broker();
  }

  /** The database server, for benchmarks that read or load it directly. */
  public EmbeddedPostgresServer postgres() {
    return ((PostgresPart) part(Component.POSTGRES)).server();
  }

  /** A service's process id, -1 when it has not been started. */
  public long pid(Component c) {
    return parts.get(c) instanceof ServicePart s ? s.pid() : -1;
  }

  /** Whether the launcher runs the IAM sandbox (no {@code --iam-endpoint}). */
  public boolean usesSandbox() {
    return iamEndpoint == null;
  }

  boolean usesRealAws() {
    return REAL_AWS.equals(iamEndpoint);
  }

  private Part part(Component c) {
    Part p = parts.get(c);
    if (p == null) {
      throw new IllegalArgumentException(c.displayName() + " is not part of this stack");
    }
    return p;
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
    private Set<Component> components = EnumSet.allOf(Component.class);
    private int kafkaPartitions = 6;
    private boolean kafkaSecurity;
    private boolean iamEnforcement;
    private boolean keepIamState = true;
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

    /**
     * Only these parts (default: all), e.g. Kafka, PostgreSQL and the auditor for its benchmark.
     */
    public Builder only(Component first, Component... rest) {
      this.components = EnumSet.of(first, rest);
      return this;
    }

    /**
     * Whether the broker requires SASL and authorizes every request by the ACLs of {@link
     * KafkaAccess}, each service connecting as its own user (default off; {@code ./roster up} and
     * the end-to-end tests turn it on).
     */
    public Builder kafkaSecurity(boolean secured) {
      this.kafkaSecurity = secured;
      return this;
    }

    /**
     * Whether the IAM sandbox holds the provisioner to the shipped {@code deploy/aws} policies and
     * boundary in every mapped account, the provisioner running as a session of its home role and
     * creating users with {@code roster-user-boundary} (default off; the end-to-end tests turn it
     * on). Ignored with {@link #iamEndpoint}.
     */
    public Builder iamEnforcement(boolean enforced) {
      this.iamEnforcement = enforced;
      return this;
    }

    /** Partitions of Roster's topics and of auto-created ones (default 6). */
    public Builder kafkaPartitions(int partitions) {
      this.kafkaPartitions = partitions;
      return this;
    }

    /**
     * Whether the IAM sandbox keeps its state in the data directory across restarts (default yes; a
     * benchmark's thousands of users stay in memory instead of being saved every second).
     */
    public Builder keepIamState(boolean keep) {
      this.keepIamState = keep;
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
      if (!c.isService()) {
        throw new IllegalArgumentException(c.displayName() + " is not a service");
      }
      extraEnv.computeIfAbsent(c, k -> new LinkedHashMap<>()).put(name, value);
      return this;
    }

    public Stack build() {
      return new Stack(this);
    }
  }
}
