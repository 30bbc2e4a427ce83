package dev.roster.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The table of field rules, shared by the validator test and the schema test so that the shipped
 * JSON Schema and {@link EventValidator} cannot drift apart.
 */
final class EventCases {
  private EventCases() {}

  static final String HIRE =
      """
      {
        "eventId": "evt-2026-11-28-0001",
        "type": "hire",
        "employeeId": "E1001",
        "occurredAt": "2026-11-28T09:00:00Z",
        "effectiveAt": "2026-11-28T09:00:00Z",
        "employee": {
          "username": "alice.doe",
          "email": "alice.doe@example.com",
          "displayName": "Alice Doe",
          "department": "Engineering",
          "title": "Backend Engineer",
          "roles": ["developer"]
        },
        "reason": "optional free text"
      }
      """;

  static ObjectNode hire() {
    try {
      return (ObjectNode) EventJson.mapper().readTree(HIRE);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode employee(ObjectNode event) {
    return (ObjectNode) event.get("employee");
  }

  static JsonNode with(Consumer<ObjectNode> change) {
    ObjectNode event = hire();
    change.accept(event);
    return event;
  }

  static String repeat(char c, int n) {
    return String.valueOf(c).repeat(n);
  }

  /** Events that must be accepted: name, document. */
  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("the issue's example", hire()),
        Arguments.of(
            "exactly 50 roles",
            with(
                e -> {
                  var roles = employee(e).putArray("roles");
                  for (int i = 0; i < EventValidator.MAX_ROLES; i++) {
                    roles.add("role-" + i);
                  }
                })),
        Arguments.of(
            "hire with no roles (birthright access only)",
            with(e -> employee(e).putArray("roles"))),
        Arguments.of(
            "hire with only the required fields",
            with(
                e -> {
                  e.remove("effectiveAt");
                  e.remove("reason");
                  ObjectNode emp = employee(e);
                  emp.retain("username", "roles");
                })),
        Arguments.of(
            "role_change without username",
            with(
                e -> {
                  e.put("type", "role_change");
                  employee(e).remove("username");
                })),
        Arguments.of(
            "leave without employee",
            with(
                e -> {
                  e.put("type", "leave");
                  e.remove("employee");
                })),
        Arguments.of(
            "leave with employee null",
            with(
                e -> {
                  e.put("type", "leave");
                  e.putNull("employee");
                })),
        Arguments.of(
            "leave with employee but no roles",
            with(
                e -> {
                  e.put("type", "leave");
                  employee(e).remove("roles");
                })),
        Arguments.of("effectiveAt null", with(e -> e.putNull("effectiveAt"))),
        Arguments.of("effectiveAt a date", with(e -> e.put("effectiveAt", "2026-12-04"))),
        Arguments.of(
            "timeZone an IANA name", with(e -> employee(e).put("timeZone", "Pacific/Kiritimati"))),
        Arguments.of(
            "cancel with only the required fields",
            with(
                e -> {
                  e.put("type", "cancel");
                  e.remove("employee");
                  e.remove("effectiveAt");
                  e.put("cancelsEventId", "evt-2026-11-20-0042");
                })),
        Arguments.of("reason null", with(e -> e.putNull("reason"))),
        Arguments.of("offset +02:00", with(e -> e.put("occurredAt", "2026-11-28T11:00:00+02:00"))),
        Arguments.of("offset -05:30", with(e -> e.put("effectiveAt", "2026-11-28T03:30:00-05:30"))),
        Arguments.of(
            "fractional seconds", with(e -> e.put("occurredAt", "2026-11-28T09:00:00.123456789Z"))),
        Arguments.of("eventId of every allowed char", with(e -> e.put("eventId", "aZ09._:-"))),
        Arguments.of("eventId of 128 chars", with(e -> e.put("eventId", repeat('a', 128)))),
        Arguments.of("employeeId of every allowed char", with(e -> e.put("employeeId", "aZ09._-"))),
        Arguments.of("employeeId of 64 chars", with(e -> e.put("employeeId", repeat('7', 64)))),
        Arguments.of(
            "username of every allowed char",
            with(e -> employee(e).put("username", "aZ09+=,.@_-"))),
        Arguments.of(
            "username of 64 chars", with(e -> employee(e).put("username", repeat('u', 64)))),
        Arguments.of(
            "role with spaces and 128 chars",
            with(e -> employee(e).putArray("roles").add("Backend Engineer").add(repeat('r', 128)))),
        Arguments.of(
            "displayName of 256 chars",
            with(e -> employee(e).put("displayName", repeat('d', 256)))),
        Arguments.of(
            "department and title of 256 chars",
            with(
                e -> {
                  employee(e).put("department", repeat('d', 256));
                  employee(e).put("title", repeat('t', 256));
                })),
        Arguments.of(
            "email of 254 chars",
            with(e -> employee(e).put("email", repeat('e', 242) + "@example.com"))),
        Arguments.of(
            "cancel with an employee",
            with(
                e -> {
                  e.put("type", "cancel");
                  e.remove("effectiveAt");
                  e.put("cancelsEventId", "evt-2026-11-20-0042");
                })),
        Arguments.of("reason of 2000 chars", with(e -> e.put("reason", repeat('x', 2000)))));
  }

