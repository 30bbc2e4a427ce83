package dev.roster.sandbox.postgres;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: a real PostgreSQL 15 server for the test's lifetime, wired into the
 * application through {@code quarkus.datasource.jdbc.url}, {@code .username} and {@code .password}
 * (the superuser; the server trusts local connections). Tests reach the server itself (to run SQL
 * as superuser, e.g. to tamper with rows) through {@link #server()}.
 *
 * <p>Init arg {@code database} names the application database (default {@code roster}).
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
  private static volatile EmbeddedPostgresServer server;
  private String database = "roster";

  /** The server of the running test resource. */
  public static EmbeddedPostgresServer server() {
    EmbeddedPostgresServer s = server;
    if (s == null) {
      throw new IllegalStateException("PostgresTestResource is not started");
    }
    return s;
  }

  @Override
  public void init(Map<String, String> initArgs) {
    database = initArgs.getOrDefault("database", database);
  }

  @Override
  public Map<String, String> start() {
    EmbeddedPostgresServer started =
        EmbeddedPostgresServer.builder().database(database).build().start();
    server = started;
    return Map.of(
        "quarkus.datasource.jdbc.url",
        started.jdbcUrl(),
        "quarkus.datasource.username",
        EmbeddedPostgresServer.SUPERUSER,
        "quarkus.datasource.password",
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
