package dev.roster.auditor;

import static dev.roster.auditor.Fixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.roster.events.ChangeStatus;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.sandbox.kafka.KafkaTestResource;
import dev.roster.sandbox.postgres.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The database refuses edits, and an edit made behind its back shows in /v1/integrity. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class TamperEvidenceTest {
  private static final OffsetDateTime T0 =
      OffsetDateTime.of(2026, 5, 1, 9, 0, 0, 0, ZoneOffset.UTC);

  /** Publishes a hire with three changes and returns the seq of the middle change. */
  static long storeSomeEntries() {
    String emp = Fixtures.id("E");
    HrEvent hire = Fixtures.hrEvent(emp, EventType.HIRE, T0, T0);
    Fixtures.publish(hire);
    for (String group : new String[] {"a", "b", "c"}) {
      IamChange c =
          Fixtures.change(hire, "111111111111", "AddUserToGroup", group, ChangeStatus.APPLIED, T0);
      Fixtures.publish(c);
    }
    // The hire travels on hr.events, the changes on iam.changes: wait for all four, so that no
    // entry of this helper is appended after the caller starts editing the chain.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                api()
                            .queryParam("employeeId", emp)
                            .get("/v1/changes")
                            .then()
                            .extract()
                            .<Integer>path("items.size()")
                        == 3
                    && api()
                            .queryParam("employeeId", emp)
                            .get("/v1/hr-events")
                            .then()
                            .extract()
                            .<Integer>path("items.size()")
                        == 1);
    return api()
        .queryParam("employeeId", emp)
        .get("/v1/changes")
        .then()
        .extract()
        .jsonPath()
        .getLong("items[1].seq");
  }

  @Test
  void updateAndDeleteAreRefusedByTheDatabaseEvenForTheSuperuser() {
    long seq = storeSomeEntries();

    assertThatThrownBy(() -> sql("UPDATE audit_log SET target = 'x' WHERE seq = " + seq))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("append-only: UPDATE rejected");
    assertThatThrownBy(() -> sql("DELETE FROM audit_log WHERE seq = " + seq))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("append-only: DELETE rejected");
    assertThatThrownBy(() -> sql("TRUNCATE audit_log"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("append-only: TRUNCATE rejected");
    assertThatThrownBy(() -> sql("UPDATE chain_head SET seq = 0"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("only moves forward");
    api().get("/v1/integrity").then().statusCode(200).body("ok", org.hamcrest.Matchers.is(true));
  }

  @Test
  void aRowEditedBehindTheTriggersBackIsReportedAtItsSeq() throws Exception {
    long seq = storeSomeEntries();
    JsonPath before = api().get("/v1/integrity").then().statusCode(200).extract().jsonPath();
    assertThat(before.getBoolean("ok")).isTrue();
    assertThat(before.getLong("entries")).isEqualTo(before.getLong("headSeq"));
    assertThat(before.getString("headHash")).hasSize(64);
    assertThat(before.getMap("")).doesNotContainKey("firstBrokenSeq");

    // A superuser silencing the triggers, as someone covering their tracks would.
    String original = value("SELECT target FROM audit_log WHERE seq = " + seq);
    tamper("UPDATE audit_log SET target = 'admins' WHERE seq = " + seq);
    try {
      JsonPath broken = api().get("/v1/integrity").then().statusCode(200).extract().jsonPath();
      assertThat(broken.getBoolean("ok")).isFalse();
      assertThat(broken.getLong("firstBrokenSeq")).isEqualTo(seq);

      JsonPath range =
          api()
              .queryParam("fromSeq", seq - 1)
              .queryParam("toSeq", seq + 1)
              .get("/v1/integrity")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertThat(range.getBoolean("ok")).isFalse();
      assertThat(range.getLong("firstBrokenSeq")).isEqualTo(seq);
      assertThat(range.getLong("entries")).isEqualTo(3);

      JsonPath after =
          api().queryParam("fromSeq", seq + 1).get("/v1/integrity").then().extract().jsonPath();
      assertThat(after.getBoolean("ok")).as("the range after the edit is intact").isTrue();

      String metrics = io.restassured.RestAssured.get("/q/metrics").then().extract().asString();
      assertThat(metrics).contains("roster_auditor_chain_verifications_total{result=\"broken\"}");
    } finally {
      tamper("UPDATE audit_log SET target = '" + original + "' WHERE seq = " + seq);
    }
    assertThat(api().get("/v1/integrity").then().extract().<Boolean>path("ok")).isTrue();
  }

  @Test
  void aDeletedRowIsReportedAtItsSeq() throws Exception {
    long seq = storeSomeEntries();
    String row = "SELECT * FROM audit_log WHERE seq = " + seq;
    try (Connection c = PostgresTestResource.server().superuserConnection();
        Statement s = c.createStatement()) {
      s.execute("SET session_replication_role = replica");
      s.execute("CREATE TEMP TABLE saved AS " + row);
      s.execute("DELETE FROM audit_log WHERE seq = " + seq);
      try {
        JsonPath broken = api().get("/v1/integrity").then().extract().jsonPath();
        assertThat(broken.getBoolean("ok")).isFalse();
        assertThat(broken.getLong("firstBrokenSeq")).isEqualTo(seq);
      } finally {
        s.execute("INSERT INTO audit_log SELECT * FROM saved");
      }
    }
    assertThat(api().get("/v1/integrity").then().extract().<Boolean>path("ok")).isTrue();
  }

  @Test
  void theServiceRoleMayOnlyAppendAndRead() throws Exception {
    long seq = storeSomeEntries();
    try (Connection c =
            java.sql.DriverManager.getConnection(
                PostgresTestResource.server().jdbcUrl(),
                AuditorDatabase.APP_ROLE,
                AuditorDatabase.APP_PASSWORD);
        Statement s = c.createStatement()) {
      assertThat(s.executeQuery("SELECT count(*) FROM audit_log").next()).isTrue();
      assertThatThrownBy(() -> s.execute("UPDATE audit_log SET target = 'x' WHERE seq = " + seq))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("DELETE FROM audit_log WHERE seq = " + seq))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("DROP TRIGGER audit_log_no_update_delete ON audit_log"))
          .hasMessageContaining("must be owner");
      assertThatThrownBy(() -> s.execute("ALTER TABLE audit_log DISABLE TRIGGER ALL"))
          .hasMessageContaining("must be owner");
      assertThatThrownBy(() -> s.execute("ALTER TABLE chain_head DISABLE TRIGGER ALL"))
          .hasMessageContaining("must be owner");
      assertThatThrownBy(() -> s.execute("SET session_replication_role = replica"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("TRUNCATE audit_log"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("UPDATE chain_head SET seq = 0"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("DELETE FROM chain_head"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("TRUNCATE chain_head"))
          .hasMessageContaining("permission denied");
      // INSERT is its one write on chain_head, and the database only lets it go forward, to a
      // stored entry.
      assertThatThrownBy(
              () ->
                  s.execute(
                      "INSERT INTO chain_head (seq, hash) SELECT seq, hash FROM audit_log WHERE seq = "
                          + seq))
          .hasMessageContaining("only moves forward");
      assertThatThrownBy(
              () ->
                  s.execute(
                      "INSERT INTO chain_head (seq, hash) VALUES ((SELECT max(seq) + 1 FROM"
                          + " chain_head), repeat('a', 64))"))
          .hasMessageContaining("must name a stored entry");
      var privileges =
          s.executeQuery(
              "SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type)"
                  + " FROM information_schema.role_table_grants WHERE grantee = '"
                  + AuditorDatabase.APP_ROLE
                  + "' GROUP BY table_name ORDER BY table_name");
      java.util.Map<String, String> grants = new java.util.TreeMap<>();
      while (privileges.next()) {
        grants.put(privileges.getString(1), privileges.getString(2));
      }
      assertThat(grants)
          .containsExactly(
              java.util.Map.entry("audit_log", "INSERT,SELECT"),
              java.util.Map.entry("chain_head", "INSERT,SELECT"),
              java.util.Map.entry("notification_delivery", "INSERT,SELECT"),
              java.util.Map.entry("notification_outbox", "INSERT,SELECT"),
              java.util.Map.entry("reconciliation_difference", "INSERT,SELECT"),
              java.util.Map.entry("reconciliation_status", "INSERT,SELECT"),
              java.util.Map.entry("review_finding", "INSERT,SELECT"),
              java.util.Map.entry("review_status", "INSERT,SELECT"));
    }
  }

  @Test
  void theOwnerCannotMoveTheHeadBackwardsEither() throws Exception {
    storeSomeEntries();
    assertThatThrownBy(
            () -> sql("DELETE FROM chain_head WHERE seq = (SELECT max(seq) FROM chain_head)"))
        .hasMessageContaining("only moves forward: DELETE rejected");
    assertThatThrownBy(() -> sql("TRUNCATE chain_head"))
        .hasMessageContaining("only moves forward: TRUNCATE rejected");
    assertThatThrownBy(() -> sql("INSERT INTO chain_head (seq, hash) VALUES (0, repeat('0', 64))"))
        .hasMessageContaining("only moves forward");
  }

  private static void sql(String statement) throws SQLException {
    try (Connection c = PostgresTestResource.server().superuserConnection();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static void tamper(String statement) throws SQLException {
    try (Connection c = PostgresTestResource.server().superuserConnection();
        Statement s = c.createStatement()) {
      s.execute("SET session_replication_role = replica");
      s.execute(statement);
    }
  }

  private static String value(String query) throws SQLException {
    try (Connection c = PostgresTestResource.server().superuserConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
