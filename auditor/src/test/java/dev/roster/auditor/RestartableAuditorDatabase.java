package dev.roster.auditor;

import dev.roster.sandbox.postgres.EmbeddedPostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Like {@link AuditorDatabase} (owner migrates, the service connects as the SELECT/INSERT role), on
 * a server with a data directory kept across {@link EmbeddedPostgresServer#stop()} and {@link
 * EmbeddedPostgresServer#start()} on the same port, so a test can restart PostgreSQL under the
 * running auditor.
 */
public class RestartableAuditorDatabase implements QuarkusTestResourceLifecycleManager {
  private static volatile EmbeddedPostgresServer server;

  public static EmbeddedPostgresServer server() {
    return server;
  }

  @Override
  public Map<String, String> start() {
    server =
        EmbeddedPostgresServer.builder()
            .dataDir(Path.of("target", "pg-restart-" + UUID.randomUUID()))
            .database("roster")
            .build()
            .start();
    server.executeAsSuperuser(
        "CREATE ROLE "
            + AuditorDatabase.APP_ROLE
            + " LOGIN PASSWORD '"
            + AuditorDatabase.APP_PASSWORD
            + "'");
    return Map.of(
        "quarkus.datasource.jdbc.url",
        server.jdbcUrl(),
        "quarkus.datasource.username",
        AuditorDatabase.APP_ROLE,
        "quarkus.datasource.password",
        AuditorDatabase.APP_PASSWORD,
        "quarkus.flyway.username",
        EmbeddedPostgresServer.SUPERUSER,
        "quarkus.flyway.password",
        "postgres");
  }

  @Override
  public void stop() {
    EmbeddedPostgresServer s = server;
    server = null;
    if (s != null) {
      s.close();
    }
  }
}
