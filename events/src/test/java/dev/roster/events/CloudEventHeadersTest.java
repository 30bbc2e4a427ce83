package dev.roster.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventHeadersTest {

  @Test
  void writesEveryBinaryModeAttributeInOrder() {
    Map<String, String> headers =
        text(
            CloudEventHeaders.of(
                "evt-1",
                "dev.roster.hr.hire",
                "hr",
                OffsetDateTime.parse("2026-11-28T09:00:05.25+01:00"),
                "E1001"));

    assertThat(headers)
        .containsExactly(
            Map.entry("ce_specversion", "1.0"),
            Map.entry("ce_id", "evt-1"),
            Map.entry("ce_type", "dev.roster.hr.hire"),
            Map.entry("ce_source", "hr"),
            Map.entry("ce_time", "2026-11-28T09:00:05.25+01:00"),
            Map.entry("ce_subject", "E1001"),
            Map.entry("content-type", "application/json"));
  }

  @Test
  void timeKeepsZeroSecondsThatToStringDrops() {
    OffsetDateTime onTheMinute = OffsetDateTime.parse("2026-11-28T09:00:00Z");
    assertThat(onTheMinute.toString()).isEqualTo("2026-11-28T09:00Z");

    assertThat(CloudEventHeaders.time(onTheMinute)).isEqualTo("2026-11-28T09:00:00Z");
    assertThat(CloudEventHeaders.time(OffsetDateTime.parse("2026-11-28T09:00:00-05:00")))
        .isEqualTo("2026-11-28T09:00:00-05:00");
  }

  @Test
  void timeIsRfc3339AndTheSameInstant() {
    for (String t :
        new String[] {
          "2026-11-28T09:00:00Z", "2026-11-28T09:00:00.000000001Z", "2028-02-29T23:59:59.5+14:00"
        }) {
      String written = CloudEventHeaders.time(OffsetDateTime.parse(t));
      assertThat(written).matches(EventValidator.TIMESTAMP_RULE);
      assertThat(OffsetDateTime.parse(written, DateTimeFormatter.ISO_OFFSET_DATE_TIME))
          .isEqualTo(OffsetDateTime.parse(t));
    }
  }

  @Test
  void anOffsetWithSecondsIsWrittenInUtc() {
    OffsetDateTime odd =
        OffsetDateTime.of(2026, 11, 28, 9, 0, 0, 0, ZoneOffset.ofHoursMinutesSeconds(1, 0, 30));

    assertThat(CloudEventHeaders.time(odd)).isEqualTo("2026-11-28T07:59:30Z");
  }

  @Test
  void aMissingAttributeIsRefusedByName() {
    assertThatThrownBy(
            () ->
                CloudEventHeaders.of(
                    "evt-1", "dev.roster.hr.hire", "hr", OffsetDateTime.now(), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ce_subject");
  }

  @Test
  void deadLetterHeadersUseTheContractNamesAndCutTheCause() {
    Map<String, String> headers =
        text(DeadLetterHeaders.of("malformed", "x".repeat(1500), Topics.HR_EVENTS, 3, 42L));

    assertThat(headers)
        .containsExactly(
            Map.entry("dlq_reason", "malformed"),
            Map.entry("dlq_cause", "x".repeat(1000)),
            Map.entry("dlq_topic", "hr.events"),
            Map.entry("dlq_partition", "3"),
            Map.entry("dlq_offset", "42"));
    assertThat(text(DeadLetterHeaders.of("malformed", null, Topics.HR_EVENTS, 0, 0L)))
        .containsEntry("dlq_cause", "");
  }

  private static Map<String, String> text(Map<String, byte[]> headers) {
    Map<String, String> text = new LinkedHashMap<>();
    headers.forEach((k, v) -> text.put(k, new String(v, StandardCharsets.UTF_8)));
    return text;
  }
}
