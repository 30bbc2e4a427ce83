package dev.roster.auditor;

import dev.roster.sandbox.postgres.PostgresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Embedded PostgreSQL set up as in production: Flyway migrates as the owner (the superuser here),
 * the service itself connects as {@code roster_auditor}, which holds only the grants of {@code
 * V2__grants.sql}. Every test therefore proves those grants are enough.
 */
public class AuditorDatabase extends PostgresTestResource {
  public static final String APP_ROLE = "roster_auditor";
  public static final String APP_PASSWORD = "app-secret";

  /** Runs one statement as the superuser (the owner's view: triggers apply, grants do not). */
  public static void asSuperuser(String sql) throws SQLException {
    try (Connection c = server().superuserConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Runs one statement as the service's runtime role. */
  public static void asService(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(server().jdbcUrl(), APP_ROLE, APP_PASSWORD);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    server()
        .executeAsSuperuser(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
                + APP_ROLE
                + "') THEN CREATE ROLE "
                + APP_ROLE
                + " LOGIN PASSWORD '"
                + APP_PASSWORD
                + "'; END IF; END $$");
    config.put("quarkus.flyway.username", config.get("quarkus.datasource.username"));
    config.put("quarkus.flyway.password", config.get("quarkus.datasource.password"));
    config.put("quarkus.datasource.username", APP_ROLE);
    config.put("quarkus.datasource.password", APP_PASSWORD);
    return config;
  }
}
