package dev.roster.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped JSON Schema says what {@link EventValidator} enforces, case for case. */
class EventSchemaTest {
  private static final JsonSchema SCHEMA =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(
              new ByteArrayInputStream(EventSchema.bytes()),
              SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

  @Test
  void isDraft202012() throws Exception {
    JsonNode schema = EventJson.mapper().readTree(EventSchema.bytes());
    assertThat(schema.get("$schema").textValue())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.roster.events.EventCases#valid")
  void acceptsWhatTheValidatorAccepts(String name, JsonNode event) {
    assertThat(SCHEMA.validate(event)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.roster.events.EventCases#invalid")
  void rejectsWhatTheValidatorRejects(String name, JsonNode event, String pointer, String reason) {
    assertThat(SCHEMA.validate(event)).isNotEmpty();
  }
}
