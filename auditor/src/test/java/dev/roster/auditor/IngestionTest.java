package dev.roster.auditor;

import static dev.roster.auditor.Fixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.roster.events.ChangeStatus;
import dev.roster.events.CloudEvents;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.events.Topics;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Records published on both topics become queryable, once, through every filter. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class IngestionTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final OffsetDateTime T0 =
      OffsetDateTime.of(2026, 4, 1, 9, 0, 0, 0, ZoneOffset.UTC);

  private static int count(String path, Map<String, ?> params) {
    return api()
        .queryParams(params)
        .get(path)
        .then()
        .statusCode(200)
        .extract()
        .path("items.size()");
  }

  @Test
  void hrEventsChangesAndOutcomesBecomeQueryableWithEveryFilter() {
    String emp = Fixtures.id("E");
    HrEvent hire = Fixtures.hrEvent(emp, EventType.HIRE, T0, T0);
    HrEvent move = Fixtures.hrEvent(emp, EventType.ROLE_CHANGE, T0.plusDays(10), T0.plusDays(10));
    IamChange create =
        Fixtures.change(
            hire,
            "111111111111",
            "CreateUser",
            "user-" + emp,
            ChangeStatus.APPLIED,
            T0.plusSeconds(5));
    IamChange addDev =
        Fixtures.change(
            hire,
            "111111111111",
            "AddUserToGroup",
            "developers",
            ChangeStatus.APPLIED,
            T0.plusSeconds(6));
    IamChange addStaging =
        Fixtures.change(
            hire,
            "222222222222",
            "AddUserToGroup",
            "readonly",
            ChangeStatus.FAILED,
            T0.plusSeconds(7));
    IamChange removeDev =
        Fixtures.change(
            move,
            "111111111111",
            "RemoveUserFromGroup",
            "developers",
            ChangeStatus.APPLIED,
            T0.plusDays(10).plusSeconds(3));
    ProvisioningOutcome hireDone =
        Fixtures.outcome(hire, Outcome.FAILED, T0.plusSeconds(4), T0.plusSeconds(8), 2, 1);

    Fixtures.publish(hire);
    Fixtures.publish(move);
    for (IamChange c : List.of(create, addDev, addStaging, removeDev)) {
      Fixtures.publish(c);
    }
    Fixtures.publish(hireDone);

    await().atMost(WAIT).until(() -> count("/v1/changes", Map.of("employeeId", emp)) == 4);
    await().atMost(WAIT).until(() -> count("/v1/hr-events", Map.of("employeeId", emp)) == 2);

    // Newest first, every field the provisioner publishes plus seq.
    JsonPath all =
        api().queryParam("employeeId", emp).get("/v1/changes").then().extract().jsonPath();
    assertThat(all.getList("items.changeId"))
        .containsExactly(
            removeDev.changeId(), addStaging.changeId(), addDev.changeId(), create.changeId());
    Map<String, Object> failed = all.getMap("items[1]");
    assertThat(failed)
        .containsEntry("eventId", hire.eventId())
        .containsEntry("employeeId", emp)
        .containsEntry("account", "222222222222")
        .containsEntry("action", "AddUserToGroup")
        .containsEntry("userName", "user-" + emp)
        .containsEntry("target", "readonly")
        .containsEntry("status", "failed")
        .containsEntry("error", "AccessDenied: not allowed")
        .containsEntry("awsRequestId", null)
        .containsEntry("at", "2026-04-01T09:00:07Z")
        .containsKey("seq");
    assertThat(all.getList("items.seq", Long.class))
        .isSortedAccordingTo((a, b) -> Long.compare(b, a));

    // Each filter narrows the listing.
    assertThat(count("/v1/changes", Map.of("employeeId", emp, "eventId", move.eventId())))
        .isEqualTo(1);
    assertThat(count("/v1/changes", Map.of("employeeId", emp, "account", "222222222222")))
        .isEqualTo(1);
    assertThat(count("/v1/changes", Map.of("employeeId", emp, "action", "AddUserToGroup")))
        .isEqualTo(2);
    assertThat(count("/v1/changes", Map.of("employeeId", emp, "status", "applied"))).isEqualTo(3);
    assertThat(count("/v1/changes", Map.of("employeeId", emp, "status", "planned"))).isZero();
    assertThat(
            count(
                "/v1/changes",
                Map.of(
                    "employeeId", emp,
                    "from", "2026-04-01T11:00:06+02:00",
                    "to", "2026-04-01T09:00:07Z")))
        .as("from inclusive, to exclusive, offsets honoured")
        .isEqualTo(1);
    assertThat(count("/v1/changes", Map.of("eventId", hire.eventId()))).isEqualTo(3);

    assertThat(count("/v1/hr-events", Map.of("employeeId", emp, "type", "role_change")))
        .isEqualTo(1);
    assertThat(count("/v1/hr-events", Map.of("employeeId", emp, "from", T0.plusDays(1).toString())))
        .isEqualTo(1);
    assertThat(count("/v1/hr-events", Map.of("employeeId", emp, "to", T0.plusDays(1).toString())))
        .isEqualTo(1);
    JsonPath events =
        api().queryParam("employeeId", emp).get("/v1/hr-events").then().extract().jsonPath();
    assertThat(events.getList("items.eventId")).containsExactly(move.eventId(), hire.eventId());
    assertThat(events.getString("items[1].employee.department")).isEqualTo("Engineering");
    assertThat(events.getString("items[1].type")).isEqualTo("hire");

    // The HR event with what it caused and how long it took.
    await()
        .atMost(WAIT)
        .until(
            () ->
                api().get("/v1/hr-events/" + hire.eventId()).then().extract().path("outcome")
                    != null);
    JsonPath detail =
        api().get("/v1/hr-events/" + hire.eventId()).then().statusCode(200).extract().jsonPath();
    assertThat(detail.getString("event.eventId")).isEqualTo(hire.eventId());
    assertThat(detail.getList("changes.changeId"))
        .containsExactly(create.changeId(), addDev.changeId(), addStaging.changeId());
    assertThat(detail.getString("outcome.outcome")).isEqualTo("failed");
    assertThat(detail.getInt("outcome.counts.failed")).isEqualTo(1);
    assertThat(detail.getDouble("lagSeconds")).isEqualTo(8.0);

    // The person's whole story in time order.
    JsonPath timeline =
        api().get("/v1/employees/" + emp + "/timeline").then().statusCode(200).extract().jsonPath();
    assertThat(timeline.getList("entries.kind"))
        .containsExactly(
            "hr_event",
            "iam_change",
            "iam_change",
            "iam_change",
            "provisioning_outcome",
            "hr_event",
            "iam_change");
    assertThat(timeline.getString("entries[6].change.changeId")).isEqualTo(removeDev.changeId());
  }

  @Test
  void aRecordDeliveredTwiceIsStoredOnce() {
    String emp = Fixtures.id("E");
    HrEvent leave = Fixtures.hrEvent(emp, EventType.LEAVE, T0, T0);
    IamChange deny =
        Fixtures.change(
            leave,
            "111111111111",
            "PutUserPolicy",
            "roster-deny-all",
            ChangeStatus.APPLIED,
            T0.plusSeconds(2));
    ProvisioningOutcome done =
        Fixtures.outcome(leave, Outcome.COMPLETED, T0, T0.plusSeconds(3), 1, 0);
    double before = duplicatesSkipped();

    for (int i = 0; i < 2; i++) {
      Fixtures.publish(leave);
      Fixtures.publish(deny);
      Fixtures.publish(done);
    }
    // A marker published last: once it is stored, both copies of everything were consumed.
    HrEvent marker = Fixtures.hrEvent(emp, EventType.HIRE, T0.plusDays(1), T0.plusDays(1));
    IamChange markerChange =
        Fixtures.change(marker, "111111111111", "CreateUser", "x", ChangeStatus.APPLIED, T0);
    Fixtures.publish(marker);
    Fixtures.publish(markerChange);
    await().atMost(WAIT).until(() -> count("/v1/hr-events", Map.of("employeeId", emp)) == 2);
    await().atMost(WAIT).until(() -> count("/v1/changes", Map.of("employeeId", emp)) == 2);

    assertThat(count("/v1/hr-events", Map.of("eventId", leave.eventId(), "employeeId", emp)))
        .isEqualTo(2);
    assertThat(count("/v1/changes", Map.of("eventId", leave.eventId()))).isEqualTo(1);
    JsonPath timeline = api().get("/v1/employees/" + emp + "/timeline").then().extract().jsonPath();
    assertThat(timeline.getList("entries.kind"))
        .containsExactlyInAnyOrder(
            "hr_event", "iam_change", "provisioning_outcome", "hr_event", "iam_change");
    assertThat(duplicatesSkipped() - before).isGreaterThanOrEqualTo(3);
  }

  @Test
  void paginationReturnsEveryEntryExactlyOnceWhileNewEntriesArrive() {
    String emp = Fixtures.id("E");
    HrEvent hire = Fixtures.hrEvent(emp, EventType.HIRE, T0, T0);
    List<String> original = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      IamChange c =
          Fixtures.change(
              hire,
              "111111111111",
              "AddUserToGroup",
              "group-" + i,
              ChangeStatus.APPLIED,
              T0.plusSeconds(i));
      original.add(c.changeId());
      Fixtures.publish(c);
    }
    await().atMost(WAIT).until(() -> count("/v1/changes", Map.of("employeeId", emp)) == 23);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var request = api().queryParam("employeeId", emp).queryParam("limit", 5);
      if (cursor != null) {
        request.queryParam("cursor", cursor);
      }
      JsonPath page = request.get("/v1/changes").then().statusCode(200).extract().jsonPath();
      seen.addAll(page.getList("items.changeId"));
      cursor = page.getString("nextCursor");
      if (pages++ == 0) {
        for (int i = 0; i < 4; i++) { // arrive after the first page was served
          Fixtures.publish(
              Fixtures.change(
                  hire,
                  "111111111111",
                  "AddUserToGroup",
                  "late-" + i,
                  ChangeStatus.APPLIED,
                  T0.plusSeconds(100 + i)));
        }
        await().atMost(WAIT).until(() -> count("/v1/changes", Map.of("employeeId", emp)) == 27);
      }
    } while (cursor != null);

    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(original);
    assertThat(pages).isEqualTo(5);
  }

  @Test
  void csvHoldsExactlyWhatJsonHolds() {
    String emp = Fixtures.id("E");
    HrEvent hire = Fixtures.hrEvent(emp, EventType.HIRE, T0, T0);
    Fixtures.publish(hire);
    for (int i = 0; i < 12; i++) {
      Fixtures.publish(
          Fixtures.change(
              hire,
              "111111111111",
              "AddUserToGroup",
              "g,\"" + i + "\"",
              i % 3 == 0 ? ChangeStatus.FAILED : ChangeStatus.APPLIED,
              T0.plusSeconds(i)));
    }
    await().atMost(WAIT).until(() -> count("/v1/changes", Map.of("employeeId", emp)) == 12);

    List<Map<String, Object>> json =
        api()
            .queryParam("employeeId", emp)
            .queryParam("limit", 1000)
            .get("/v1/changes")
            .then()
            .extract()
            .jsonPath()
            .getList("items");
    String csv =
        api()
            .accept("text/csv")
            .queryParam("employeeId", emp)
            .get("/v1/changes")
            .then()
            .statusCode(200)
            .contentType("text/csv")
            .extract()
            .asString();

    List<List<String>> rows = CsvParser.parse(csv);
    assertThat(rows.get(0))
        .containsExactly(
            "seq",
            "changeId",
            "eventId",
            "employeeId",
            "account",
            "action",
            "userName",
            "target",
            "status",
            "error",
            "awsRequestId",
            "at",
            "kind",
            "privilegedReason");
    assertThat(rows).hasSize(json.size() + 1);
    for (int i = 0; i < json.size(); i++) {
      List<String> row = rows.get(i + 1);
      Map<String, Object> item = json.get(i);
      for (int col = 0; col < row.size(); col++) {
        Object value = item.get(rows.get(0).get(col));
        assertThat(row.get(col)).isEqualTo(value == null ? "" : value.toString());
      }
    }

    // hr.events is another channel: its record may be stored after the changes.
    await().atMost(WAIT).until(() -> count("/v1/hr-events", Map.of("employeeId", emp)) == 1);
    String hrCsv =
        api()
            .accept("text/csv")
            .queryParam("employeeId", emp)
            .get("/v1/hr-events")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    List<List<String>> hrRows = CsvParser.parse(hrCsv);
    assertThat(hrRows).hasSize(2);
    assertThat(hrRows.get(1).get(1)).isEqualTo(hire.eventId());
    assertThat(hrRows.get(1).get(9)).isEqualTo("Developer, \"senior\"");
  }

  @Test
  void anUnreadableRecordIsCountedAndDeadLetteredWithoutStoppingConsumption() {
    String emp = Fixtures.id("E");
    double before = metric("roster_auditor_records_rejected_total");
    Fixtures.publishRaw(Topics.IAM_CHANGES, emp, CloudEvents.IAM_CHANGE_TYPE, "{not json");
    Fixtures.publishRaw(Topics.IAM_CHANGES, emp, "dev.roster.unknown", "{}");
    Fixtures.publishRaw(Topics.HR_EVENTS, emp, null, "{\"eventId\":\"x\",\"surprise\":1}");
    HrEvent hire = Fixtures.hrEvent(emp, EventType.HIRE, T0, T0);
    Fixtures.publish(hire);
    Fixtures.publish(
        Fixtures.change(hire, "111111111111", "CreateUser", "u", ChangeStatus.APPLIED, T0));

    await().atMost(WAIT).until(() -> count("/v1/changes", Map.of("employeeId", emp)) == 1);
    await().atMost(WAIT).until(() -> count("/v1/hr-events", Map.of("employeeId", emp)) == 1);
    assertThat(metric("roster_auditor_records_rejected_total") - before).isEqualTo(3);
    await().atMost(WAIT).until(() -> Fixtures.deadLetters(emp).size() == 3);
  }

  @Test
  void unknownIdsAre404Problems() {
    api()
        .get("/v1/hr-events/no-such-event")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404))
        .body("instance", equalTo("/v1/hr-events/no-such-event"))
        .body("$", not(hasKey("errors")));
    api()
        .get("/v1/employees/no-such-employee/timeline")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }

  static double duplicatesSkipped() {
    return metric("roster_auditor_duplicates_skipped_total");
  }

  /** Sum of a Prometheus counter over its labels. */
  static double metric(String name) {
    String metrics = io.restassured.RestAssured.get("/q/metrics").then().extract().asString();
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** Minimal RFC 4180 reader for the assertions. */
  static final class CsvParser {
    static List<List<String>> parse(String text) {
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < text.length(); i++) {
        char ch = text.charAt(i);
        if (quoted) {
          if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else if (ch == '"') {
            quoted = false;
          } else {
            field.append(ch);
          }
        } else if (ch == '"') {
          quoted = true;
        } else if (ch == ',') {
          row.add(field.toString());
          field.setLength(0);
        } else if (ch == '\r') {
          // part of \r\n
        } else if (ch == '\n') {
          row.add(field.toString());
          field.setLength(0);
          rows.add(row);
          row = new ArrayList<>();
        } else {
          field.append(ch);
        }
      }
      Set<Integer> widths = new HashSet<>();
      rows.forEach(r -> widths.add(r.size()));
      assertThat(widths).as("every CSV row has the header's width").hasSize(1);
      return rows;
    }
  }
}
