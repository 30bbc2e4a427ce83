package dev.roster.auditor.notify;

import static dev.roster.auditor.Fixtures.account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.auditor.AuditorDatabase;
import dev.roster.auditor.Fixtures;
import dev.roster.events.EventType;
import dev.roster.events.FindingKind;
import dev.roster.events.HrEvent;
import dev.roster.events.Outcome;
import dev.roster.events.Reconciliation;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.Review;
import dev.roster.events.SignatureVerdict;
import dev.roster.events.SnapshotMode;
import dev.roster.sandbox.kafka.KafkaTestResource;
import dev.roster.sandbox.postgres.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Outbound notifications against a real local receiver that verifies each signature with the code
 * hr-listener uses: each trigger sends exactly one signed notification, a repeated finding none, a
 * failing receiver is retried while the audit record is stored regardless, and what a previous
 * process left in the outbox is sent by the sweep.
 */
@QuarkusTest
@TestProfile(NotificationTest.On.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class NotificationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  // Seconds not zero: OffsetDateTime.toString() would drop them.
  private static final OffsetDateTime T0 =
      OffsetDateTime.of(2032, 3, 1, 9, 0, 7, 0, ZoneOffset.UTC);
  private static final String DEV = "111111111111";
  private static final String PROD = "333333333333";

  /** Notifications on, towards {@link Receiver}; short pauses so that retries finish quickly. */
  public static class On implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "roster.notify.initial-backoff", "PT0.1S",
          "roster.notify.max-backoff", "PT0.4S",
          "roster.notify.max-attempts", "10",
          "roster.notify.sweep-interval", "PT0.5S",
          "roster.notify.sweep-after", "PT30S",
          "roster.notify.link-base-url", "https://audit.example/");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(Receiver.class));
    }
  }

  @Inject AgroalDataSource dataSource;
  @Inject NotificationSender sender;

  private static HrEvent leave(String employeeId) {
    return Fixtures.hrEvent(employeeId, EventType.LEAVE, T0, T0);
  }

  /** A leave's outcome with the per-account list, as the provisioner publishes it. */
  private static void outcome(
      HrEvent leave, Outcome outcome, OffsetDateTime cutOffAt, List<Map<String, ?>> accounts) {
    Fixtures.publish(
        Fixtures.outcome(leave, outcome, T0.plusSeconds(1), T0.plusSeconds(2), 3, 0),
        cutOffAt,
        accounts);
  }

  /**
   * A leave whose notification is certain, published after the records under test on the same
   * topic: once its notification arrived, anything the earlier records caused has been sent too
   * (one consumer thread, one sender thread, in order).
   */
  private static void marker() {
    HrEvent marker = leave(Fixtures.id("E-marker"));
    Fixtures.publish(marker);
    outcome(marker, Outcome.FAILED, null, List.of(account(PROD, "prod", "failed", "x")));
    await().atMost(WAIT).until(() -> !Receiver.delivered(marker.eventId()).isEmpty());
  }

  private static JsonNode onlyDelivery(String about) {
    await().atMost(WAIT).until(() -> !Receiver.delivered(about).isEmpty());
    marker();
    List<Receiver.Request> delivered = Receiver.delivered(about);
    assertThat(delivered).hasSize(1);
    Receiver.Request r = delivered.get(0);
    assertThat(r.verdict()).isEqualTo(SignatureVerdict.VALID);
    assertThat(r.signature()).matches("t=\\d+,v1=[0-9a-f]{64}");
    assertThat(r.contentType()).isEqualTo("application/json");
    return r.json();
  }

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

  private static double metric(String kind, String result) {
    String line =
        RestAssured.get("/q/metrics")
            .then()
            .extract()
            .asString()
            .lines()
            .filter(
                l ->
                    l.startsWith("roster_notifications_total{")
                        && l.contains("kind=\"" + kind + "\"")
                        && l.contains("result=\"" + result + "\""))
            .findFirst()
            .orElseThrow();
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  @Test
  void aLeaveNotCutOffInAnAccountSendsOneSignedNotificationWithoutTheReason() {
    String employee = Fixtures.id("E");
    HrEvent leave = leave(employee);
    Fixtures.publish(leave);
    outcome(
        leave,
        Outcome.FAILED,
        null,
        List.of(
            account(DEV, "dev", "completed", null, true),
            account(PROD, "prod", "failed", "iam-error: AccessDenied: arn:aws:iam::333333333333")));

    JsonNode body = onlyDelivery(leave.eventId());

    assertThat(body.get("kind").asText()).isEqualTo("cut-off-failed");
    assertThat(body.get("notificationId").asText())
        .isEqualTo("cut-off:" + leave.eventId() + ":failed");
    assertThat(body.get("eventId").asText()).isEqualTo(leave.eventId());
    assertThat(body.get("employeeId").asText()).isEqualTo(employee);
    assertThat(body.get("account").asText()).isEqualTo(PROD);
    assertThat(body.get("accounts")).hasSize(1);
    assertThat(body.get("accounts").get(0).get("state").asText()).isEqualTo("failed");
    assertThat(body.get("outcome").asText()).isEqualTo("failed");
    assertThat(body.get("text").asText())
        .contains(
            leave.eventId(), employee, "prod " + PROD + " (failed)", "access may still be open");
    assertThat(body.get("link").asText())
        .isEqualTo("https://audit.example/console/employee?employeeId=" + employee);
    // The IAM error stays in the audit log: nothing a receiver could act on.
    assertThat(body.toString()).doesNotContain("AccessDenied").doesNotContain("arn:aws");
  }

  @Test
  void aCutOffIamDidNotVerifySendsOneAndACleanLeaveNone() {
    HrEvent unverified = leave(Fixtures.id("E"));
    HrEvent clean = leave(Fixtures.id("E"));
    Fixtures.publish(unverified);
    Fixtures.publish(clean);
    outcome(
        unverified,
        Outcome.COMPLETED,
        T0.plusSeconds(1),
        List.of(
            account(DEV, "dev", "completed", null, true),
            account(PROD, "prod", "completed", null, false)));
    outcome(
        clean,
        Outcome.COMPLETED,
        T0.plusSeconds(1),
        List.of(
            account(DEV, "dev", "completed", null, true),
            account(PROD, "prod", "completed", null, true)));

    JsonNode body = onlyDelivery(unverified.eventId());

    assertThat(body.get("kind").asText()).isEqualTo("cut-off-unverified");
    assertThat(body.get("account").asText()).isEqualTo(PROD);
    assertThat(body.get("cutOffAt").asText()).isEqualTo(T0.plusSeconds(1).toInstant().toString());
    assertThat(body.get("text").asText()).contains("IAM did not confirm the deny-all in prod");
    assertThat(Receiver.about(clean.eventId())).isEmpty();
  }

  @Test
  void anOutcomeStoredBeforeItsLeaveIsNotifiedOnceTheLeaveArrivesAndARedeliveryAddsNothing() {
    HrEvent leave = leave(Fixtures.id("E"));
    outcome(leave, Outcome.FAILED, null, List.of(account(PROD, "prod", "failed", "x")));
    await()
        .atMost(WAIT)
        .until(
            () ->
                count(
                        "SELECT count(*) FROM audit_log WHERE kind = 'provisioning_outcome'"
                            + " AND event_id = ?",
                        leave.eventId())
                    == 1);
    Fixtures.publish(leave);

    assertThat(onlyDelivery(leave.eventId()).get("kind").asText()).isEqualTo("cut-off-failed");

    // The same records again (a redelivery, a replay): stored once, announced once.
    Fixtures.publish(leave);
    outcome(leave, Outcome.FAILED, null, List.of(account(PROD, "prod", "failed", "x")));
    marker();
    assertThat(Receiver.about(leave.eventId())).hasSize(1);
  }

  @Test
  void aHeldReconciliationSendsOneNotificationAndItsRepublishedStatusNone() throws Exception {
    String id = Fixtures.id("snap");
    Fixtures.publish(reconciliation(id, ReconciliationStatus.RUNNING, null));
    Fixtures.publish(
        reconciliation(id, ReconciliationStatus.HELD, "would deactivate 120 of 200 (60 %)"));

    JsonNode body = onlyDelivery(id);

    assertThat(body.get("kind").asText()).isEqualTo("reconciliation-held");
    assertThat(body.get("reconciliationId").asText()).isEqualTo(id);
    assertThat(body.get("deactivations").asInt()).isEqualTo(120);
    assertThat(body.get("mode").asText()).isEqualTo("apply");
    assertThat(body.get("text").asText())
        .contains(id, "would deactivate 120 of 200 (60 %)", "waits for a signed approval");
    assertThat(body.get("link").asText())
        .isEqualTo("https://audit.example/console/reconciliation?id=" + id);

    // The provisioner publishing the held status again (a new offset, stored as a new row):
    // the reconciliation was already announced.
    Fixtures.publish(
        reconciliation(id, ReconciliationStatus.HELD, "would deactivate 120 of 200 (60 %)"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                count("SELECT count(*) FROM reconciliation_status WHERE reconciliation_id = ?", id)
                    == 3);
    marker();
    assertThat(Receiver.about(id)).hasSize(1);
  }

  private static Reconciliation reconciliation(
      String id, ReconciliationStatus status, String reason) {
    return new Reconciliation(
        id,
        Reconciliation.SOURCE_SNAPSHOT,
        SnapshotMode.APPLY,
        status,
        T0,
        status == ReconciliationStatus.RUNNING ? null : T0.plusSeconds(40),
        200,
        List.of(DEV, PROD),
        null,
        null,
        status == ReconciliationStatus.RUNNING ? null : 120,
        reason);
  }

  @Test
  void aNewFindingSendsOneNotificationAndItsSightingInALaterReviewNone() {
    String first = Fixtures.id("review-a");
    String second = Fixtures.id("review-b");
    String known = Fixtures.id("f-key");
    String later = Fixtures.id("f-mfa");
    String employee = Fixtures.id("E");
    Fixtures.publish(review(first, ReconciliationStatus.RUNNING, T0));
    Fixtures.publish(
        finding(first, known, FindingKind.OLD_ACCESS_KEY, employee, T0.plusSeconds(1)));
    Fixtures.publish(review(first, ReconciliationStatus.COMPLETED, T0));

    JsonNode body = onlyDelivery(known);
    assertThat(body.get("kind").asText()).isEqualTo("new-finding");
    assertThat(body.get("findingKind").asText()).isEqualTo("old-access-key");
    assertThat(body.get("findingId").asText()).isEqualTo(known);
    assertThat(body.get("employeeId").asText()).isEqualTo(employee);
    assertThat(body.get("account").asText()).isEqualTo(PROD);
    assertThat(body.get("reviewId").asText()).isEqualTo(first);
    assertThat(body.toString()).doesNotContain("created 2026-01-02");

    // A later review sees it again (a repeat, not news) and one finding for the first time.
    Fixtures.publish(review(second, ReconciliationStatus.RUNNING, T0.plusHours(1)));
    Fixtures.publish(finding(second, known, FindingKind.OLD_ACCESS_KEY, employee, T0.plusHours(1)));
    Fixtures.publish(
        finding(second, later, FindingKind.CONSOLE_WITHOUT_MFA, employee, T0.plusHours(1)));
    Fixtures.publish(review(second, ReconciliationStatus.COMPLETED, T0.plusHours(1)));

    assertThat(onlyDelivery(later).get("reviewId").asText()).isEqualTo(second);
    assertThat(Receiver.about(known)).hasSize(1);
  }

  private static Review review(String id, ReconciliationStatus status, OffsetDateTime startedAt) {
    return new Review(
        id,
        status,
        startedAt,
        status == ReconciliationStatus.COMPLETED ? startedAt.plusSeconds(10) : null,
        List.of(PROD),
        null,
        null);
  }

  private static Review.Finding finding(
      String reviewId,
      String findingId,
      FindingKind kind,
      String employeeId,
      OffsetDateTime observedAt) {
    return new Review.Finding(
        reviewId,
        findingId,
        kind,
        PROD,
        employeeId,
        "u-" + employeeId,
        "AKIAEXAMPLE",
        "created 2026-01-02, 180 days",
        observedAt);
  }

  @Test
  void aFailingReceiverIsRetriedAndTheAuditRecordIsStoredRegardless() throws Exception {
    HrEvent leave = leave(Fixtures.id("E"));
    Receiver.failFor(leave.eventId(), 3);
    await().atMost(WAIT).until(() -> sender.inHand() == 0);
    double failedBefore = metric("cut-off-failed", "failed");
    Fixtures.publish(leave);
    outcome(leave, Outcome.FAILED, null, List.of(account(PROD, "prod", "failed", "x")));

    // The record is stored while the receiver refuses: delivery is not on the consumer's path.
    await()
        .atMost(WAIT)
        .until(
            () ->
                count(
                        "SELECT count(*) FROM audit_log WHERE kind = 'provisioning_outcome'"
                            + " AND event_id = ?",
                        leave.eventId())
                    == 1);

    await().atMost(WAIT).until(() -> !Receiver.delivered(leave.eventId()).isEmpty());
    List<Receiver.Request> attempts = Receiver.about(leave.eventId());
    assertThat(attempts).hasSize(4);
    assertThat(attempts).extracting(Receiver.Request::status).containsExactly(503, 503, 503, 200);
    // Every attempt signed afresh, every one verifying.
    assertThat(attempts).extracting(Receiver.Request::verdict).containsOnly(SignatureVerdict.VALID);
    assertThat(attempts.get(0).body()).isEqualTo(attempts.get(3).body());
    assertThat(metric("cut-off-failed", "failed") - failedBefore).isEqualTo(3.0);
    await()
        .atMost(WAIT)
        .until(
            () ->
                count(
                        "SELECT count(*) FROM notification_delivery d JOIN notification_outbox o"
                            + " ON o.seq = d.outbox_seq WHERE o.event_id = ? AND d.result ="
                            + " 'delivered' AND d.attempts = 4 AND d.status_code = 200",
                        leave.eventId())
                    == 1);
  }

  @Test
  void aReceiverThatDoesNotAnswerHoldsUpNoRecord() throws Exception {
    HrEvent slow = leave(Fixtures.id("E"));
    HrEvent next = leave(Fixtures.id("E"));
    Receiver.hangOnce(slow.eventId());
    try {
      Fixtures.publish(slow);
      outcome(slow, Outcome.FAILED, null, List.of(account(PROD, "prod", "failed", "x")));
      await().atMost(WAIT).until(Receiver::hanging);

      // The sender's one attempt in progress waits; the consumer does not.
      Fixtures.publish(next);
      outcome(next, Outcome.FAILED, null, List.of(account(PROD, "prod", "failed", "x")));
      await()
          .atMost(WAIT)
          .until(
              () ->
                  count(
                          "SELECT count(*) FROM audit_log WHERE kind = 'provisioning_outcome'"
                              + " AND event_id = ?",
                          next.eventId())
                      == 1);
      assertThat(Receiver.hanging()).isTrue();
      assertThat(Receiver.about(next.eventId())).isEmpty();
    } finally {
      Receiver.release();
    }
    // Once the receiver answers again (or the attempt timed out and was retried), both arrive.
    await().atMost(WAIT).until(() -> !Receiver.delivered(slow.eventId()).isEmpty());
    await().atMost(WAIT).until(() -> !Receiver.delivered(next.eventId()).isEmpty());
    // Nothing of this test left retrying when the next one counts attempts.
    await().atMost(WAIT).until(() -> sender.inHand() == 0);
  }

  @Test
  void updateDeleteAndTruncateAreRefusedOnBothTables() throws Exception {
    HrEvent leave = leave(Fixtures.id("E"));
    Fixtures.publish(leave);
    outcome(leave, Outcome.FAILED, null, List.of(account(PROD, "prod", "failed", "x")));
    await()
        .atMost(WAIT)
        .until(
            () ->
                count(
                        "SELECT count(*) FROM notification_delivery d JOIN notification_outbox o"
                            + " ON o.seq = d.outbox_seq WHERE o.event_id = ?",
                        leave.eventId())
                    == 1);
    String row = "event_id = '" + leave.eventId() + "'";
    String itsDelivery = "outbox_seq IN (SELECT seq FROM notification_outbox WHERE " + row + ")";
    Map<String, List<String>> attempts =
        Map.of(
            "notification_outbox",
            List.of(
                "UPDATE notification_outbox SET kind = 'new-finding' WHERE " + row,
                "DELETE FROM notification_outbox WHERE " + row),
            "notification_delivery",
            List.of(
                "UPDATE notification_delivery SET result = 'abandoned' WHERE " + itsDelivery,
                "DELETE FROM notification_delivery WHERE " + itsDelivery));
    attempts.forEach(
        (table, statements) -> {
          for (String sql : statements) {
            String op = sql.substring(0, sql.indexOf(' '));
            assertThatThrownBy(() -> AuditorDatabase.asSuperuser(sql))
                .hasMessageContaining(table + " is append-only: " + op + " rejected");
            assertThatThrownBy(() -> AuditorDatabase.asService(sql))
                .hasMessageContaining("permission denied");
          }
          assertThatThrownBy(() -> AuditorDatabase.asSuperuser("TRUNCATE " + table + " CASCADE"))
              .hasMessageContaining("is append-only: TRUNCATE rejected");
        });
    assertThat(
            count("SELECT count(*) FROM notification_outbox WHERE event_id = ?", leave.eventId()))
        .isEqualTo(1);
  }

  @Test
  void aNotificationAPreviousProcessLeftInTheOutboxIsSentByTheSweep() throws Exception {
    // As an auditor stopped between commit and delivery leaves it: an outbox row, no delivery.
    String id = Fixtures.id("left-behind");
    try (Connection c = PostgresTestResource.server().superuserConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO notification_outbox (notification_id, kind, event_id, body,"
                    + " created_at) VALUES (?, 'cut-off-failed', ?, ?, now() - interval '1 hour')")) {
      s.setString(1, "cut-off:" + id + ":failed");
      s.setString(2, id);
      s.setString(
          3, "{\"text\":\"left behind\",\"kind\":\"cut-off-failed\",\"eventId\":\"" + id + "\"}");
      s.executeUpdate();
    }

    await().atMost(WAIT).until(() -> !Receiver.delivered(id).isEmpty());
    assertThat(Receiver.delivered(id).get(0).verdict()).isEqualTo(SignatureVerdict.VALID);
    await()
        .atMost(WAIT)
        .until(
            () ->
                count(
                        "SELECT count(*) FROM notification_delivery d JOIN notification_outbox o"
                            + " ON o.seq = d.outbox_seq WHERE o.event_id = ?",
                        id)
                    == 1);
    marker();
    assertThat(Receiver.about(id)).hasSize(1);
  }
}
