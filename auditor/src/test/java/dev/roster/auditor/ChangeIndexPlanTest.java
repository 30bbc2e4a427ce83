package dev.roster.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.auditor.chain.EntryMapper;
import dev.roster.auditor.chain.LogEntry;
import dev.roster.auditor.chain.LogStore;
import dev.roster.events.ChangeStatus;
import dev.roster.events.IamChange;
import dev.roster.sandbox.kafka.KafkaTestResource;
import dev.roster.sandbox.postgres.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The filters of {@code GET /v1/changes}, without a kind (both change kinds) and with one, are
 * served by the narrow partial indexes, not by a walk of every change, and the duplicate checks of
 * every appended batch by the unique indexes: PostgreSQL's own plan.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class ChangeIndexPlanTest {
  private static final String BOTH = "kind IN ('iam_change', 'privileged_grant')";

  private static final OffsetDateTime AT =
      OffsetDateTime.of(2026, 6, 2, 0, 0, 0, 0, ZoneOffset.UTC);

  @Inject AgroalDataSource dataSource;
  @Inject LogStore store;

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
   * On a log of thousands of changes with fresh statistics, as the planner sees a real one: each
   * batch's duplicate check probes the unique indexes with its ids instead of reading every change
   * (a cost that grew with the log, per batch).
   */
  @Test
  void duplicateChecksOfAnAppendProbeTheUniqueIndexes() throws SQLException {
    String emp = Fixtures.id("E");
    for (int b = 0; b < 4; b++) {
      List<LogEntry> batch = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        batch.add(
            EntryMapper.iamChange(
                new IamChange(
                    emp + "-" + b + "-" + i,
                    "evt-" + emp,
                    emp,
                    "111111111111",
                    "AddUserToGroup",
                    "u",
                    "g" + i,
                    ChangeStatus.APPLIED,
                    null,
                    null,
                    AT)));
      }
      store.append(batch);
    }
    try (Connection c = PostgresTestResource.server().superuserConnection();
        Statement s = c.createStatement()) {
      s.execute("ANALYZE audit_log");
    }
    assertThat(planAsIs(withIds(LogStore.STORED_CHANGES)))
        .contains("using audit_log_iam_change_uk")
        .containsPattern("using audit_log_privileged_grant_(uk|ix)")
        .doesNotContain("Seq Scan")
        .doesNotContain("Bitmap Heap Scan");
    // HR events and outcomes are few here (the tests before this one in the JVM add some): the
    // planner may take either index restricted to their kind; it must not read the log.
    assertThat(planAsIs(withIds(LogStore.STORED_HR_EVENTS)))
        .containsPattern("using audit_log_(hr_event_uk|kind_seq_ix)")
        .doesNotContain("Seq Scan");
    assertThat(planAsIs(withIds(LogStore.STORED_OUTCOMES)))
        .containsPattern("using audit_log_(outcome_uk|kind_seq_ix)")
        .doesNotContain("Seq Scan");
  }

  /** The statement with a literal id array in place of each parameter. */
  private static String withIds(String sql) {
    return sql.replace("?", "ARRAY['evt-1:111111111111:TagUser:0', 'evt-2']::text[]");
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

  /** The plan PostgreSQL would run. */
  private String planAsIs(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("EXPLAIN " + sql)) {
      List<String> lines = new ArrayList<>();
      while (r.next()) {
        lines.add(r.getString(1));
      }
      return String.join("\n", lines);
    }
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
