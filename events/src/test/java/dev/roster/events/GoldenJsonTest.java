package dev.roster.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the wire format: each Java event serializes to exactly its golden file, and the golden file
 * reads back (through the validator and through plain data binding) to the same event. A renamed
 * field or a changed timestamp format breaks these tests, not a downstream service.
 */
class GoldenJsonTest {

  static Stream<Arguments> goldens() {
    OffsetDateTime nine = OffsetDateTime.parse("2026-11-28T09:00:00Z");
    return Stream.of(
        Arguments.of(
            "golden/hire.json",
            new HrEvent(
                "evt-2026-11-28-0001",
                EventType.HIRE,
                "E1001",
                nine,
                nine,
                new Employee(
                    "alice.doe",
                    "alice.doe@example.com",
                    "Alice Doe",
                    "Engineering",
                    "Backend Engineer",
                    List.of("developer")),
                null)),
        Arguments.of(
            "golden/role_change.json",
            new HrEvent(
                "evt-2026-12-01-0002",
                EventType.ROLE_CHANGE,
                "E1001",
                OffsetDateTime.parse("2026-12-01T10:15:30.5+01:00"),
                OffsetDateTime.parse("2026-12-02T00:00:00+01:00"),
                new Employee(null, null, null, "Platform", null, List.of("developer", "oncall")),
                null)),
        Arguments.of(
            "golden/leave.json",
            new HrEvent(
                "evt-2026-12-31-0003",
                EventType.LEAVE,
                "E1001",
                OffsetDateTime.parse("2026-12-31T17:00:00Z"),
                OffsetDateTime.parse("2026-12-31T17:00:00Z"),
                null,
                "resigned")),
        Arguments.of(
            "golden/hire-birthright.json",
            new HrEvent(
                "evt-2026-11-28-0004",
                EventType.HIRE,
                "E1002",
                nine,
                nine,
                new Employee("bob", null, null, null, null, List.of()),
                null)),
        Arguments.of(
            "golden/leave-dated.json",
            new HrEvent(
                "evt-2026-12-01-0005",
                EventType.LEAVE,
                "E1001",
                OffsetDateTime.parse("2026-12-01T08:00:00Z"),
                OffsetDateTime.parse("2026-12-04T23:59:59+14:00"),
                new Employee(null, null, null, null, null, null, "Pacific/Kiritimati"),
                "resigned")),
        Arguments.of(
            "golden/cancel.json",
            new HrEvent(
                "evt-2026-12-02-0007",
                EventType.CANCEL,
                "E1001",
                OffsetDateTime.parse("2026-12-02T10:15:00Z"),
                null,
                null,
                "resignation withdrawn",
                "evt-2026-12-01-0005")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void serializesToTheGoldenFile(String golden, HrEvent event) throws IOException {
    JsonNode written = EventJson.mapper().readTree(EventJson.mapper().writeValueAsBytes(event));

    assertThat(written).isEqualTo(read(golden));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void goldenFileValidatesToTheSameEvent(String golden, HrEvent event) throws IOException {
    Validation result = EventValidator.validate(read(golden));

    assertThat(result.errors()).isEmpty();
    assertThat(result.event()).isEqualTo(event);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void goldenFileBindsToTheSameEvent(String golden, HrEvent event) throws IOException {
    assertThat(EventJson.mapper().treeToValue(read(golden), HrEvent.class)).isEqualTo(event);
  }

  private static JsonNode read(String resource) throws IOException {
    try (InputStream in = GoldenJsonTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return EventJson.mapper().readTree(in);
    }
  }
}
