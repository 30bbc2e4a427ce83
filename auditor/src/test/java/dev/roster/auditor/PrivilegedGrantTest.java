package dev.roster.auditor;

import static dev.roster.auditor.Fixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.roster.events.ChangeStatus;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A change carrying privilegedReason is stored as a privileged_grant, chained and listed. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class PrivilegedGrantTest {
  private static final OffsetDateTime T0 =
      OffsetDateTime.of(2026, 12, 3, 7, 0, 0, 0, ZoneOffset.UTC);
  private static final String REASON = "project managers create their team's users";

  @Test
  void privilegedChangeIsItsOwnKindWithItsReason() {
    String emp = Fixtures.id("E");
    HrEvent hire = Fixtures.hrEvent(emp, EventType.HIRE, T0, T0);
    IamChange plain =
        Fixtures.change(
            hire, "111111111111", "AddUserToGroup", "developers", ChangeStatus.APPLIED, T0);
    IamChange base =
        Fixtures.change(
            hire,
            "111111111111",
            "AddUserToGroup",
            "iam-user-managers",
            ChangeStatus.APPLIED,
            T0.plusSeconds(1));
    IamChange grant = Fixtures.privileged(base, REASON);
    Fixtures.publish(hire);
    Fixtures.publish(plain);
    Fixtures.publish(grant);
    // Redelivered: stored once.
    Fixtures.publish(grant);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        api()
                            .queryParam("employeeId", emp)
                            .get("/v1/changes")
                            .then()
                            .statusCode(200)
                            .extract()
                            .<List<?>>path("items"))
                    .hasSize(2));

    JsonPath all =
        api().queryParam("employeeId", emp).get("/v1/changes").then().extract().jsonPath();
    assertThat(all.getList("items.kind")).containsExactly("privileged_grant", "iam_change");
    assertThat(all.<String>get("items[0].privilegedReason")).isEqualTo(REASON);
    assertThat(all.<Object>get("items[1].privilegedReason")).isNull();

    JsonPath grants =
        api()
            .queryParam("employeeId", emp)
            .queryParam("kind", "privileged_grant")
            .get("/v1/changes")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(grants.getList("items.target")).containsExactly("iam-user-managers");
    assertThat(grants.<String>get("items[0].changeId")).isEqualTo(grant.changeId());
    assertThat(grants.<String>get("items[0].privilegedReason")).isEqualTo(REASON);

    JsonPath plainOnly =
        api()
            .queryParam("employeeId", emp)
            .queryParam("kind", "iam_change")
            .get("/v1/changes")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(plainOnly.getList("items.target")).containsExactly("developers");

    // The other filters combine with kind.
    assertThat(
            api()
                .queryParam("kind", "privileged_grant")
                .queryParam("employeeId", emp)
                .queryParam("account", "222222222222")
                .get("/v1/changes")
                .then()
                .extract()
                .<List<?>>path("items"))
        .isEmpty();
    assertThat(
            api()
                .queryParam("kind", "privileged_grant")
                .queryParam("employeeId", emp)
                .queryParam("from", T0.plusSeconds(2).toString())
                .get("/v1/changes")
                .then()
                .extract()
                .<List<?>>path("items"))
        .isEmpty();

    String csv =
        api()
            .queryParam("kind", "privileged_grant")
            .queryParam("employeeId", emp)
            .queryParam("format", "csv")
            .get("/v1/changes")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    List<String> lines = csv.lines().toList();
    assertThat(lines.get(0)).endsWith("at,kind,privilegedReason");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).contains("iam-user-managers").endsWith(",privileged_grant," + REASON);

    // The timeline and the HR event's changes show the grant under its own kind.
    JsonPath timeline = api().get("/v1/employees/" + emp + "/timeline").then().extract().jsonPath();
    assertThat(timeline.getList("entries.kind")).contains("privileged_grant", "iam_change");
    // The HR event comes on its own topic, through another consumer: it may be stored last.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        api()
                            .get("/v1/hr-events/" + hire.eventId())
                            .then()
                            .extract()
                            .jsonPath()
                            .getList("changes.kind"))
                    .containsExactlyInAnyOrder("iam_change", "privileged_grant"));

    // Hash-chained like every entry.
    api().get("/v1/integrity").then().statusCode(200).body("ok", is(true));
  }

  @Test
  void unknownKindIsABadParameter() {
    api()
        .queryParam("kind", "hr_event")
        .get("/v1/changes")
        .then()
        .statusCode(400)
        .body(containsString("kind"));
  }
}
