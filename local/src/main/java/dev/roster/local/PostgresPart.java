package dev.roster.local;

import dev.roster.sandbox.postgres.EmbeddedPostgresServer;
import java.nio.file.Path;

/**
 * PostgreSQL 15 (embedded binaries) with the {@code roster} database; its data survives a stop.
 *
 * <p>As in production, the auditor runs as a role that may only read and append ({@link
 * #AUDITOR_ROLE}, granted by the auditor's migrations, which run as the superuser, the owner). A
 * data directory made before that role existed keeps the superuser (its tables were migrated
 * without the grants): {@code ./roster up --fresh} moves to the separate roles.
 */
final class PostgresPart extends EmbeddedPart {
  /** The application database the auditor writes to. */
  static final String DATABASE = "roster";

  /** The auditor's runtime role: SELECT and INSERT only, on the log's tables. */
  static final String AUDITOR_ROLE = "roster_auditor";

  private final Path dataDir;
  private final Path binaries;
  private EmbeddedPostgresServer server;

  PostgresPart(int port, Path dataDir, Path binaries) {
    super(Component.POSTGRES, port);
    this.dataDir = dataDir;
    this.binaries = binaries;
  }

  @Override
  public synchronized void start() {
    if (server == null) {
      server =
          EmbeddedPostgresServer.builder()
              .port(port())
              .dataDir(dataDir)
              .workDir(binaries)
              .database(DATABASE)
              .build();
    }
    try {
      server.start();
      // Before the auditor's first migration, which grants to the role only when it exists.
      server.executeAsSuperuser(
          "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
              + AUDITOR_ROLE
              + "') THEN CREATE ROLE "
              + AUDITOR_ROLE
              + " LOGIN; END IF; END $$");
    } catch (RuntimeException e) {
      throw new LauncherException(
          "PostgreSQL did not start: " + LauncherException.rootMessage(e) + ".", e);
    }
  }

  @Override
  public synchronized void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return server != null && server.isRunning();
  }

  /**
   * Whether the auditor may run as {@link #AUDITOR_ROLE}: yes for a new database, no for a data
   * directory whose log was migrated before the role existed (no grants).
   */
  static boolean separateRoles(Path dataDir) {
    Path marker = dataDir.resolveSibling(ROLES_MARKER);
    if (java.nio.file.Files.exists(marker)) {
      return true;
    }
    if (java.nio.file.Files.exists(dataDir.resolve("PG_VERSION"))) {
      return false;
    }
    try {
      java.nio.file.Files.createDirectories(dataDir.getParent());
      java.nio.file.Files.writeString(marker, "the auditor runs as " + AUDITOR_ROLE + "\n");
    } catch (java.io.IOException e) {
      throw new LauncherException("Cannot write " + marker + ": " + e.getMessage() + ".", e);
    }
    return true;
  }

  private static final String ROLES_MARKER = "postgres-roles";

  synchronized EmbeddedPostgresServer server() {
    return server;
  }
}
