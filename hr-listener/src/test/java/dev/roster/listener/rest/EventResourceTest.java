package dev.roster.listener.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.WebhookSignature;
import dev.roster.listener.HrEventsTopicAccess;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * hr-listener end to end against a genuine Kafka broker (in-process KRaft): what a POST answers and
 * what it leaves on {@code hr.events}. One application start for all of it; the broker outage runs
 * last.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventResourceTest {
  /** Both configured in the test profile: rotation in progress. */
  static final String OLD_SECRET = "test-secret-old-0123456789abcdef";

  static final String NEW_SECRET = "test-secret-new-0123456789abcdef";

  // --- helpers ---------------------------------------------------------------------------------

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  static ObjectNode hire(String eventId, String employeeId) {
    ObjectNode event = EventJson.mapper().createObjectNode();
    event.put("eventId", eventId);
    event.put("type", "hire");
    event.put("employeeId", employeeId);
    event.put("occurredAt", "2026-11-28T09:00:00Z");
    ObjectNode employee = event.putObject("employee");
    employee.put("username", "alice.doe");
    employee.put("email", "alice.doe@example.com");
    employee.putArray("roles").add("developer");
    return event;
  }

  static byte[] bytes(JsonNode json) {
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  static Response post(String path, byte[] body, String secret) {
    return given()
        .contentType("application/json")
        .header(
            WebhookSignature.HEADER,
            WebhookSignature.sign(secret, Instant.now().getEpochSecond(), body))
        .body(body)
        .post(path);
  }

  /** A valid event for this employee, posted after the request under test; returns its id. */
  static String marker(String employeeId) {
    String id = unique("marker");
    post("/v1/events", bytes(hire(id, employeeId)), NEW_SECRET).then().statusCode(202);
    return id;
  }

  static List<ConsumerRecord<String, byte[]>> recordsOf(String eventId, String employeeId) {
    return HrEventsTopicAccess.withId(HrEventsTopicAccess.readUntil(marker(employeeId)), eventId);
  }

  // --- one event -------------------------------------------------------------------------------

  @Test
  @Order(1)
  void signedPostPutsExactlyOneRecordWithKeyCloudEventsHeadersAndBody() throws Exception {
    String eventId = unique("evt");
    String employeeId = unique("E");
    ObjectNode event = hire(eventId, employeeId);

    // Warm-up on a throwaway employee, so the figure below is a steady-state request.
    post("/v1/events", bytes(hire(unique("warm-up"), unique("E"))), NEW_SECRET);
    long start = System.nanoTime();
    Response response = post("/v1/events", bytes(event), NEW_SECRET);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    response
        .then()
        .statusCode(202)
        .body("eventId", equalTo(eventId))
        .body("status", equalTo("accepted"));
    io.quarkus.logging.Log.infof("one signed event acknowledged in %d ms", elapsedMs);

    List<ConsumerRecord<String, byte[]>> records = recordsOf(eventId, employeeId);
    assertThat(records).hasSize(1);
    ConsumerRecord<String, byte[]> record = records.get(0);
    assertThat(record.key()).isEqualTo(employeeId);
    assertThat(HrEventsTopicAccess.header(record, CloudEvents.HEADER_SPEC_VERSION))
        .isEqualTo("1.0");
    assertThat(HrEventsTopicAccess.header(record, CloudEvents.HEADER_ID)).isEqualTo(eventId);
    assertThat(HrEventsTopicAccess.header(record, CloudEvents.HEADER_TYPE))
        .isEqualTo("dev.roster.hr.hire");
    assertThat(HrEventsTopicAccess.header(record, CloudEvents.HEADER_SOURCE)).isEqualTo("hr");
    assertThat(HrEventsTopicAccess.header(record, CloudEvents.HEADER_TIME))
        .isEqualTo("2026-11-28T09:00:00Z");
    assertThat(HrEventsTopicAccess.header(record, "content-type")).isEqualTo("application/json");
    assertThat(HrEventsTopicAccess.header(record, CloudEvents.HEADER_SUBJECT))
        .isEqualTo(employeeId);
    // The value is the event as posted, with effectiveAt defaulted to occurredAt.
    event.put("effectiveAt", "2026-11-28T09:00:00Z");
    assertThat(EventJson.mapper().readTree(record.value())).isEqualTo(event);
  }

  @Test
  @Order(2)
  void eitherSecretOfARotationIsAccepted() {
    String employeeId = unique("E");
    String oldSigned = unique("evt-old");
    String newSigned = unique("evt-new");

    post("/v1/events", bytes(hire(oldSigned, employeeId)), OLD_SECRET).then().statusCode(202);
    post("/v1/events", bytes(hire(newSigned, employeeId)), NEW_SECRET).then().statusCode(202);

    var records = HrEventsTopicAccess.readUntil(marker(employeeId));
    assertThat(HrEventsTopicAccess.withId(records, oldSigned)).hasSize(1);
    assertThat(HrEventsTopicAccess.withId(records, newSigned)).hasSize(1);
  }

  @Test
  @Order(3)
  void theSameEventIdPostedAgainIsAcceptedAgain() {
    String eventId = unique("evt");
    String employeeId = unique("E");
    byte[] body = bytes(hire(eventId, employeeId));

    post("/v1/events", body, NEW_SECRET).then().statusCode(202);
    post("/v1/events", body, NEW_SECRET).then().statusCode(202);

    assertThat(recordsOf(eventId, employeeId)).hasSize(2);
  }

  @Test
  @Order(4)
  void unsignedPostIs401AndPublishesNothing() {
    String eventId = unique("evt");
    String employeeId = unique("E");

    given()
        .contentType("application/json")
        .body(bytes(hire(eventId, employeeId)))
        .post("/v1/events")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", notNullValue())
        .body("status", equalTo(401))
        .body("type", equalTo("https://roster.dev/problems/invalid-signature"))
        .body("detail", containsString("missing"));

    assertThat(recordsOf(eventId, employeeId)).isEmpty();
  }

  @Test
  @Order(5)
  void wrongSecretOrStaleSignatureIs401AndPublishesNothing() {
    String eventId = unique("evt");
    String employeeId = unique("E");
    byte[] body = bytes(hire(eventId, employeeId));

    post("/v1/events", body, "not-the-secret")
        .then()
        .statusCode(401)
        .body("detail", containsString("no v1 signature matches"));
    given()
        .contentType("application/json")
        .header(
            WebhookSignature.HEADER,
            WebhookSignature.sign(NEW_SECRET, Instant.now().getEpochSecond() - 301, body))
        .body(body)
        .post("/v1/events")
        .then()
        .statusCode(401)
        .body("detail", containsString("too far"));

    assertThat(recordsOf(eventId, employeeId)).isEmpty();
  }

  @Test
  @Order(6)
  void invalidEventIs400NamingEveryFieldAndPublishesNothing() {
    String eventId = unique("evt");
    String employeeId = unique("E");
    ObjectNode event = hire(eventId, employeeId);
    ((ObjectNode) event.get("employee")).put("username", "alice doe");
    ((ObjectNode) event.get("employee")).remove("roles");
    event.put("colour", "blue");

    post("/v1/events", bytes(event), NEW_SECRET)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("https://roster.dev/problems/invalid-event"))
        .body("instance", equalTo("/v1/events"))
        .body("errors.pointer", hasItems("/colour", "/employee/username", "/employee/roles"))
        .body("errors.reason", hasItem("must match [A-Za-z0-9+=,.@_-]{1,64}"));

    assertThat(recordsOf(eventId, employeeId)).isEmpty();
  }

  @Test
  @Order(6)
  void anEventDatedMoreThanFiveMinutesAheadIs400NamingOccurredAt() {
    String eventId = unique("evt");
    String employeeId = unique("E");
    ObjectNode event = hire(eventId, employeeId);
    event.put(
        "occurredAt",
        java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
            .plusMinutes(10)
            .withNano(0)
            .toString());

    post("/v1/events", bytes(event), NEW_SECRET)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("https://roster.dev/problems/invalid-event"))
        .body("errors.pointer", equalTo(List.of("/occurredAt")))
        .body("errors.reason", hasItem(containsString("5 minutes ahead")));

    assertThat(recordsOf(eventId, employeeId)).isEmpty();
  }

  @Test
  @Order(6)
  void moreThanFiftyRolesAre400NamingTheRolesList() {
    String eventId = unique("evt");
    String employeeId = unique("E");
    ObjectNode event = hire(eventId, employeeId);
    var roles = ((ObjectNode) event.get("employee")).putArray("roles");
    for (int i = 0; i < 51; i++) {
      roles.add("role-" + i);
    }

    post("/v1/events", bytes(event), NEW_SECRET)
        .then()
        .statusCode(400)
        .body("errors.pointer", equalTo(List.of("/employee/roles")))
        .body("errors.reason", hasItem("must hold at most 50 roles"));

    assertThat(recordsOf(eventId, employeeId)).isEmpty();
  }

  @Test
  @Order(7)
  void unknownTypeAndMalformedJsonAre400() {
    ObjectNode event = hire(unique("evt"), unique("E"));
    event.put("type", "promotion");
    post("/v1/events", bytes(event), NEW_SECRET)
        .then()
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/type"))
        .body("errors[0].reason", equalTo("must be one of hire, role_change, leave, cancel"));

    post("/v1/events", "{\"eventId\": ".getBytes(StandardCharsets.UTF_8), NEW_SECRET)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("https://roster.dev/problems/malformed-json"))
        .body("errors[0].pointer", equalTo(""));
  }

  @Test
  @Order(8)
  void wrongContentTypeIs415ProblemJson() {
    given()
        .contentType("text/plain")
        .body("hello")
        .post("/v1/events")
        .then()
        .statusCode(415)
        .contentType("application/problem+json")
        .body("type", equalTo("https://roster.dev/problems/unsupported-media-type"))
        .body("title", equalTo("Unsupported media type"))
        .body("status", equalTo(415))
        .body("detail", containsString("application/json"))
        .body("instance", equalTo("/v1/events"));
  }

  @Test
  @Order(9)
  void bodyOverOneMebibyteIs413ProblemJson() {
    ObjectNode event = hire(unique("evt"), unique("E"));
    event.put("reason", "x".repeat(1024 * 1024));

    post("/v1/events", bytes(event), NEW_SECRET)
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("type", equalTo("https://roster.dev/problems/body-too-large"))
        .body("title", equalTo("Request body too large"))
        .body("status", equalTo(413))
        .body("detail", containsString("1048576 bytes"))
        .body("instance", equalTo("/v1/events"));
  }

  @Test
  @Order(9)
  void duplicateKeysAndTrailingContentAreMalformedJsonWithLineAndColumn() {
    String eventId = unique("evt");
    String employeeId = unique("E");
    String event = hire(eventId, employeeId).toString();

    for (String body :
        List.of(event.replaceFirst("\\{", "{\"type\":\"leave\","), event + " {}", event + " x")) {
      post("/v1/events", body.getBytes(StandardCharsets.UTF_8), NEW_SECRET)
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("type", equalTo("https://roster.dev/problems/malformed-json"))
          .body("title", equalTo("Malformed JSON"))
          .body("instance", equalTo("/v1/events"))
          .body("errors.pointer", equalTo(List.of("")))
          .body("errors[0].reason", containsString(" at line 1, column "));
    }

    assertThat(recordsOf(eventId, employeeId)).isEmpty();
  }

  // --- effective dating and cancel ------------------------------------------------------------

  /** A leave of this employee effective on a date, read in {@code timeZone} (null: the default). */
  static ObjectNode leaveOn(String eventId, String employeeId, String date, String timeZone) {
    ObjectNode event = hire(eventId, employeeId);
    event.put("type", "leave");
    event.put("effectiveAt", date);
    event.remove("employee");
    if (timeZone != null) {
      event.putObject("employee").put("timeZone", timeZone);
    }
    return event;
  }

  /** The one record of this event on hr.events, as JSON. */
  static JsonNode published(String eventId, String employeeId) throws Exception {
    List<ConsumerRecord<String, byte[]>> records = recordsOf(eventId, employeeId);
    assertThat(records).hasSize(1);
    assertThat(records.get(0).key()).isEqualTo(employeeId);
    return EventJson.mapper().readTree(records.get(0).value());
  }

  @Test
  @Order(6)
  void aDateOnlyLeaveInAUtcPlus14ZoneIsPublishedAsTheLastSecondOfThatDayThere() throws Exception {
    String eventId = unique("evt");
    String employeeId = unique("E");

    post(
            "/v1/events",
            bytes(leaveOn(eventId, employeeId, "2026-12-04", "Pacific/Kiritimati")),
            NEW_SECRET)
        .then()
        .statusCode(202);

    JsonNode event = published(eventId, employeeId);
    // 2026-12-04T09:59:59Z: the leaver's day ends ten hours before it does in London.
    assertThat(event.get("effectiveAt").asText()).isEqualTo("2026-12-04T23:59:59+14:00");
    assertThat(event.at("/employee/timeZone").asText()).isEqualTo("Pacific/Kiritimati");
  }

  @Test
  @Order(6)
  void dateOnlyEventsOnADaylightSavingChangeDayGetThatDaysOffsets() throws Exception {
    String employeeId = unique("E");
    String leaveId = unique("evt-leave");
    String hireId = unique("evt-hire");
    ObjectNode hire = hire(hireId, employeeId);
    hire.put("effectiveAt", "2026-03-29");
    ((ObjectNode) hire.get("employee")).put("timeZone", "Europe/Berlin");

    // Berlin moves from +01:00 to +02:00 at 02:00 on 2026-03-29.
    post("/v1/events", bytes(hire), NEW_SECRET).then().statusCode(202);
    post(
            "/v1/events",
            bytes(leaveOn(leaveId, employeeId, "2026-03-29", "Europe/Berlin")),
            NEW_SECRET)
        .then()
        .statusCode(202);

    assertThat(published(hireId, employeeId).get("effectiveAt").asText())
        .isEqualTo("2026-03-29T00:00:00+01:00");
    assertThat(published(leaveId, employeeId).get("effectiveAt").asText())
        .isEqualTo("2026-03-29T23:59:59+02:00");

    // Santiago goes back from -03:00 to -04:00 at midnight after 2026-04-04: 23:59:59 happens
    // twice that evening, and the leave takes the earlier one.
    String santiagoId = unique("evt-leave");
    post(
            "/v1/events",
            bytes(leaveOn(santiagoId, employeeId, "2026-04-04", "America/Santiago")),
            NEW_SECRET)
        .then()
        .statusCode(202);
    assertThat(published(santiagoId, employeeId).get("effectiveAt").asText())
        .isEqualTo("2026-04-04T23:59:59-03:00");
  }

  @Test
  @Order(6)
  void aDateOnlyEventWithoutTimeZoneIsReadInTheConfiguredDefaultZone() throws Exception {
    // The test profile sets roster.default-time-zone=America/New_York (EST, -05:00, in December).
    String eventId = unique("evt");
    String employeeId = unique("E");

    post("/v1/events", bytes(leaveOn(eventId, employeeId, "2026-12-04", null)), NEW_SECRET)
        .then()
        .statusCode(202);

    assertThat(published(eventId, employeeId).get("effectiveAt").asText())
        .isEqualTo("2026-12-04T23:59:59-05:00");
  }

  @Test
  @Order(6)
  void aTimeZoneThatIsNotAnIanaNameIs400NamingIt() {
    String eventId = unique("evt");
    String employeeId = unique("E");

    post(
            "/v1/events",
            bytes(leaveOn(eventId, employeeId, "2026-12-04", "Europe/Atlantis")),
            NEW_SECRET)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.pointer", equalTo(List.of("/employee/timeZone")))
        .body(
            "errors.reason",
            equalTo(List.of("must be an IANA time zone name, e.g. Europe/Berlin")));

    assertThat(recordsOf(eventId, employeeId)).isEmpty();
  }

  /** A cancel of {@code cancelsEventId} (null: the field left out). */
  static ObjectNode cancel(String eventId, String employeeId, String cancelsEventId) {
    ObjectNode event = EventJson.mapper().createObjectNode();
    event.put("eventId", eventId);
    event.put("type", "cancel");
    event.put("employeeId", employeeId);
    event.put("occurredAt", "2026-11-28T09:30:00Z");
    event.put("reason", "resignation withdrawn");
    if (cancelsEventId != null) {
      event.put("cancelsEventId", cancelsEventId);
    }
    return event;
  }

  @Test
  @Order(6)
  void aCancelIsPublishedKeyedByEmployeeWithoutEffectiveAt() throws Exception {
    String employeeId = unique("E");
    String leaveId = unique("evt-leave");
    String cancelId = unique("evt-cancel");
    post(
            "/v1/events",
            bytes(leaveOn(leaveId, employeeId, "2026-12-04", "Europe/Berlin")),
            NEW_SECRET)
        .then()
        .statusCode(202);
    ObjectNode cancel = cancel(cancelId, employeeId, leaveId);

    post("/v1/events", bytes(cancel), NEW_SECRET)
        .then()
        .statusCode(202)
        .body("eventId", equalTo(cancelId));

    List<ConsumerRecord<String, byte[]>> records = recordsOf(cancelId, employeeId);
    assertThat(records).hasSize(1);
    ConsumerRecord<String, byte[]> record = records.get(0);
    assertThat(record.key()).isEqualTo(employeeId);
    assertThat(HrEventsTopicAccess.header(record, CloudEvents.HEADER_TYPE))
        .isEqualTo("dev.roster.hr.cancel");
    // As posted: a cancel takes effect when received, so no effectiveAt is filled in.
    assertThat(EventJson.mapper().readTree(record.value())).isEqualTo(cancel);
  }

  @Test
  @Order(6)
  void aCancelWithoutCancelsEventIdIs400NamingItAndPublishesNothing() {
    String eventId = unique("evt-cancel");
    String employeeId = unique("E");

    post("/v1/events", bytes(cancel(eventId, employeeId, null)), NEW_SECRET)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("https://roster.dev/problems/invalid-event"))
        .body("errors.pointer", equalTo(List.of("/cancelsEventId")))
        .body("errors.reason", equalTo(List.of("is required for type cancel")));
    ObjectNode dated = cancel(eventId, employeeId, unique("evt"));
    dated.put("effectiveAt", "2026-12-04");
    post("/v1/events", bytes(dated), NEW_SECRET)
        .then()
        .statusCode(400)
        .body("errors.pointer", equalTo(List.of("/effectiveAt")))
        .body("errors.reason", hasItem(containsString("not allowed for type cancel")));

    assertThat(recordsOf(eventId, employeeId)).isEmpty();
  }

  // --- batches ---------------------------------------------------------------------------------

  @Test
  @Order(10)
  void batchWithOneBadItemIs400ByIndexAndPublishesNothing() {
    String employeeId = unique("E");
    ArrayNode batch = EventJson.mapper().createArrayNode();
    List<String> ids = List.of(unique("evt"), unique("evt"), unique("evt"), unique("evt"));
    ids.forEach(id -> batch.add(hire(id, employeeId)));
    ((ObjectNode) batch.get(3).get("employee")).remove("roles");

    post("/v1/events/batch", bytes(batch), NEW_SECRET)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.pointer", equalTo(List.of("/3/employee/roles")))
        .body("errors.reason", equalTo(List.of("is required for type hire")));

    var records = HrEventsTopicAccess.readUntil(marker(employeeId));
    ids.forEach(id -> assertThat(HrEventsTopicAccess.withId(records, id)).as(id).isEmpty());
  }

  @Test
  @Order(11)
  void validBatchPutsEveryEventOnceInOrder() {
    String employeeId = unique("E");
    ArrayNode batch = EventJson.mapper().createArrayNode();
    List<String> ids = List.of(unique("evt-1"), unique("evt-2"), unique("evt-3"));
    ids.forEach(id -> batch.add(hire(id, employeeId)));
    ((ObjectNode) batch.get(1)).put("type", "role_change");
    ((ObjectNode) batch.get(2)).put("type", "leave");
    ((ObjectNode) batch.get(2)).remove("employee");

    post("/v1/events/batch", bytes(batch), NEW_SECRET)
        .then()
        .statusCode(202)
        .body("status", equalTo("accepted"))
        .body("count", equalTo(3))
        .body("eventIds", equalTo(ids));

    var records = HrEventsTopicAccess.readUntil(marker(employeeId));
    List<String> published =
        records.stream()
            .map(r -> HrEventsTopicAccess.header(r, CloudEvents.HEADER_ID))
            .filter(ids::contains)
            .toList();
    assertThat(published).isEqualTo(ids);
    assertThat(
            records.stream()
                .filter(r -> ids.contains(HrEventsTopicAccess.header(r, CloudEvents.HEADER_ID)))
                .map(r -> HrEventsTopicAccess.header(r, CloudEvents.HEADER_TYPE)))
        .containsExactly("dev.roster.hr.hire", "dev.roster.hr.role_change", "dev.roster.hr.leave");
  }

  @Test
  @Order(11)
  void aBatchReadsDateOnlyEffectiveDatesInEachEmployeesZoneElseTheDefault() throws Exception {
    String employeeId = unique("E");
    String ownZone = unique("evt-kiritimati");
    String defaultZone = unique("evt-default");
    String cancelId = unique("evt-cancel");
    ArrayNode batch = EventJson.mapper().createArrayNode();
    batch.add(leaveOn(ownZone, employeeId, "2026-12-04", "Pacific/Kiritimati"));
    batch.add(leaveOn(defaultZone, employeeId, "2026-12-05", null));
    batch.add(cancel(cancelId, employeeId, ownZone));

    post("/v1/events/batch", bytes(batch), NEW_SECRET)
        .then()
        .statusCode(202)
        .body("eventIds", equalTo(List.of(ownZone, defaultZone, cancelId)));

    var records = HrEventsTopicAccess.readUntil(marker(employeeId));
    assertThat(effectiveAt(records, ownZone)).isEqualTo("2026-12-04T23:59:59+14:00");
    assertThat(effectiveAt(records, defaultZone)).isEqualTo("2026-12-05T23:59:59-05:00");
    assertThat(
            EventJson.mapper()
                .readTree(HrEventsTopicAccess.withId(records, cancelId).get(0).value())
                .has("effectiveAt"))
        .isFalse();

    ArrayNode bad = EventJson.mapper().createArrayNode();
    bad.add(leaveOn(unique("evt"), employeeId, "2026-12-04", "UTC+14"));
    bad.add(cancel(unique("evt-cancel"), employeeId, null));
    post("/v1/events/batch", bytes(bad), NEW_SECRET)
        .then()
        .statusCode(400)
        .body("errors.pointer", equalTo(List.of("/0/employee/timeZone", "/1/cancelsEventId")));
  }

  static String effectiveAt(List<ConsumerRecord<String, byte[]>> records, String eventId)
      throws Exception {
    List<ConsumerRecord<String, byte[]>> found = HrEventsTopicAccess.withId(records, eventId);
    assertThat(found).as(eventId).hasSize(1);
    return EventJson.mapper().readTree(found.get(0).value()).get("effectiveAt").asText();
  }

  @Test
  @Order(12)
  void batchOfExactly1000IsAcceptedWhole() {
    String employeeId = unique("E");
    ArrayNode batch = EventJson.mapper().createArrayNode();
    for (int i = 0; i < 1000; i++) {
      batch.add(hire(unique("evt-" + i), employeeId));
    }

    byte[] body = bytes(batch);
    long start = System.nanoTime();
    Response response = post("/v1/events/batch", body, NEW_SECRET);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    response.then().statusCode(202).body("count", equalTo(1000));
    io.quarkus.logging.Log.infof(
        "batch of 1000 (%d bytes) acknowledged in %d ms", body.length, elapsedMs);

    var records = HrEventsTopicAccess.readUntil(marker(employeeId));
    assertThat(records.stream().filter(r -> employeeId.equals(r.key()))).hasSize(1001);
  }

  @Test
  @Order(13)
  void batchOfMoreThan1000Is400() {
    ArrayNode batch = EventJson.mapper().createArrayNode();
    for (int i = 0; i < 1001; i++) {
      batch.add(hire("evt-" + i, "E" + i));
    }

    post("/v1/events/batch", bytes(batch), NEW_SECRET)
        .then()
        .statusCode(400)
        .body("type", equalTo("https://roster.dev/problems/invalid-batch"));
  }

  @Test
  @Order(13)
  void aBatchThatIsNotAnArrayOrIsEmptyIs400InvalidBatch() {
    String eventId = unique("evt");
    String employeeId = unique("E");

    post("/v1/events/batch", bytes(hire(eventId, employeeId)), NEW_SECRET)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("https://roster.dev/problems/invalid-batch"))
        .body("errors.pointer", equalTo(List.of("")));
    post("/v1/events/batch", "[]".getBytes(StandardCharsets.UTF_8), NEW_SECRET)
        .then()
        .statusCode(400)
        .body("type", equalTo("https://roster.dev/problems/invalid-batch"))
        .body("errors.reason", equalTo(List.of("must hold 1 to 1000 events")));

    assertThat(recordsOf(eventId, employeeId)).isEmpty();
  }

  // --- service endpoints -----------------------------------------------------------------------

  @Test
  @Order(20)
  void servesTheJsonSchema() {
    given()
        .get("/v1/schema")
        .then()
        .statusCode(200)
        .contentType("application/schema+json")
        .body("$schema", equalTo("https://json-schema.org/draft/2020-12/schema"))
        .body("required", hasItems("eventId", "type", "employeeId", "occurredAt"));
  }

  @Test
  @Order(21)
  void readinessIncludesKafka() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem(containsString("Kafka")));
  }

  @Test
  @Order(22)
  void metricsCountAcceptedRejectedAndPublishLatency() {
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("roster_events_accepted_total{type=\"hire\"}"))
        .body(containsString("roster_events_rejected_total{reason=\"signature_missing\"} 1.0"))
        .body(containsString("roster_events_rejected_total{reason=\"invalid_event\"}"))
        .body(containsString("roster_events_publish_seconds_count{outcome=\"acked\"}"))
        .body(containsString("roster_events_publish_seconds_bucket{outcome=\"acked\""));

    // Every reason the README lists is registered up front, on both refusal counters.
    String metrics = given().get("/q/metrics").asString();
    for (String reason :
        List.of(
            "malformed_json",
            "invalid_event",
            "invalid_batch",
            "signature_missing",
            "signature_malformed",
            "signature_stale",
            "signature_mismatch",
            "body_too_large",
            "unsupported_media_type",
            "kafka_unavailable",
            "unverified_bytes_exceeded",
            "malformed_csv",
            "invalid_snapshot",
            "invalid_approval",
            "invalid_parameter",
            "snapshots_in_flight_exceeded")) {
      assertThat(metrics)
          .contains("roster_events_rejected_total{reason=\"" + reason + "\"}")
          .contains("roster_snapshots_rejected_total{reason=\"" + reason + "\"}");
    }
    assertThat(metrics).contains("roster_events_rejected_total{reason=\"malformed_csv\"} 0.0");
  }

  @Test
  @Order(23)
  void openApiDescribesTheEndpoints() {
    given()
        .get("/q/openapi?format=json")
        .then()
        .statusCode(200)
        .body("paths", org.hamcrest.Matchers.hasKey("/v1/events"))
        .body("paths", org.hamcrest.Matchers.hasKey("/v1/events/batch"));
  }

  // --- broker outage (last: it stops the broker) -----------------------------------------------

  // --- unverified bytes across requests -------------------------------------------------------

  @Test
  @Order(30)
  void whileHeldUnverifiedBytesFillTheCapLargeBodiesGet503AndSmallOnesPass() throws Exception {
    // The test profile caps unverified bytes at 1.5 MiB. A client that declares 1 MiB and then
    // sends almost nothing holds 1 MiB of it for as long as the connection stays open.
    byte[] large = new byte[600 * 1024];
    java.util.Arrays.fill(large, (byte) ' ');
    try (Socket slow = new Socket("localhost", RestAssured.port)) {
      OutputStream out = slow.getOutputStream();
      out.write(
          ("POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + (1024 * 1024)
                  + "\r\n\r\n{")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  given()
                      .contentType("application/json")
                      .body(large)
                      .post("/v1/events")
                      .then()
                      .statusCode(503)
                      .header("Retry-After", equalTo("5"))
                      .contentType("application/problem+json")
                      .body("type", equalTo("https://roster.dev/problems/overloaded"))
                      .body("status", equalTo(503)));

      // A chunked body declares no length, so it counts as the 1 MiB it may grow to.
      try (Socket chunked = new Socket("localhost", RestAssured.port)) {
        chunked.setSoTimeout(30_000);
        chunked
            .getOutputStream()
            .write(
                ("POST /v1/events HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "2\r\n{}\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        String statusLine =
            new java.io.BufferedReader(
                    new java.io.InputStreamReader(
                        chunked.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        assertThat(statusLine).startsWith("HTTP/1.1 503");
      }

      // A small signed event still fits beside the held bytes.
      String eventId = unique("evt");
      post("/v1/events", bytes(hire(eventId, unique("E"))), NEW_SECRET).then().statusCode(202);
    }

    // The slow client is gone: its bytes are given back, the same large body reaches the
    // signature check (and, unsigned, is refused there).
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                given()
                    .contentType("application/json")
                    .body(large)
                    .post("/v1/events")
                    .then()
                    .statusCode(401));
  }

  /** The README's known limit: Quarkus' own limit answers a chunked body over 1 MiB, empty. */
  @Test
  @Order(31)
  void aChunkedBodyOverOneMebibyteGetsQuarkusEmpty413() throws Exception {
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) ' ');
    try (Socket socket = new Socket("localhost", RestAssured.port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream());
      out.write(
          ("POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      try {
        for (int sent = 0; sent <= 1024 * 1024; sent += chunk.length) {
          out.write(
              (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (java.io.IOException closedEarly) {
        // The server may answer and close before the whole body is sent; its answer is read below.
      }
      var reader =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(reader.readLine()).startsWith("HTTP/1.1 413");
      List<String> headers = new java.util.ArrayList<>();
      for (String line = reader.readLine(); line != null && !line.isEmpty(); ) {
        headers.add(line.toLowerCase(java.util.Locale.ROOT));
        line = reader.readLine();
      }
      assertThat(headers).noneMatch(h -> h.startsWith("content-type:"));
      assertThat(headers).contains("content-length: 0");
    }
  }

  @Test
  @Order(100)
  void brokerDownIs503AndTheRetryAfterItIsBackLandsExactlyOnce() {
    String eventId = unique("evt");
    String employeeId = unique("E");
    byte[] body = bytes(hire(eventId, employeeId));

    KafkaTestResource.broker().stop();
    try {
      post("/v1/events", body, NEW_SECRET)
          .then()
          .statusCode(503)
          .contentType("application/problem+json")
          .header("Retry-After", equalTo("5"))
          .body("type", equalTo("https://roster.dev/problems/kafka-unavailable"));
    } finally {
      KafkaTestResource.broker().start();
    }

    // HR retries until accepted; the producer reconnects on its own.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> post("/v1/events", body, NEW_SECRET).statusCode() == 202);

    assertThat(recordsOf(eventId, employeeId)).hasSize(1);
  }
}
