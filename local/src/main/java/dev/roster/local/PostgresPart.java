package dev.roster.local;

import dev.roster.sandbox.postgres.EmbeddedPostgresServer;
import java.nio.file.Path;

/** PostgreSQL 15 (embedded binaries) with the {@code roster} database; its data survives a stop. */
final class PostgresPart extends EmbeddedPart {
  /** The application database the auditor writes to. */
  static final String DATABASE = "roster";

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

  synchronized EmbeddedPostgresServer server() {
    return server;
  }
}
