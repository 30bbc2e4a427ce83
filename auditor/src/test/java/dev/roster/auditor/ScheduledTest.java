package dev.roster.auditor;

import static dev.roster.auditor.Fixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Effective dating as the auditor sees it: pending events at {@code /v1/scheduled} (filters,
 * pagination, CSV) until a later outcome of the same event arrives; the timeline's pending list; no
 * negative lags in the leavers report for a leave that is only scheduled; cancel events and outcome
 * notices stored in the chain. Records are produced to the real broker as hr-listener and the
 * provisioner publish them.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class ScheduledTest {
  // Effective times no other test uses.
  private static final OffsetDateTime DAY =
      OffsetDateTime.of(2033, 5, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  private static final OffsetDateTime NOTICE = DAY.minusDays(10);

  /** What the provisioner publishes when it holds an event until its effectiveAt. */
  private static ProvisioningOutcome scheduled(HrEvent e, OffsetDateTime heldAt) {
    return new ProvisioningOutcome(
        e.eventId(),
        e.employeeId(),
        Outcome.SCHEDULED,
        new ProvisioningOutcome.Counts(0, 0, 0),
        heldAt,
        null,
        heldAt.plusNanos(10_000_000),
        null,
        List.of(),
        e.effectiveAt());
  }

  private static ProvisioningOutcome later(
      HrEvent e, Outcome outcome, OffsetDateTime at, String reason) {
    return new ProvisioningOutcome(
        e.eventId(),
        e.employeeId(),
        outcome,
        new ProvisioningOutcome.Counts(0, 0, 0),
        at,
        at.plusNanos(250_000_000),
        reason);
  }

  private static JsonPath scheduledPage(Map<String, ?> query) {
    return api()
        .queryParams(query)
        .get("/v1/scheduled")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static List<String> eventIds(Map<String, ?> query) {
    return scheduledPage(query).getList("items.eventId");
  }

  @Test
  void pendingEventsAreListedFilteredPagedExportedAndGoneOnceALaterOutcomeArrives() {
    String alice = Fixtures.id("E");
    String bob = Fixtures.id("E");
    // Alice leaves at the end of 2033-05-01 in Kiritimati (UTC+14); she was also to be rehired.
    HrEvent aliceLeave =
        Fixtures.hrEvent(
            alice,
            EventType.LEAVE,
            NOTICE,
            OffsetDateTime.of(2033, 5, 1, 23, 59, 59, 0, ZoneOffset.ofHours(14)));
    HrEvent aliceHire = Fixtures.hrEvent(alice, EventType.HIRE, NOTICE, DAY.plusDays(2));
    HrEvent bobLeave = Fixtures.hrEvent(bob, EventType.LEAVE, NOTICE, DAY.plusDays(3));
    List<HrEvent> held = List.of(aliceLeave, aliceHire, bobLeave);
    for (HrEvent e : held) {
      Fixtures.publish(e);
    }
    for (HrEvent e : held) {
      Fixtures.publish(scheduled(e, NOTICE.plusSeconds(1)));
    }
    Map<String, String> window = Map.of("from", DAY.toString(), "to", DAY.plusDays(10).toString());

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                scheduledPage(window).getList("items.type").size() == 3
                    && !scheduledPage(window).getList("items.type").contains(null));

    // Newest hold first; each with effectiveAt, type, employee, event and when it was held.
    JsonPath all = scheduledPage(window);
    assertThat(all.getList("items.eventId"))
        .containsExactly(bobLeave.eventId(), aliceHire.eventId(), aliceLeave.eventId());
    assertThat(all.getString("items[2].effectiveAt")).isEqualTo("2033-05-01T09:59:59Z");
    assertThat(all.getString("items[2].type")).isEqualTo("leave");
    assertThat(all.getString("items[2].employeeId")).isEqualTo(alice);
    assertThat(all.getString("items[2].scheduledAt")).isEqualTo("2033-04-21T00:00:01.010Z");
    assertThat(all.getString("nextCursor")).isNull();

    // Filters: employee, type, and from/to on effectiveAt (from inclusive, to exclusive).
    assertThat(eventIds(Map.of("employeeId", alice)))
        .containsExactly(aliceHire.eventId(), aliceLeave.eventId());
    Map<String, String> leaves = new LinkedHashMap<>(window);
    leaves.put("type", "leave");
    assertThat(eventIds(leaves)).containsExactly(bobLeave.eventId(), aliceLeave.eventId());
    assertThat(
            eventIds(Map.of("from", DAY.plusDays(2).toString(), "to", DAY.plusDays(3).toString())))
        .containsExactly(aliceHire.eventId());

    // Pagination: every pending event exactly once, one per page.
    List<String> paged = new ArrayList<>();
    String cursor = null;
    do {
      Map<String, String> q = new LinkedHashMap<>(window);
      q.put("limit", "1");
      if (cursor != null) {
        q.put("cursor", cursor);
      }
      JsonPath page = scheduledPage(q);
      paged.addAll(page.getList("items.eventId"));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    assertThat(paged).containsExactlyElementsOf(all.getList("items.eventId"));

    // CSV: the same rows.
    String csv =
        api()
            .accept("text/csv")
            .queryParams(window)
            .get("/v1/scheduled")
            .then()
            .statusCode(200)
            .contentType("text/csv")
            .extract()
            .asString();
    String[] lines = csv.split("\r\n");
    assertThat(lines[0]).isEqualTo("seq,eventId,type,employeeId,effectiveAt,scheduledAt");
    assertThat(lines).hasSize(4);
    assertThat(lines[3])
        .isEqualTo(
            all.getLong("items[2].seq")
                + ","
                + aliceLeave.eventId()
                + ",leave,"
                + alice
                + ",2033-05-01T09:59:59Z,2033-04-21T00:00:01.010Z");

    // The timeline shows what is pending for the person, soonest first, and the hold itself.
    JsonPath timeline =
        api()
            .get("/v1/employees/" + alice + "/timeline")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(timeline.getList("pending.eventId"))
        .containsExactly(aliceLeave.eventId(), aliceHire.eventId());
    assertThat(timeline.getList("entries.kind"))
        .containsExactlyInAnyOrder(
            "hr_event", "hr_event", "provisioning_outcome", "provisioning_outcome");
    assertThat(timeline.getList("entries.outcome.outcome"))
        .containsExactly("scheduled", "scheduled");
    assertThat(timeline.getList("entries.outcome.effectiveAt"))
        .contains("2033-05-01T09:59:59Z", "2033-05-03T00:00:00Z");

    // A held leave is not a late one: no completion, no lag, access open by design until then.
    JsonPath report = leavers(window);
    Map<String, Object> aliceRow = row(report, aliceLeave.eventId());
    assertThat(aliceRow.get("outcome")).isEqualTo("scheduled");
    assertThat(aliceRow.get("completedAt")).isNull();
    assertThat(aliceRow.get("lagSeconds")).isNull();
    assertThat(aliceRow.get("cutOffLagSeconds")).isNull();
    assertThat(aliceRow.get("accessPossiblyOpen")).isEqualTo(false);
    JsonPath heldDetail =
        api().get("/v1/hr-events/" + aliceLeave.eventId()).then().extract().jsonPath();
    assertThat(heldDetail.getString("outcome.outcome")).isEqualTo("scheduled");
    assertThat(heldDetail.getString("outcome.effectiveAt")).isEqualTo("2033-05-01T09:59:59Z");
    assertThat(heldDetail.getString("lagSeconds")).isNull();

    // Later outcomes of the same events: applied at its moment (with a rehire-style notice),
    // rescinded by a cancel, failed.
    OffsetDateTime applied = aliceLeave.effectiveAt().plusNanos(400_000_000);
    Map<String, Object> prod =
        new LinkedHashMap<>(Fixtures.account("333333333333", "prod", "completed", null));
    prod.put("notices", List.of("access key AKIA1 left inactive"));
    Fixtures.publish(
        new ProvisioningOutcome(
            aliceLeave.eventId(),
            alice,
            Outcome.COMPLETED,
            new ProvisioningOutcome.Counts(1, 1, 0),
            aliceLeave.effectiveAt(),
            applied,
            null),
        applied.minusNanos(200_000_000),
        List.of(prod));
    HrEvent cancel =
        new HrEvent(
            Fixtures.id("evt-cancel"),
            EventType.CANCEL,
            alice,
            NOTICE.plusDays(1),
            null,
            null,
            "rehire withdrawn",
            aliceHire.eventId());
    Fixtures.publish(cancel);
    Fixtures.publish(later(aliceHire, Outcome.CANCELLED, NOTICE.plusDays(1), null));
    Fixtures.publish(later(cancel, Outcome.CANCELLED, NOTICE.plusDays(1), null));

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> eventIds(window).equals(List.of(bobLeave.eventId())));

    Fixtures.publish(
        later(bobLeave, Outcome.FAILED, bobLeave.effectiveAt(), "not-found: no user E"));
    await().atMost(Duration.ofSeconds(60)).until(() -> eventIds(window).isEmpty());
    assertThat(
            api()
                .accept("text/csv")
                .queryParams(window)
                .get("/v1/scheduled")
                .then()
                .extract()
                .asString())
        .isEqualTo("seq,eventId,type,employeeId,effectiveAt,scheduledAt\r\n");

    // Once applied, lags run from effectiveAt; the rescinded hire's leave is nobody's concern.
    report = leavers(window);
    aliceRow = row(report, aliceLeave.eventId());
    assertThat(aliceRow.get("outcome")).isEqualTo("completed");
    // JsonPath reads numbers as floats: 0.4 within float precision.
    assertThat(((Number) aliceRow.get("lagSeconds")).doubleValue()).isCloseTo(0.4, within(1e-6));
    assertThat(((Number) aliceRow.get("cutOffLagSeconds")).doubleValue())
        .isCloseTo(0.2, within(1e-6));
    assertThat(aliceRow.get("accessPossiblyOpen")).isEqualTo(false);
    assertThat(row(report, bobLeave.eventId()).get("accessPossiblyOpen")).isEqualTo(true);

    JsonPath detail =
        api().get("/v1/hr-events/" + aliceLeave.eventId()).then().extract().jsonPath();
    assertThat(detail.getList("outcome.accounts[0].notices"))
        .containsExactly("access key AKIA1 left inactive");
    assertThat(detail.getDouble("lagSeconds")).isCloseTo(0.4, within(1e-6));
    JsonPath cancelDetail =
        api().get("/v1/hr-events/" + cancel.eventId()).then().statusCode(200).extract().jsonPath();
    assertThat(cancelDetail.getString("event.type")).isEqualTo("cancel");
    assertThat(cancelDetail.getString("event.cancelsEventId")).isEqualTo(aliceHire.eventId());
    assertThat(cancelDetail.getString("outcome.outcome")).isEqualTo("cancelled");
    assertThat(
            api()
                .queryParam("employeeId", alice)
                .queryParam("type", "cancel")
                .get("/v1/hr-events")
                .then()
                .extract()
                .jsonPath()
                .getList("items.eventId"))
        .containsExactly(cancel.eventId());
    assertThat(
            api()
                .get("/v1/employees/" + alice + "/timeline")
                .then()
                .extract()
                .jsonPath()
                .getList("pending"))
        .isEmpty();

    api().get("/v1/integrity").then().statusCode(200).body("ok", org.hamcrest.Matchers.is(true));
  }

  @Test
  void aLeaveStillHeldAfterItsEffectiveTimeIsFlaggedAsPossiblyOpen() {
    String carol = Fixtures.id("E");
    OffsetDateTime due =
        OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).truncatedTo(ChronoUnit.SECONDS);
    HrEvent leave = Fixtures.hrEvent(carol, EventType.LEAVE, due.minusDays(7), due);
    Fixtures.publish(leave);
    Fixtures.publish(scheduled(leave, due.minusDays(7)));
    Map<String, String> window =
        Map.of("from", due.minusMinutes(1).toString(), "to", due.plusMinutes(1).toString());

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Map<String, Object> r = row(leavers(window), leave.eventId());
              return r != null && "scheduled".equals(r.get("outcome"));
            });

    Map<String, Object> r = row(leavers(window), leave.eventId());
    assertThat(r.get("lagSeconds")).as("not applied: no lag").isNull();
    assertThat(r.get("accessPossiblyOpen")).as("held past its moment").isEqualTo(true);
    assertThat(Instant.parse((String) r.get("effectiveAt"))).isEqualTo(due.toInstant());
  }

  @Test
  void noticesOutsideTheContractAreDeadLetteredNotStored() {
    String emp = Fixtures.id("E");
    HrEvent hire = Fixtures.hrEvent(emp, EventType.HIRE, NOTICE, NOTICE);
    Fixtures.publish(hire);
    Map<String, Object> dev =
        new LinkedHashMap<>(Fixtures.account("111111111111", "dev", "completed", null));
    dev.put("notices", "old keys left inactive"); // a string, not a list of strings
    Fixtures.publish(
        Fixtures.outcome(hire, Outcome.COMPLETED, NOTICE, NOTICE.plusSeconds(1), 1, 0),
        null,
        List.of(dev));

    await().atMost(Duration.ofSeconds(60)).until(() -> !Fixtures.deadLetters(emp).isEmpty());
    assertThat(Fixtures.header(Fixtures.deadLetters(emp).get(0), "dlq_cause"))
        .contains("accounts[0].notices");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api().get("/v1/hr-events/" + hire.eventId()).statusCode() == 200);
    assertThat(
            api().get("/v1/hr-events/" + hire.eventId()).then().extract().<Object>path("outcome"))
        .isNull();
  }

  private static JsonPath leavers(Map<String, String> window) {
    return api()
        .queryParams(window)
        .get("/v1/reports/leavers")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static Map<String, Object> row(JsonPath report, String eventId) {
    List<Map<String, Object>> items = report.getList("items");
    return items.stream().filter(i -> eventId.equals(i.get("eventId"))).findFirst().orElse(null);
  }
}
