package dev.roster.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.sandbox.kafka.KafkaTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The filters of {@code GET /v1/changes}, without a kind (both change kinds) and with one, are
 * served by the narrow partial indexes, not by a walk of every change: PostgreSQL's own plan.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class ChangeIndexPlanTest {
  private static final String BOTH = "kind IN ('iam_change', 'privileged_grant')";

  @Inject AgroalDataSource dataSource;

  @Test
  void accountAndActionOfBothKindsOrOneWalkAPartialIndex() throws SQLException {
    for (String kind : List.of(BOTH, "kind = 'iam_change'", "kind = 'privileged_grant'")) {
      assertThat(
              plan(
                  "SELECT * FROM audit_log WHERE "
                      + kind
                      + " AND account = '333333333333' AND action = 'PutUserPolicy'"
                      + " ORDER BY seq DESC LIMIT 50"))
          .as(kind)
          .satisfies(ChangeIndexPlanTest::walksAChangeIndexInOrder);
    }
  }

  @Test
  void actionAloneAndFailedChangesUseTheirIndexes() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM audit_log WHERE "
                    + BOTH
                    + " AND action = 'AddUserToGroup' ORDER BY seq DESC LIMIT 50"))
        .satisfies(ChangeIndexPlanTest::walksAChangeIndexInOrder)
        .contains("audit_log_changes_action_ix");
    assertThat(
            plan(
                "SELECT * FROM audit_log WHERE "
                    + BOTH
                    + " AND status = 'failed' ORDER BY seq DESC LIMIT 50"))
        .satisfies(ChangeIndexPlanTest::walksAChangeIndexInOrder)
        .contains("audit_log_changes_failed_ix");
  }

  /**
   * A keyset page read backwards along one of the partial change indexes, newest first, stopping at
   * the limit; not a bitmap of every change sorted afterwards (the plan once kind IN (both) had no
   * index). On an empty table the account+action index and the action index cost the same, so
   * either may be chosen for that filter; grants alone may walk their own, rarer index.
   */
  private static void walksAChangeIndexInOrder(String plan) {
    assertThat(plan)
        .containsPattern("Index Scan Backward using audit_log_(changes_|privileged_grant_ix)")
        .doesNotContain("Sort");
  }

  /** The plan with sequential scans priced out, so a small test table shows the index choice. */
  private String plan(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET enable_seqscan = off");
      List<String> lines = new ArrayList<>();
      try (ResultSet r = s.executeQuery("EXPLAIN " + sql)) {
        while (r.next()) {
          lines.add(r.getString(1));
        }
      } finally {
        s.execute("RESET enable_seqscan");
      }
      return String.join("\n", lines);
    }
  }
}
