package dev.roster.sandbox.postgres;

import dev.roster.sandbox.FreePort;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real PostgreSQL 15 server (zonky's embedded binaries) for tests and the local stack.
 *
 * <p>PostgreSQL refuses to run as root. When the JVM runs as root, zonky starts {@code initdb},
 * {@code pg_ctl} and {@code postgres} through {@code unshare -U}: in a fresh user namespace the
 * server runs as an unmapped (non-root) user while still owning the files root created.
 *
 * <p>Binaries are unpacked into the work directory ({@code target/embedded-pg} when there is a
 * build folder). With an explicit {@link Builder#dataDir(Path)} the cluster persists across {@link
 * #stop()}/{@link #start()} and JVM restarts (the local stack); without one it lives in a
 * throw-away directory under the work directory and is deleted on stop.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  /** The superuser zonky creates ({@code initdb -U postgres}, trust authentication). */
  public static final String SUPERUSER = "postgres";

  private final int port;
  private final Path workDir;
  private final Path dataDir;
  private final boolean persistent;
  private final String database;
  private final Duration startupTimeout;
  private final Map<String, String> serverConfig;
  private EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(Builder builder) {
    this.port = builder.port == 0 ? FreePort.pick() : builder.port;
    this.workDir = builder.workDir != null ? builder.workDir : defaultWorkDir();
    this.persistent = builder.dataDir != null;
    this.database = builder.database;
    this.startupTimeout = builder.startupTimeout;
    this.serverConfig = Map.copyOf(builder.serverConfig);
    try {
      Files.createDirectories(workDir);
      this.dataDir =
          persistent
              ? Files.createDirectories(builder.dataDir).toAbsolutePath()
              : Files.createTempDirectory(workDir, "data-").toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Initialises the cluster on first use, starts the server, waits until it accepts connections and
   * creates the {@link Builder#database(String) database} if missing. Idempotent.
   */
  public synchronized EmbeddedPostgresServer start() {
    if (postgres != null) {
      return this;
    }
    EmbeddedPostgres.Builder b =
        EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(!persistent)
            .setOverrideWorkingDirectory(workDir.toFile())
            .setPGStartupWait(startupTimeout)
            .setLocaleConfig("locale", "C.UTF-8");
    serverConfig.forEach(b::setServerConfig);
    try {
      postgres = b.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir, e);
    }
    createDatabaseIfMissing(database);
    return this;
  }

  /** Stops the server (fast shutdown). A persistent data directory is kept for {@link #start()}. */
  public synchronized void stop() {
    if (postgres == null) {
      return;
    }
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      postgres = null;
    }
  }

  public synchronized boolean isRunning() {
    return postgres != null;
  }

  @Override
  public void close() {
    stop();
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path workDir() {
    return workDir;
  }

  /** The application database (default {@code roster}). */
  public String database() {
    return database;
  }

  /** JDBC URL of the application database, without credentials. */
  public String jdbcUrl() {
    return jdbcUrl(database);
  }

  /** JDBC URL of another database on this server, without credentials. */
  public String jdbcUrl(String databaseName) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + databaseName;
  }

  /** A new superuser connection to the application database; the caller closes it. */
  public Connection superuserConnection() throws SQLException {
    return connect(database);
  }

  /** Runs SQL statements as superuser on the application database (test set-up, tampering). */
  public void executeAsSuperuser(String... sql) {
    try (Connection c = superuserConnection();
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
    }
  }

  /** Creates a database owned by the superuser unless it exists. */
  public void createDatabaseIfMissing(String name) {
    if (!name.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("database name must be a plain identifier: " + name);
    }
    try (Connection c = connect("postgres");
        PreparedStatement exists =
            c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, name);
      if (!exists.executeQuery().next()) {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE " + name);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
  }

  private Connection connect(String databaseName) throws SQLException {
    if (!isRunning()) {
      throw new IllegalStateException("embedded PostgreSQL is not running");
    }
    return DriverManager.getConnection(jdbcUrl(databaseName), SUPERUSER, "");
  }

  /** {@code target/embedded-pg} under the working directory when there is a build folder. */
  private static Path defaultWorkDir() {
    String configured = System.getProperty("roster.postgres.work-dir");
    if (configured != null) {
      return Path.of(configured);
    }
    Path target = Path.of("target");
    return Files.isDirectory(target)
        ? target.resolve("embedded-pg").toAbsolutePath()
        : Path.of(System.getProperty("java.io.tmpdir"), "roster-embedded-pg");
  }

  /** Port 0 (the default) picks a free port; no data directory means a throw-away cluster. */
  public static final class Builder {
    private int port;
    private Path dataDir;
    private Path workDir;
    private String database = "roster";
    private Duration startupTimeout = Duration.ofSeconds(60);
    private final Map<String, String> serverConfig = new LinkedHashMap<>();

    private Builder() {
      serverConfig.put("listen_addresses", "127.0.0.1");
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Keeps the cluster here across restarts (created and initialised on first start). */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** Where the binaries are unpacked (and throw-away clusters live). */
    public Builder workDir(Path workDir) {
      this.workDir = workDir;
      return this;
    }

    /** The application database, created on start if missing. */
    public Builder database(String database) {
      this.database = database;
      return this;
    }

    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = startupTimeout;
      return this;
    }

    /** A {@code postgresql.conf} setting passed to the server ({@code -c key=value}). */
    public Builder serverConfig(String key, String value) {
      serverConfig.put(key, value);
      return this;
    }

    public EmbeddedPostgresServer build() {
      return new EmbeddedPostgresServer(this);
    }
  }
}
