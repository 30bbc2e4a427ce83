package dev.roster.auditor.notify;

import static dev.roster.auditor.Fixtures.account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.auditor.AuditorDatabase;
import dev.roster.auditor.Fixtures;
import dev.roster.events.EventType;
import dev.roster.events.FindingKind;
import dev.roster.events.HrEvent;
import dev.roster.events.Outcome;
import dev.roster.events.Reconciliation;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.Review;
import dev.roster.events.SnapshotMode;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With {@code roster.notify.url} unset (the default, and the test profile's), the facts that would
 * be announced are stored and nothing is written to the outbox or sent.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class NotificationsOffTest {
  private static final OffsetDateTime T0 =
      OffsetDateTime.of(2032, 4, 1, 9, 0, 7, 0, ZoneOffset.UTC);
  private static final String PROD = "333333333333";

  @Inject AgroalDataSource dataSource;
  @Inject NotificationSender sender;

  private long count(String sql, String param) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, param);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void noNotificationIsWrittenOrSentWhenTheUrlIsUnset() throws Exception {
    HrEvent leave = Fixtures.hrEvent(Fixtures.id("E"), EventType.LEAVE, T0, T0);
    String reconciliation = Fixtures.id("snap");
    String review = Fixtures.id("review");
    String finding = Fixtures.id("f-key");
    Fixtures.publish(leave);
    Fixtures.publish(
        Fixtures.outcome(leave, Outcome.FAILED, T0.plusSeconds(1), T0.plusSeconds(2), 0, 1),
        null,
        List.of(account(PROD, "prod", "failed", "x")));
    Fixtures.publish(
        new Reconciliation(
            reconciliation,
            Reconciliation.SOURCE_SNAPSHOT,
            SnapshotMode.APPLY,
            ReconciliationStatus.HELD,
            T0,
            T0.plusSeconds(40),
            200,
            List.of(PROD),
            null,
            null,
            120,
            "would deactivate 120 of 200 (60 %)"));
    Fixtures.publish(
        new Review.Finding(
            review,
            finding,
            FindingKind.OLD_ACCESS_KEY,
            PROD,
            "E1",
            "u-E1",
            "AKIAEXAMPLE",
            "old",
            T0.plusSeconds(1)));

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                count(
                            "SELECT count(*) FROM audit_log WHERE kind = 'provisioning_outcome'"
                                + " AND event_id = ?",
                            leave.eventId())
                        == 1
                    && count(
                            "SELECT count(*) FROM reconciliation_status WHERE reconciliation_id = ?",
                            reconciliation)
                        == 1
                    && count("SELECT count(*) FROM review_finding WHERE finding_id = ?", finding)
                        == 1);

    assertThat(sender.enabled()).isFalse();
    for (String about : List.of(leave.eventId(), reconciliation, finding)) {
      assertThat(
              count(
                  "SELECT count(*) FROM notification_outbox WHERE notification_id LIKE ?",
                  "%" + about + "%"))
          .as(about)
          .isZero();
    }
    String metrics = RestAssured.get("/q/metrics").then().extract().asString();
    assertThat(metrics)
        .contains(
            "roster_notifications_total{kind=\"cut-off-failed\",result=\"delivered\"} 0.0",
            "roster_notifications_total{kind=\"reconciliation-held\",result=\"delivered\"} 0.0",
            "roster_notifications_total{kind=\"new-finding\",result=\"delivered\"} 0.0");
  }
}
