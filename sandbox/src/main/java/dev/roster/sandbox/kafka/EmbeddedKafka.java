package dev.roster.sandbox.kafka;

import dev.roster.events.Topics;
import dev.roster.sandbox.FreePort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A genuine Apache Kafka broker in KRaft mode (one node, broker and controller in one process),
 * from the official artifacts. Tests and the local stack use it instead of Docker.
 *
 * <p>The data directory survives {@link #stop()}: {@link #start()} brings the same broker back on
 * the same port with its log intact, which is how tests exercise a broker outage.
 *
 * <p>With {@link Builder#sasl} the client listener requires SASL/PLAIN ({@code SASL_PLAINTEXT}) and
 * only the given users get in; with {@link Builder#acls()} the broker also authorizes every request
 * ({@code StandardAuthorizer}, nothing allowed without an ACL), as a secured production cluster
 * does. {@link #clientProperties} gives a client's settings for one user.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final int port;
  private final int controllerPort;
  private final Path dataDir;
  private final int defaultPartitions;
  private final Map<String, String> saslUsers;
  private final boolean acls;
  private final String adminPassword;
  private KafkaRaftServer server;

  /** The broker's own SASL user: inter-broker traffic, topic creation, ACL administration. */
  public static final String ADMIN_USER = "roster-kafka-admin";

  private EmbeddedKafka(Builder builder) {
    this.port = builder.port == 0 ? FreePort.pick() : builder.port;
    this.controllerPort = builder.controllerPort == 0 ? FreePort.pick() : builder.controllerPort;
    this.defaultPartitions = builder.defaultPartitions;
    this.saslUsers = builder.saslUsers;
    this.acls = builder.acls;
    this.adminPassword = builder.adminPassword;
    if (acls && saslUsers.isEmpty()) {
      throw new IllegalArgumentException(
          "ACLs need SASL users: every principal would be anonymous");
    }
    try {
      this.dataDir =
          builder.dataDir != null
              ? Files.createDirectories(builder.dataDir)
              : Files.createTempDirectory("roster-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Formats the log directory on first use, then starts the broker and waits until it serves. */
  public synchronized EmbeddedKafka start() {
    if (server != null) {
      return this;
    }
    Properties props = brokerProperties();
    format(props);
    KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    started.startup();
    server = started;
    awaitReady(Duration.ofSeconds(30));
    return this;
  }

  /** Stops the broker, keeping its data so that {@link #start()} resumes it. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.shutdown();
    server.awaitShutdown();
    server = null;
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  @Override
  public void close() {
    stop();
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Creates topics if missing (idempotent), with the given partition count. */
  public void createTopics(int partitions, Collection<String> names) {
    try (Admin admin = admin()) {
      List<NewTopic> topics =
          names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList();
      admin.createTopics(topics).values().values().forEach(EmbeddedKafka::ignoreExisting);
    }
  }

  /** An admin client; on a SASL broker it authenticates as {@link #ADMIN_USER} (a super user). */
  public Admin admin() {
    Map<String, Object> config = new java.util.HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
    if (isSasl()) {
      config.putAll(clientProperties(ADMIN_USER));
    }
    return Admin.create(config);
  }

  /**
   * Creates ACL bindings (creating an existing one again is a no-op) and returns once the broker
   * enforces them: they reach its authorizer through the metadata log a moment after the controller
   * accepted them, and a client that connects in between is refused.
   */
  public void grant(List<org.apache.kafka.common.acl.AclBinding> bindings) {
    try (Admin admin = admin()) {
      admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      // describeAcls is answered by the broker's own authorizer: once it lists them, they apply.
      while (!admin
          .describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY)
          .values()
          .get(10, TimeUnit.SECONDS)
          .containsAll(bindings)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the broker does not enforce the ACLs after 30 s");
        }
      }
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot create ACLs", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating ACLs", e);
    }
  }

  public boolean isSasl() {
    return !saslUsers.isEmpty();
  }

  /**
   * What a Kafka client needs besides {@code bootstrap.servers} to connect as {@code user}: empty
   * on a plaintext broker, else {@code security.protocol}, {@code sasl.mechanism} and {@code
   * sasl.jaas.config} (which holds the password: never log it).
   */
  public Map<String, String> clientProperties(String user) {
    if (!isSasl()) {
      return Map.of();
    }
    String password = user.equals(ADMIN_USER) ? adminPassword() : saslUsers.get(user);
    if (password == null) {
      throw new IllegalArgumentException("no SASL user " + user);
    }
    return saslPlainClient(user, password);
  }

  /** A client's SASL/PLAIN settings for {@code user} (the JAAS line holds the password). */
  public static Map<String, String> saslPlainClient(String user, String password) {
    return Map.of(
        "security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanism", "PLAIN",
        "sasl.jaas.config", plainLogin(user, password));
  }

  private String adminPassword() {
    return adminPassword != null
        ? adminPassword
        // A test broker on loopback: fixed per data directory unless the caller gives one.
        : "admin-" + Integer.toHexString(dataDir.toString().hashCode());
  }

  private static String plainLogin(String user, String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private static void ignoreExisting(org.apache.kafka.common.KafkaFuture<Void> future) {
    try {
      future.get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic", e.getCause());
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic", e);
    }
  }

  private Properties brokerProperties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    String client = isSasl() ? "SASL_PLAINTEXT" : "PLAINTEXT";
    p.put(
        "listeners", client + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", client + "://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", client);
    p.put("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:PLAINTEXT");
    if (isSasl()) {
      StringBuilder jaas =
          new StringBuilder(
              "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                  + ADMIN_USER
                  + "\" password=\""
                  + adminPassword()
                  + "\" user_"
                  + ADMIN_USER
                  + "=\""
                  + adminPassword()
                  + "\"");
      saslUsers.forEach(
          (u, pw) -> jaas.append(" user_").append(u).append("=\"").append(pw).append('"'));
      jaas.append(';');
      p.put("sasl.enabled.mechanisms", "PLAIN");
      p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
      p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.toString());
    }
    if (acls) {
      p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
      p.put("allow.everyone.if.no.acl.found", "false");
      // The controller listener is loopback-only and unauthenticated inside this one process.
      p.put("super.users", "User:" + ADMIN_USER + ";User:ANONYMOUS");
    }
    p.put("log.dirs", dataDir.resolve("log").toString());
    // One node: internal topics must not ask for more replicas, or consumer groups never get
    // partitions and transactions never start.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("min.insync.replicas", "1");
    p.put("default.replication.factor", "1");
    p.put("num.partitions", Integer.toString(defaultPartitions));
    p.put("auto.create.topics.enable", "true");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
    p.put("controlled.shutdown.enable", "true");
    return p;
  }

  private void format(Properties props) {
    if (Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
      return;
    }
    Path config = dataDir.resolve("server.properties");
    try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      props.store(w, "Roster embedded Kafka broker");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        StorageTool.execute(
            new String[] {
              "format",
              "--cluster-id",
              Uuid.randomUuid().toString(),
              "--config",
              config.toString(),
              "--ignore-formatted"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8));
    if (rc != 0) {
      throw new IllegalStateException(
          "kafka storage format failed: " + out.toString(StandardCharsets.UTF_8));
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try (Admin admin = admin()) {
        if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
          return;
        }
      } catch (Exception e) {
        last = new IllegalStateException("broker not ready", e);
      }
    }
    throw last != null ? last : new IllegalStateException("broker not ready in " + timeout);
  }

  /** Port 0 (the default) picks a free port. */
  public static final class Builder {
    private int port;
    private int controllerPort;
    private Path dataDir;
    private int defaultPartitions = 3;
    private final Map<String, String> saslUsers = new java.util.LinkedHashMap<>();
    private boolean acls;
    private String adminPassword;

    /** The password of {@link #ADMIN_USER} (default: derived from the data directory). */
    public Builder adminPassword(String password) {
      this.adminPassword = password;
      return this;
    }

    /** Requires SASL/PLAIN on the client listener and lets this user in (call once per user). */
    public Builder sasl(String user, String password) {
      if (user.equals(ADMIN_USER)) {
        throw new IllegalArgumentException(ADMIN_USER + " is the broker's own user");
      }
      saslUsers.put(user, password);
      return this;
    }

    /** Authorizes every request: a user can do only what an ACL allows (needs {@link #sasl}). */
    public Builder acls() {
      this.acls = true;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder controllerPort(int controllerPort) {
      this.controllerPort = controllerPort;
      return this;
    }

    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    public Builder defaultPartitions(int partitions) {
      this.defaultPartitions = partitions;
      return this;
    }

    public EmbeddedKafka build() {
      return new EmbeddedKafka(this);
    }
  }

  /**
   * Topics every Roster service uses, for callers that want them created up front (the provisioner
   * creates its compacted journal itself).
   */
  public static Set<String> rosterTopics() {
    return Set.of(
        Topics.HR_EVENTS,
        Topics.HR_EVENTS_DLQ,
        Topics.IAM_CHANGES,
        Topics.AUDIT_DLQ,
        Topics.HR_SNAPSHOTS,
        Topics.RECONCILIATIONS,
        Topics.REVIEWS);
  }
}
