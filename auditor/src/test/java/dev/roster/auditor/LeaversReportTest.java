package dev.roster.auditor;

import static dev.roster.auditor.Fixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.events.ChangeStatus;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.Outcome;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deprovisioning SLA report: lag from effectiveAt to completion, failed changes flagged. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class LeaversReportTest {
  // A window no other test writes into.
  private static final OffsetDateTime DAY =
      OffsetDateTime.of(2031, 7, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  @Test
  void reportsLagPerLeaveAndFlagsALeaveWithAFailedChange() {
    String clean = Fixtures.id("E");
    String stuck = Fixtures.id("E");
    String pending = Fixtures.id("E");
    // effectiveAt 08:00, occurred earlier (HR announces leaves ahead); done at 08:01:30.5
    HrEvent cleanLeave =
        Fixtures.hrEvent(clean, EventType.LEAVE, DAY.minusDays(3), DAY.plusHours(8));
    HrEvent stuckLeave =
        Fixtures.hrEvent(stuck, EventType.LEAVE, DAY.plusHours(9), DAY.plusHours(9));
    HrEvent pendingLeave =
        Fixtures.hrEvent(pending, EventType.LEAVE, DAY.plusHours(10), DAY.plusHours(10));
    HrEvent hire = Fixtures.hrEvent(clean, EventType.HIRE, DAY.plusHours(11), DAY.plusHours(11));
    OffsetDateTime cleanDone = DAY.plusHours(8).plusSeconds(90).plusNanos(500_000_000);
    OffsetDateTime stuckDone = DAY.plusHours(9).plusSeconds(42);

    for (HrEvent e : List.of(cleanLeave, stuckLeave, pendingLeave, hire)) {
      Fixtures.publish(e);
    }
    Fixtures.publish(
        Fixtures.change(
            cleanLeave,
            "111111111111",
            "DeleteLoginProfile",
            "console",
            ChangeStatus.APPLIED,
            cleanDone.minusSeconds(1)));
    Fixtures.publish(
        Fixtures.outcome(cleanLeave, Outcome.COMPLETED, DAY.plusHours(8), cleanDone, 1, 0));
    // The stuck leave: one key deactivated, the other refused; a failed retry later succeeded.
    Fixtures.publish(
        Fixtures.change(
            stuckLeave,
            "111111111111",
            "UpdateAccessKey",
            "AKIA1",
            ChangeStatus.APPLIED,
            stuckDone.minusSeconds(2)));
    Fixtures.publish(
        Fixtures.change(
            stuckLeave,
            "333333333333",
            "UpdateAccessKey",
            "AKIA2",
            ChangeStatus.FAILED,
            stuckDone.minusSeconds(1)));
    Fixtures.publish(
        Fixtures.change(
            stuckLeave,
            "111111111111",
            "RemoveUserFromGroup",
            "developers",
            ChangeStatus.FAILED,
            stuckDone.minusSeconds(1)));
    Fixtures.publish(
        Fixtures.change(
            stuckLeave,
            "111111111111",
            "RemoveUserFromGroup",
            "developers",
            ChangeStatus.APPLIED,
            stuckDone));
    Fixtures.publish(
        Fixtures.outcome(stuckLeave, Outcome.FAILED, DAY.plusHours(9), stuckDone, 2, 1));

    Map<String, String> window = Map.of("from", DAY.toString(), "to", DAY.plusDays(1).toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              JsonPath r =
                  api()
                      .queryParams(window)
                      .get("/v1/reports/leavers")
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath();
              return r.getList("items").size() == 3 && r.getString("items[1].outcome") != null;
            });

    JsonPath report =
        api().queryParams(window).get("/v1/reports/leavers").then().extract().jsonPath();
    assertThat(report.getList("items.employeeId")).containsExactly(clean, stuck, pending);

    assertThat(report.getString("items[0].effectiveAt")).isEqualTo("2031-07-01T08:00:00Z");
    assertThat(report.getString("items[0].completedAt")).isEqualTo("2031-07-01T08:01:30.500Z");
    assertThat(report.getDouble("items[0].lagSeconds")).isEqualTo(90.5);
    assertThat(report.getString("items[0].lag")).isEqualTo("PT1M30.5S");
    assertThat(report.getBoolean("items[0].anyChangeFailed")).isFalse();
    assertThat(report.getBoolean("items[0].accessPossiblyOpen")).isFalse();

    assertThat(report.getDouble("items[1].lagSeconds")).isEqualTo(42.0);
    assertThat(report.getString("items[1].outcome")).isEqualTo("failed");
    assertThat(report.getInt("items[1].failedChanges"))
        .as("the group removal succeeded on retry; the prod key did not")
        .isEqualTo(1);
    assertThat(report.getBoolean("items[1].anyChangeFailed")).isTrue();
    assertThat(report.getBoolean("items[1].accessPossiblyOpen")).isTrue();

    assertThat(report.getString("items[2].completedAt")).isNull();
    assertThat(report.getString("items[2].lagSeconds")).isNull();
    assertThat(report.getBoolean("items[2].accessPossiblyOpen")).as("not done yet").isTrue();

    String csv =
        api()
            .accept("text/csv")
            .queryParams(window)
            .get("/v1/reports/leavers")
            .then()
            .statusCode(200)
            .contentType("text/csv")
            .extract()
            .asString();
    List<List<String>> rows = IngestionTest.CsvParser.parse(csv);
    assertThat(rows.get(0))
        .containsExactly(
            "employeeId",
            "eventId",
            "effectiveAt",
            "completedAt",
            "lagSeconds",
            "cutOffAt",
            "cutOffLagSeconds",
            "outcome",
            "failedChanges",
            "accessPossiblyOpen");
    assertThat(rows.get(1))
        .containsExactly(
            clean,
            cleanLeave.eventId(),
            "2031-07-01T08:00:00Z",
            "2031-07-01T08:01:30.500Z",
            "90.5",
            "",
            "",
            "completed",
            "0",
            "false");
    assertThat(rows.get(2)).contains(stuck, "42.0", "failed", "1", "true");
    assertThat(rows).hasSize(4);
  }

  @Test
  void reportsCutOffLagAndFlagsEveryLeaverWithAnAccountNotCutOff() {
    OffsetDateTime day = OffsetDateTime.of(2031, 8, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    String cut = Fixtures.id("E");
    String partly = Fixtures.id("E");
    String skipped = Fixtures.id("E");
    HrEvent cutLeave = Fixtures.hrEvent(cut, EventType.LEAVE, day.plusHours(8), day.plusHours(8));
    HrEvent partlyLeave =
        Fixtures.hrEvent(partly, EventType.LEAVE, day.plusHours(9), day.plusHours(9));
    HrEvent skippedLeave =
        Fixtures.hrEvent(skipped, EventType.LEAVE, day.plusHours(10), day.plusHours(10));
    for (HrEvent e : List.of(cutLeave, partlyLeave, skippedLeave)) {
      Fixtures.publish(e);
    }
    OffsetDateTime cutOffAt = day.plusHours(8).plusNanos(250_000_000);
    Fixtures.publish(
        Fixtures.outcome(
            cutLeave, Outcome.COMPLETED, day.plusHours(8), day.plusHours(8).plusSeconds(2), 30, 0),
        cutOffAt,
        List.of(
            Fixtures.account("111111111111", "dev", "completed", null, true),
            Fixtures.account("333333333333", "prod", "completed", null, true)));
    // Staging refused the deny-all: no cutOffAt, staging named as failed.
    Fixtures.publish(
        Fixtures.outcome(
            partlyLeave, Outcome.FAILED, day.plusHours(9), day.plusHours(9).plusSeconds(5), 20, 1),
        null,
        List.of(
            Fixtures.account("111111111111", "dev", "cut_off", null),
            Fixtures.account("222222222222", "staging", "failed", "LimitExceeded: too many"),
            Fixtures.account("333333333333", "prod", "cut_off", null)));
    Fixtures.publish(
        Fixtures.outcome(
            skippedLeave,
            Outcome.COMPLETED,
            day.plusHours(10),
            day.plusHours(10).plusSeconds(1),
            10,
            0),
        day.plusHours(10).plusSeconds(1),
        List.of(
            // IAM's simulation did not confirm dev's deny-all.
            Fixtures.account("111111111111", "dev", "completed", null, false),
            Fixtures.account("333333333333", "prod", "skipped", "no user")));

    Map<String, String> window = Map.of("from", day.toString(), "to", day.plusDays(1).toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                api()
                        .queryParams(window)
                        .get("/v1/reports/leavers")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("items.outcome")
                        .stream()
                        .filter(java.util.Objects::nonNull)
                        .count()
                    == 3);

    JsonPath report =
        api().queryParams(window).get("/v1/reports/leavers").then().extract().jsonPath();
    assertThat(report.getList("items.employeeId")).containsExactly(cut, partly, skipped);
    assertThat(report.getString("items[0].cutOffAt")).isEqualTo("2031-08-01T08:00:00.250Z");
    assertThat(report.getDouble("items[0].cutOffLagSeconds")).isEqualTo(0.25);
    assertThat(report.getString("items[0].cutOffLag")).isEqualTo("PT0.25S");
    assertThat(report.getDouble("items[0].lagSeconds")).isEqualTo(2.0);
    assertThat(report.getList("items[0].accountsNotCutOff")).isEmpty();
    assertThat(report.getList("items[0].accountsNotVerified")).isEmpty();
    assertThat(report.getBoolean("items[0].accessPossiblyOpen")).isFalse();

    assertThat(report.getString("items[1].cutOffAt")).as("not cut off everywhere").isNull();
    assertThat(report.getString("items[1].cutOffLagSeconds")).isNull();
    assertThat(report.getList("items[1].accountsNotCutOff")).containsExactly("222222222222");
    assertThat(report.getBoolean("items[1].accessPossiblyOpen")).isTrue();

    assertThat(report.getList("items[2].accountsNotCutOff")).containsExactly("333333333333");
    assertThat(report.getList("items[2].accountsNotVerified")).containsExactly("111111111111");
    assertThat(report.getBoolean("items[2].accessPossiblyOpen"))
        .as("an account that is not cut off, whatever the reason")
        .isTrue();

    JsonPath detail =
        api()
            .get("/v1/hr-events/" + partlyLeave.eventId())
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(detail.getString("cutOffAt")).isNull();
    assertThat(detail.getList("outcome.accounts.account"))
        .containsExactly("111111111111", "222222222222", "333333333333");
    assertThat(detail.getList("outcome.accounts.state"))
        .containsExactly("cut_off", "failed", "cut_off");
    assertThat(detail.getString("outcome.accounts[1].name")).isEqualTo("staging");
    assertThat(detail.getString("outcome.accounts[1].reason")).isEqualTo("LimitExceeded: too many");
    JsonPath cutDetail =
        api().get("/v1/hr-events/" + cutLeave.eventId()).then().extract().jsonPath();
    assertThat(cutDetail.getString("outcome.cutOffAt")).isEqualTo("2031-08-01T08:00:00.250Z");
    assertThat(cutDetail.getString("cutOffAt")).isEqualTo("2031-08-01T08:00:00.250Z");
    assertThat(cutDetail.getDouble("cutOffLagSeconds")).isEqualTo(0.25);
    assertThat(cutDetail.getList("outcome.accounts.cutOffVerified")).containsExactly(true, true);
    assertThat(detail.getList("outcome.accounts.cutOffVerified")).containsOnlyNulls();

    List<List<String>> rows =
        IngestionTest.CsvParser.parse(
            api()
                .accept("text/csv")
                .queryParams(window)
                .get("/v1/reports/leavers")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    assertThat(rows.get(0)).contains("cutOffAt", "cutOffLagSeconds");
    int at = rows.get(0).indexOf("cutOffAt");
    assertThat(rows.get(1).get(at)).isEqualTo("2031-08-01T08:00:00.250Z");
    assertThat(rows.get(1).get(at + 1)).isEqualTo("0.25");
    assertThat(rows.get(2).get(at)).isEmpty();

    assertThat(api().get("/v1/integrity").then().extract().<Boolean>path("ok"))
        .as("the additions are inside the hash and re-verify")
        .isTrue();
  }

  @Test
  void anAccountStateOutsideTheContractIsDeadLetteredNotStored() {
    String emp = Fixtures.id("E");
    HrEvent leave =
        Fixtures.hrEvent(emp, EventType.LEAVE, OffsetDateTime.now(ZoneOffset.UTC), null);
    Fixtures.publish(leave);
    Fixtures.publish(
        Fixtures.outcome(leave, Outcome.COMPLETED, null, OffsetDateTime.now(ZoneOffset.UTC), 1, 0),
        null,
        List.of(Fixtures.account("111111111111", "dev", "gone", null)));
    await().atMost(Duration.ofSeconds(60)).until(() -> !Fixtures.deadLetters(emp).isEmpty());
    assertThat(Fixtures.header(Fixtures.deadLetters(emp).get(0), "dlq_cause"))
        .contains("accounts[0].state");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api().get("/v1/hr-events/" + leave.eventId()).statusCode() == 200);
    assertThat(
            api()
                .get("/v1/hr-events/" + leave.eventId())
                .then()
                .statusCode(200)
                .extract()
                .<Object>path("outcome"))
        .isNull();
  }
}
