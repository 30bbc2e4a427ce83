package dev.roster.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the wire form of {@code dev.roster.provisioning.outcome}: the per-account shape serializes
 * to its golden file and back, matches the shipped schema, and the older shape (no {@code
 * cutOffAt}, no {@code accounts}) still reads.
 */
class OutcomeJsonTest {
  private static final JsonSchema SCHEMA =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(
              new ByteArrayInputStream(EventSchema.outcomeBytes()),
              SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

  static final ProvisioningOutcome LEAVE =
      new ProvisioningOutcome(
          "evt-2026-12-31-0003",
          "E1001",
          Outcome.FAILED,
          new ProvisioningOutcome.Counts(20, 14, 1),
          OffsetDateTime.parse("2026-12-31T17:00:00.12Z"),
          OffsetDateTime.parse("2026-12-31T17:00:00.31Z"),
          OffsetDateTime.parse("2026-12-31T17:00:01.05Z"),
          "iam-error: staging: LimitExceeded",
          List.of(
              new AccountOutcome("111111111111", "dev", AccountState.COMPLETED, null, true),
              new AccountOutcome(
                  "222222222222",
                  "staging",
                  AccountState.CUT_OFF,
                  "iam-error: LimitExceeded",
                  true),
              new AccountOutcome("333333333333", "prod", AccountState.COMPLETED, null, false)));

  @Test
  void perAccountOutcomeSerializesToTheGoldenFile() throws IOException {
    JsonNode written = EventJson.mapper().readTree(EventJson.mapper().writeValueAsBytes(LEAVE));

    assertThat(written).isEqualTo(read("golden/outcome-leave.json"));
  }

  @Test
  void perAccountGoldenFileBindsBack() throws IOException {
    assertThat(
            EventJson.mapper()
                .treeToValue(read("golden/outcome-leave.json"), ProvisioningOutcome.class))
        .isEqualTo(LEAVE);
  }

  @Test
  void olderShapeStillReadsWithNoAccountsAndNoCutOff() throws IOException {
    ProvisioningOutcome legacy =
        EventJson.mapper()
            .treeToValue(read("golden/outcome-legacy.json"), ProvisioningOutcome.class);

    assertThat(legacy.accounts()).isEmpty();
    assertThat(legacy.cutOffAt()).isNull();
    assertThat(legacy.outcome()).isEqualTo(Outcome.COMPLETED);
  }

  @Test
  void anOutcomeWithoutAccountsWritesNeitherNewField() throws IOException {
    JsonNode written =
        EventJson.mapper()
            .readTree(
                EventJson.mapper()
                    .writeValueAsBytes(
                        EventJson.mapper()
                            .treeToValue(
                                read("golden/outcome-legacy.json"), ProvisioningOutcome.class)));

    assertThat(written).isEqualTo(read("golden/outcome-legacy.json"));
  }

  static final ProvisioningOutcome SCHEDULED =
      new ProvisioningOutcome(
          "evt-2026-12-01-0005",
          "E1001",
          Outcome.SCHEDULED,
          new ProvisioningOutcome.Counts(0, 0, 0),
          OffsetDateTime.parse("2026-12-01T08:00:00.02Z"),
          null,
          OffsetDateTime.parse("2026-12-01T08:00:00.03Z"),
          null,
          List.of(),
          OffsetDateTime.parse("2026-12-04T23:59:59+14:00"));

  @Test
  void scheduledOutcomeSerializesToItsGoldenFileAndBack() throws IOException {
    JsonNode written = EventJson.mapper().readTree(EventJson.mapper().writeValueAsBytes(SCHEDULED));

    assertThat(written).isEqualTo(read("golden/outcome-scheduled.json"));
    assertThat(
            EventJson.mapper()
                .treeToValue(read("golden/outcome-scheduled.json"), ProvisioningOutcome.class))
        .isEqualTo(SCHEDULED);
  }

  @Test
  void everyGoldenFileMatchesTheSchema() throws IOException {
    assertThat(SCHEMA.validate(read("golden/outcome-leave.json"))).isEmpty();
    assertThat(SCHEMA.validate(read("golden/outcome-legacy.json"))).isEmpty();
    assertThat(SCHEMA.validate(read("golden/outcome-scheduled.json"))).isEmpty();
  }

  @Test
  void schemaRefusesAnUnknownAccountState() throws IOException {
    JsonNode bad =
        EventJson.mapper()
            .readTree(
                EventJson.mapper()
                    .writeValueAsString(read("golden/outcome-leave.json"))
                    .replace("\"cut_off\"", "\"partly\""));

    assertThat(SCHEMA.validate(bad)).isNotEmpty();
  }

  private static JsonNode read(String resource) throws IOException {
    try (InputStream in = OutcomeJsonTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return EventJson.mapper().readTree(in);
    }
  }
}
