package dev.roster.bench.audit;

import dev.roster.bench.Context;
import dev.roster.bench.ServiceProcess;
import dev.roster.sandbox.kafka.EmbeddedKafka;
import dev.roster.sandbox.postgres.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Kafka, PostgreSQL and the packaged auditor as its own process: all the auditor needs. */
public final class AuditorStack implements AutoCloseable {
  public static final String USER = "auditor";
  public static final String PASSWORD = "bench-auditor-password";
  public static final String XMX = "256m";

  final EmbeddedKafka kafka;
  final EmbeddedPostgresServer postgres;
  ServiceProcess auditor;

  AuditorStack(Context ctx) throws Exception {
    Path work = Files.createTempDirectory("roster-bench-audit-");
    kafka = EmbeddedKafka.builder().dataDir(work.resolve("kafka")).build().start();
    kafka.createTopics(3, EmbeddedKafka.rosterTopics());
    postgres =
        EmbeddedPostgresServer.builder()
            .workDir(ctx.root().resolve("bench").resolve("target").resolve("embedded-pg"))
            .build()
            .start();
  }

  static boolean auditorBuilt(Context ctx) {
    return Files.isRegularFile(ctx.quarkusApp("auditor").resolve("quarkus-run.jar"));
  }

  /** Starts the auditor from its packaged jar and waits until it is ready. */
  ServiceProcess startAuditor(Context ctx) {
    // The environment ./roster up gives the auditor.
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("ROSTER_AUDITOR_DB_URL", postgres.jdbcUrl());
    env.put("ROSTER_AUDITOR_DB_USER", EmbeddedPostgresServer.SUPERUSER);
    env.put("ROSTER_AUDITOR_DB_PASSWORD", "unused");
    env.put("ROSTER_AUDITOR_PASSWORD", PASSWORD);
    env.put("QUARKUS_LOG_LEVEL", "WARN");
    auditor =
        ServiceProcess.start(
                "auditor", ctx.quarkusApp("auditor"), XMX, freePort(), Map.of(), env, ctx.logs())
            .awaitReady("/q/health/ready", Duration.ofSeconds(120));
    return auditor;
  }

  /** Same driver settings as the auditor's datasource (batched inserts rewritten). */
  Connection jdbc() throws SQLException {
    return DriverManager.getConnection(
        postgres.jdbcUrl() + "?reWriteBatchedInserts=true",
        EmbeddedPostgresServer.SUPERUSER,
        "unused");
  }

  long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static int freePort() {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (auditor != null) {
      auditor.close();
    }
    postgres.close();
    kafka.close();
  }
}
