package dev.roster.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventValidatorTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.roster.events.EventCases#valid")
  void acceptsEveryValidShape(String name, JsonNode event) {
    Validation result = EventValidator.validate(event);

    assertThat(result.errors()).isEmpty();
    assertThat(result.event().eventId()).isEqualTo(event.get("eventId").textValue());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.roster.events.EventCases#invalid")
  void rejectsEachBrokenRuleWithItsPointer(
      String name, JsonNode event, String pointer, String reason) {
    Validation result = EventValidator.validate(event);

    assertThat(result.isValid()).isFalse();
    assertThat(result.errors()).containsExactly(new FieldError(pointer, reason));
  }

  @Test
  void reportsEveryErrorAtOnceNotJustTheFirst() {
    ObjectNode event = EventCases.hire();
    event.put("eventId", "bad id");
    event.put("employeeId", "");
    event.put("colour", "blue");
    EventCases.employee(event).remove("roles");
    EventCases.employee(event).put("username", "alice doe");

    assertThat(EventValidator.validate(event).errors())
        .extracting(FieldError::pointer)
        .containsExactlyInAnyOrder(
            "/colour", "/eventId", "/employeeId", "/employee/username", "/employee/roles");
  }

  @Test
  void rejectsADocumentThatIsNotAnObject() {
    assertThat(EventValidator.validate(EventJson.mapper().createArrayNode()).errors())
        .containsExactly(new FieldError("", "must be a JSON object"));
  }

  @Test
  void mapsEveryFieldKeepingTheOffsetHrSent() {
    ObjectNode json = EventCases.hire();
    json.put("occurredAt", "2026-11-28T11:00:00+02:00");
    json.put("effectiveAt", "2026-12-01T00:00:00+01:00");

    HrEvent event = EventValidator.validate(json).event();

    assertThat(event)
        .isEqualTo(
            new HrEvent(
                "evt-2026-11-28-0001",
                EventType.HIRE,
                "E1001",
                OffsetDateTime.parse("2026-11-28T11:00:00+02:00"),
                OffsetDateTime.parse("2026-12-01T00:00:00+01:00"),
                new Employee(
                    "alice.doe",
                    "alice.doe@example.com",
                    "Alice Doe",
                    "Engineering",
                    "Backend Engineer",
                    List.of("developer")),
                "optional free text"));
  }

  @Test
  void effectiveAtDefaultsToOccurredAt() {
    ObjectNode json = EventCases.hire();
    json.remove("effectiveAt");

    HrEvent event = EventValidator.validate(json).event();

    assertThat(event.effectiveAt()).isEqualTo(event.occurredAt());
  }

  @Test
  void leaveWithoutEmployeeMapsToNoEmployee() {
    ObjectNode json = EventCases.hire();
    json.put("type", "leave");
    json.remove("employee");

    HrEvent event = EventValidator.validate(json).event();

    assertThat(event.type()).isEqualTo(EventType.LEAVE);
    assertThat(event.employee()).isNull();
  }

  @Test
  void emptyRolesStayEmptyNotAbsent() {
    ObjectNode json = EventCases.hire();
    EventCases.employee(json).putArray("roles");

    assertThat(EventValidator.validate(json).event().employee().roles()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{\"eventId\": ",
        "not json",
        "{\"eventId\": \"a\", \"eventId\": \"b\"}",
        "{} {}",
      })
  void rejectsMalformedJsonAtTheDocumentRoot(String body) {
    Validation result = EventValidator.validate(body.getBytes(StandardCharsets.UTF_8));

    assertThat(result.errors()).hasSize(1);
    assertThat(result.errors().get(0).pointer()).isEmpty();
    assertThat(result.errors().get(0).reason()).startsWith("malformed JSON");
  }

  @Test
  void validatesRawBytes() {
    Validation result = EventValidator.validate(EventCases.HIRE.getBytes(StandardCharsets.UTF_8));

    assertThat(result.isValid()).isTrue();
    assertThat(result.event().type()).isEqualTo(EventType.HIRE);
  }

  @Test
  void prefixesPointersForBatchItems() {
    assertThat(new FieldError("/employee/roles", "x").under("/3"))
        .isEqualTo(new FieldError("/3/employee/roles", "x"));
  }

  @Test
  void anEventDatedMoreThanFiveMinutesAheadIsRefusedNamingOccurredAt() {
    HrEvent event = EventValidator.validate(EventCases.hire()).event();
    java.time.Instant at = event.occurredAt().toInstant();

    assertThat(EventValidator.futureOccurredAt(event, at.minusSeconds(301)))
        .contains(
            new FieldError(
                "/occurredAt", "must not be more than 5 minutes ahead of the server's clock"));
    assertThat(EventValidator.futureOccurredAt(event, at.minusSeconds(300))).isEmpty();
    assertThat(EventValidator.futureOccurredAt(event, at.plusSeconds(3600))).isEmpty();
  }
}
