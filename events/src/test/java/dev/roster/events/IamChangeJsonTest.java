package dev.roster.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** The wire form of {@code dev.roster.iam.change}, with and without {@code privilegedReason}. */
class IamChangeJsonTest {
  private static final OffsetDateTime AT = OffsetDateTime.parse("2026-12-03T07:00:00.123Z");

  @Test
  void privilegedReasonRoundTrips() throws Exception {
    IamChange grant =
        new IamChange(
            "c1",
            "evt-1",
            "E1001",
            "111111111111",
            "AddUserToGroup",
            "jdoe",
            "iam-user-managers",
            ChangeStatus.APPLIED,
            null,
            "req-1",
            AT,
            "project managers onboard their team");
    String json = EventJson.mapper().writeValueAsString(grant);
    assertThat(EventJson.mapper().readTree(json).get("privilegedReason").asText())
        .isEqualTo("project managers onboard their team");
    assertThat(EventJson.mapper().readValue(json, IamChange.class)).isEqualTo(grant);
  }

  @Test
  void absentWhenNullAndReadAsNull() throws Exception {
    IamChange plain =
        new IamChange(
            "c2",
            "evt-1",
            "E1001",
            "111111111111",
            "AddUserToGroup",
            "jdoe",
            "developers",
            ChangeStatus.APPLIED,
            null,
            null,
            AT);
    String json = EventJson.mapper().writeValueAsString(plain);
    JsonNode tree = EventJson.mapper().readTree(json);
    assertThat(tree.has("privilegedReason")).isFalse();
    assertThat(tree.has("awsRequestId")).isFalse();
    IamChange read = EventJson.mapper().readValue(json, IamChange.class);
    assertThat(read.privilegedReason()).isNull();
    assertThat(read).isEqualTo(plain);
    // What a provisioner older than the field publishes still reads.
    IamChange legacy =
        EventJson.mapper()
            .readValue(
                "{\"changeId\":\"c3\",\"eventId\":\"evt-1\",\"employeeId\":\"E1001\","
                    + "\"account\":\"111111111111\",\"action\":\"AddUserToGroup\","
                    + "\"userName\":\"jdoe\",\"target\":\"developers\",\"status\":\"applied\","
                    + "\"at\":\"2026-12-03T07:00:00.123Z\"}",
                IamChange.class);
    assertThat(legacy.privilegedReason()).isNull();
    assertThat(legacy.target()).isEqualTo("developers");
  }
}
