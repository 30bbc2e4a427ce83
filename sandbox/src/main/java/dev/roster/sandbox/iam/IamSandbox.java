package dev.roster.sandbox.iam;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpServer;
import dev.roster.sandbox.iam.action.Seeder;
import dev.roster.sandbox.iam.action.Store;
import dev.roster.sandbox.iam.authz.Enforcement;
import dev.roster.sandbox.iam.authz.RequestAuthorizer;
import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.model.Role;
import dev.roster.sandbox.iam.model.Session;
import dev.roster.sandbox.orgs.OrganizationsApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local IAM (and STS) endpoint that speaks IAM's Query protocol, so the real AWS SDK can be
 * pointed at it with an endpoint override. See {@code sandbox/README.md} for what it implements and
 * where it deviates from IAM.
 *
 * <pre>{@code
 * try (IamSandbox iam = IamSandbox.builder().port(0).build().start()) {
 *   IamClient client = IamClient.builder().endpointOverride(iam.endpoint())...
 * }
 * }</pre>
 */
public final class IamSandbox implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(IamSandbox.class.getName());

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY each response waits
    // for the client's delayed ACK (about 40 ms). Read once, when the server class first loads.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private int requestedPort;
  private final String host;
  private final Path stateFile;
  private final int threads;
  private final ObjectMapper mapper = mapper();
  private final Store store = new Store();
  private final Faults faults = new Faults();
  private final CallCounters counters = new CallCounters();
  private final Enforcement enforcement = new Enforcement();
  private final OrganizationsApi organizations = new OrganizationsApi(mapper);
  private final StateJournal journal;
  private HttpServer server;
  private ThreadPoolExecutor executor;
  private ScheduledExecutorService delays;
  private ScheduledExecutorService saver;

  private IamSandbox(Builder builder) {
    this.requestedPort = builder.port;
    this.host = builder.host;
    this.stateFile = builder.stateFile;
    this.threads = builder.threads;
    this.journal = stateFile == null ? null : new StateJournal(stateFile, mapper);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Loads the state file if there is one, then serves. */
  public synchronized IamSandbox start() {
    if (server != null) {
      return this;
    }
    if (journal != null) {
      journal.load(store);
      // Folds what a previous run journaled into one snapshot: the journal starts empty.
      journal.snapshot(this::state);
    }
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress(host, requestedPort), 256);
      AtomicInteger n = new AtomicInteger();
      executor =
          new ThreadPoolExecutor(
              threads,
              threads,
              30,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(1024),
              r -> {
                Thread t = new Thread(r, "iam-sandbox-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              },
              // When the queue is full the accepting thread serves the request itself:
              // back-pressure.
              new ThreadPoolExecutor.CallerRunsPolicy());
      executor.allowCoreThreadTimeOut(true);
      http.setExecutor(executor);
      // A latency fault parks the call here, not on a request thread: at 50 ms per call the
      // sandbox answers as many calls at once as clients send (one timer thread for all of them).
      delays = daemonScheduler("iam-sandbox-delays");
      ScheduledExecutorService timer = delays;
      ThreadPoolExecutor workers = executor;
      IamEngine.Later later =
          (millis, work) ->
              timer.schedule(() -> workers.execute(work), millis, TimeUnit.MILLISECONDS);
      IamEngine engine =
          new IamEngine(
              store,
              faults,
              counters,
              new RequestAuthorizer(enforcement),
              (action, params, account) -> {
                if (journal != null) {
                  journal.record(action, params, account, store);
                }
              });
      http.createContext(
          "/",
          new QueryHttpHandler(
              engine,
              later,
              new OrganizationsHttpHandler(organizations, engine, faults, counters, mapper)));
      http.createContext(AdminHttpHandler.PREFIX, new AdminHttpHandler(this, mapper));
      http.start();
      server = http;
      // A restart (stop, then start) comes back on the same port, like an IAM outage would end.
      requestedPort = http.getAddress().getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (journal != null) {
      saver = daemonScheduler("iam-sandbox-saver");
      saver.scheduleWithFixedDelay(this::compactIfDue, 1, 1, TimeUnit.SECONDS);
    }
    LOG.log(System.Logger.Level.INFO, "IAM sandbox listening on " + endpoint());
    return this;
  }

  /**
   * Stops serving (an outage, as far as clients can tell); state stays in memory and {@link
   * #start()} resumes on the same port. Saves the state file when there is one.
   */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.stop(0);
    delays.shutdownNow();
    executor.shutdownNow();
    server = null;
    if (saver != null) {
      saver.shutdownNow();
      saver = null;
    }
    if (journal != null) {
      save();
      journal.close();
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** {@code http://localhost:<port>}: the endpoint override for IamClient and StsClient. */
  public URI endpoint() {
    return URI.create("http://localhost:" + port());
  }

  public int port() {
    if (server == null) {
      throw new IllegalStateException("IAM sandbox is not started");
    }
    return server.getAddress().getPort();
  }

  /**
   * Ends every STS session issued so far, as a revocation or a clock ahead of the caller's would:
   * calls with their keys answer {@code ExpiredToken} although the caller believes them valid.
   * Returns how many were ended.
   */
  public int expireSessions() {
    Instant past = Instant.now().minusSeconds(1);
    int n = 0;
    for (Session s : store.sessions()) {
      s.expiration = past;
      store.putSession(s);
      n++;
    }
    save();
    return n;
  }

  /** Forgets every account, session, fault, enforcement rule and call count. */
  public void reset() {
    store.clear();
    organizations.clear();
    faults.clear();
    enforcement.clear();
    counters.clear();
    save();
  }

  public void seed(Path seed) {
    try (InputStream in = Files.newInputStream(seed)) {
      seed(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds the accounts, policies, roles, groups and users of a seed document (README). */
  public void seed(InputStream seed) {
    try {
      seed(mapper.readTree(seed));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void seed(JsonNode seed) {
    new Seeder(mapper).seed(store, seed);
    // A seed touches anything: the whole state is written (seeding is rare, calls are not).
    save();
  }

  /** One account's whole state as JSON (an empty account if it was never used). */
  public JsonNode state(String accountId) {
    Account account = store.existing(accountId);
    if (account == null) {
      return mapper.valueToTree(new Account(accountId));
    }
    account.lock.lock();
    try {
      return mapper.valueToTree(account);
    } finally {
      account.lock.unlock();
    }
  }

  /** Every account and live session as JSON, the form of the state file. */
  public JsonNode state() {
    ObjectNode root = mapper.createObjectNode();
    ObjectNode accounts = root.putObject("accounts");
    store.accountIds().stream().sorted().forEach(id -> accounts.set(id, state(id)));
    ObjectNode sessions = root.putObject("sessions");
    for (Session s : store.sessions()) {
      sessions.set(s.accessKeyId, mapper.valueToTree(s));
    }
    return root;
  }

  public Faults faults() {
    return faults;
  }

  /**
   * Opt-in authorisation: which callers (an access key, or a role's sessions, per account) are held
   * to which identity policies and permissions boundary. Empty by default: anyone may do anything.
   */
  public Enforcement enforcement() {
    return enforcement;
  }

  /**
   * Issues STS session credentials with a key id chosen by the caller for a seeded role, as
   * AssumeRole would: a launcher hands them to a process before the sandbox answers (the secret and
   * session token are not checked). Replaces a session with the same key id.
   */
  public void issueSession(String accessKeyId, String accountId, String roleName, Duration ttl) {
    Role role = store.role(accountId, roleName);
    if (role == null) {
      throw new IllegalArgumentException("no role " + roleName + " in account " + accountId);
    }
    Session s = new Session();
    s.accessKeyId = accessKeyId;
    s.accountId = accountId;
    s.roleName = role.name;
    s.roleId = role.id;
    s.sessionName = roleName;
    s.expiration = Instant.now().plus(ttl);
    store.putSession(s);
    save();
  }

  /** IAM/STS calls received for an account and action (null: all), faulted ones included. */
  public long calls(String accountId, String action) {
    return counters.calls(accountId, action);
  }

  /** All call counts, by account and action. */
  public Map<String, Map<String, Long>> callCounts() {
    return counters.snapshot();
  }

  /**
   * Writes the whole state to the state file now (atomically) and empties the journal; a no-op
   * without a state file. Each change is journaled as it happens anyway (see {@link StateJournal}).
   */
  public void save() {
    if (journal != null) {
      journal.snapshot(this::state);
    }
  }

  private void compactIfDue() {
    try {
      if (journal.compactionDue()) {
        save();
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "IAM sandbox could not save " + stateFile, e);
    }
  }

  private static ScheduledExecutorService daemonScheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** Configures a sandbox; every setting has a default. */
  public static final class Builder {
    private int port;
    private String host = "localhost";
    private Path stateFile;
    private int threads = 32;

    private Builder() {}

    /** The port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The interface to bind, {@code localhost} by default. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /**
     * Where state is loaded from at start and kept: every change is appended to {@code
     * <file>.journal} before it is answered, folded into the file when the journal outgrows it, at
     * {@link #save()} and at stop.
     */
    public Builder stateFile(Path stateFile) {
      this.stateFile = stateFile;
      return this;
    }

    /** Request threads (a latency fault holds none while it waits); 32 by default. */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public IamSandbox build() {
      return new IamSandbox(this);
    }
  }
}
