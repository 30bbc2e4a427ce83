package dev.roster.sandbox.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresServerTest {

  @Test
  void runsPostgres15AsRootAndKeepsItsDataAcrossARestart() throws Exception {
    Path dataDir = Files.createTempDirectory(Path.of("target"), "pg-test-");
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.builder().dataDir(dataDir).build()) {
      pg.start();
      pg.executeAsSuperuser(
          "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('before-restart')");

      pg.stop();
      assertThat(pg.isRunning()).isFalse();
      pg.start();

      try (Connection c = pg.superuserConnection();
          Statement s = c.createStatement()) {
        ResultSet version = s.executeQuery("SHOW server_version_num");
        version.next();
        assertThat(version.getInt(1)).isBetween(150000, 159999);
        ResultSet kept = s.executeQuery("SELECT v FROM kept");
        kept.next();
        assertThat(kept.getString(1)).isEqualTo("before-restart");
      }
      assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/roster");
      assertThat(pg.workDir()).endsWith(Path.of("target", "embedded-pg"));
    }
  }
}