  /** Events that must be rejected: name, document, expected pointer, expected reason. */
  static Stream<Arguments> invalid() {
    String eventIdRule = "must match " + EventValidator.EVENT_ID_RULE;
    String employeeIdRule = "must match " + EventValidator.EMPLOYEE_ID_RULE;
    String usernameRule = "must match " + EventValidator.USERNAME_RULE;
    return Stream.of(
        // eventId
        invalid("eventId missing", e -> e.remove("eventId"), "/eventId", "is required"),
        invalid("eventId null", e -> e.putNull("eventId"), "/eventId", "is required"),
        invalid("eventId empty", e -> e.put("eventId", ""), "/eventId", eventIdRule),
        invalid(
            "eventId of 129 chars",
            e -> e.put("eventId", repeat('a', 129)),
            "/eventId",
            eventIdRule),
        invalid("eventId with space", e -> e.put("eventId", "evt 1"), "/eventId", eventIdRule),
        invalid("eventId with slash", e -> e.put("eventId", "evt/1"), "/eventId", eventIdRule),
        invalid("eventId a number", e -> e.put("eventId", 42), "/eventId", "must be a string"),
        // type
        invalid("type missing", e -> e.remove("type"), "/type", "is required"),
        invalid("type unknown", e -> e.put("type", "fire"), "/type", EventValidator.BAD_TYPE),
        invalid("type upper case", e -> e.put("type", "HIRE"), "/type", EventValidator.BAD_TYPE),
        invalid("type a number", e -> e.put("type", 1), "/type", "must be a string"),
        // employeeId
        invalid("employeeId missing", e -> e.remove("employeeId"), "/employeeId", "is required"),
        invalid("employeeId empty", e -> e.put("employeeId", ""), "/employeeId", employeeIdRule),
        invalid(
            "employeeId with colon",
            e -> e.put("employeeId", "E:1"),
            "/employeeId",
            employeeIdRule),
        invalid(
            "employeeId of 65 chars",
            e -> e.put("employeeId", repeat('7', 65)),
            "/employeeId",
            employeeIdRule),
        invalid(
            "employeeId a number",
            e -> e.put("employeeId", 1001),
            "/employeeId",
            "must be a string"),
        // timestamps
        invalid("occurredAt missing", e -> e.remove("occurredAt"), "/occurredAt", "is required"),
        invalid(
            "occurredAt without offset",
            e -> e.put("occurredAt", "2026-11-28T09:00:00"),
            "/occurredAt",
            EventValidator.BAD_TIMESTAMP),
        invalid(
            "occurredAt without seconds",
            e -> e.put("occurredAt", "2026-11-28T09:00Z"),
            "/occurredAt",
            EventValidator.BAD_TIMESTAMP),
        invalid(
            "occurredAt a date",
            e -> e.put("occurredAt", "2026-11-28"),
            "/occurredAt",
            EventValidator.BAD_TIMESTAMP),
        invalid(
            "occurredAt month 13",
            e -> e.put("occurredAt", "2026-13-28T09:00:00Z"),
            "/occurredAt",
            EventValidator.BAD_TIMESTAMP),
        invalid(
            "occurredAt epoch seconds as string",
            e -> e.put("occurredAt", "1700000000"),
            "/occurredAt",
            EventValidator.BAD_TIMESTAMP),
        invalid(
            "occurredAt a number",
            e -> e.put("occurredAt", 1700000000),
            "/occurredAt",
            "must be a string"),
        invalid(
            "effectiveAt not a date",
            e -> e.put("effectiveAt", "tomorrow"),
            "/effectiveAt",
            EventValidator.BAD_EFFECTIVE_AT),
        invalid(
            "effectiveAt a date that does not exist",
            e -> e.put("effectiveAt", "2026-02-30"),
            "/effectiveAt",
            EventValidator.BAD_EFFECTIVE_AT),
        invalid(
            "effectiveAt a date-time without offset",
            e -> e.put("effectiveAt", "2026-12-04T17:00:00"),
            "/effectiveAt",
            EventValidator.BAD_EFFECTIVE_AT),
        // cancel
        invalid(
            "cancel without cancelsEventId",
            e -> {
              e.put("type", "cancel");
              e.remove("employee");
              e.remove("effectiveAt");
            },
            "/cancelsEventId",
            "is required for type cancel"),
        invalid(
            "cancel with effectiveAt",
            e -> {
              e.put("type", "cancel");
              e.put("cancelsEventId", "evt-1");
            },
            "/effectiveAt",
            EventValidator.NOT_FOR_CANCEL),
        invalid(
            "cancelsEventId with a space",
            e -> {
              e.put("type", "cancel");
              e.remove("effectiveAt");
              e.put("cancelsEventId", "evt 1");
            },
            "/cancelsEventId",
            "must match " + EventValidator.EVENT_ID_RULE),
        invalid(
            "cancelsEventId on a leave",
            e -> {
              e.put("type", "leave");
              e.put("cancelsEventId", "evt-1");
            },
            "/cancelsEventId",
            EventValidator.ONLY_FOR_CANCEL),
        // employee
        invalid(
            "employee a string",
            e -> e.put("employee", "alice"),
            "/employee",
            "must be a JSON object"),
        invalid(
            "hire without employee",
            e -> e.remove("employee"),
            "/employee",
            "is required for type hire"),
        invalid(
            "hire without username",
            e -> employee(e).remove("username"),
            "/employee/username",
            "is required for type hire"),
        invalid(
            "hire with username null",
            e -> employee(e).putNull("username"),
            "/employee/username",
            "is required for type hire"),
        invalid(
            "more than 50 roles",
            e -> {
              var roles = employee(e).putArray("roles");
              for (int i = 0; i <= EventValidator.MAX_ROLES; i++) {
                roles.add("role-" + i);
              }
            },
            "/employee/roles",
            "must hold at most 50 roles"),
        invalid(
            "hire without roles",
            e -> employee(e).remove("roles"),
            "/employee/roles",
            "is required for type hire"),
        invalid(
            "role_change without roles",
            e -> {
              e.put("type", "role_change");
              employee(e).remove("roles");
            },
            "/employee/roles",
            "is required for type role_change"),
        invalid(
            "role_change without employee",
            e -> {
              e.put("type", "role_change");
              e.remove("employee");
            },
            "/employee",
            "is required for type role_change"),
        invalid(
            "username with space",
            e -> employee(e).put("username", "alice doe"),
            "/employee/username",
            usernameRule),
        invalid(
            "username with slash",
            e -> employee(e).put("username", "alice/doe"),
            "/employee/username",
            usernameRule),
        invalid(
            "username empty",
            e -> employee(e).put("username", ""),
            "/employee/username",
            usernameRule),
        invalid(
            "username of 65 chars",
            e -> employee(e).put("username", repeat('u', 65)),
            "/employee/username",
            usernameRule),
        invalid(
            "username on a leave still follows IAM rules",
            e -> {
              e.put("type", "leave");
              employee(e).put("username", "alice doe");
            },
            "/employee/username",
            usernameRule),
        invalid(
            "roles a string",
            e -> employee(e).put("roles", "developer"),
            "/employee/roles",
            "must be an array of strings"),
        invalid(
            "role a number",
            e -> employee(e).putArray("roles").add(1),
            "/employee/roles/0",
            "must be a string"),
        invalid(
            "role empty",
            e -> employee(e).putArray("roles").add("developer").add(""),
            "/employee/roles/1",
            EventValidator.BAD_ROLE),
        invalid(
            "role blank",
            e -> employee(e).putArray("roles").add("  "),
            "/employee/roles/0",
            EventValidator.BAD_ROLE),
        invalid(
            "role with a newline",
            e -> employee(e).putArray("roles").add("dev\nops"),
            "/employee/roles/0",
            EventValidator.BAD_ROLE),
        invalid(
            "role of 129 chars",
            e -> employee(e).putArray("roles").add(repeat('r', 129)),
            "/employee/roles/0",
            EventValidator.BAD_ROLE),
        invalid(
            "email without @",
            e -> employee(e).put("email", "alice.example.com"),
            "/employee/email",
            EventValidator.BAD_EMAIL),
        invalid(
            "email of 255 chars",
            e -> employee(e).put("email", repeat('a', 243) + "@example.com"),
            "/employee/email",
            EventValidator.BAD_EMAIL),
        invalid(
            "displayName of 257 chars",
            e -> employee(e).put("displayName", repeat('d', 257)),
            "/employee/displayName",
            "must be at most 256 characters"),
        invalid(
            "department of 257 chars",
            e -> employee(e).put("department", repeat('d', 257)),
            "/employee/department",
            "must be at most 256 characters"),
        invalid(
            "title of 257 chars",
            e -> employee(e).put("title", repeat('t', 257)),
            "/employee/title",
            "must be at most 256 characters"),
        invalid(
            "department a number",
            e -> employee(e).put("department", 7),
            "/employee/department",
            "must be a string"),
        invalid(
            "title an object",
            e -> employee(e).putObject("title"),
            "/employee/title",
            "must be a string"),
        invalid(
            "reason of 2001 chars",
            e -> e.put("reason", repeat('x', 2001)),
            "/reason",
            "must be at most 2000 characters"),
        // unknown fields
        invalid("unknown top-level field", e -> e.put("eventID", "x"), "/eventID", "unknown field"),
        invalid(
            "unknown employee field",
            e -> employee(e).put("role", "developer"),
            "/employee/role",
            "unknown field"),
        invalid(
            "unknown field name escaped as a pointer",
            e -> e.put("a/b~c", 1),
            "/a~1b~0c",
            "unknown field"));
  }

  private static Arguments invalid(
      String name, Consumer<ObjectNode> change, String pointer, String reason) {
    return Arguments.of(name, with(change), pointer, reason);
  }
}
