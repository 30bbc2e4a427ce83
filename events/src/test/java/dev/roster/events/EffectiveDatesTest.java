package dev.roster.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class EffectiveDatesTest {

  private static final ZoneId KIRITIMATI = ZoneId.of("Pacific/Kiritimati"); // UTC+14
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void aLeaveOnADateEndsAtTheLastSecondOfThatDayInTheEmployeesZone() {
    OffsetDateTime due =
        EffectiveDates.resolve(LocalDate.parse("2026-12-04"), EventType.LEAVE, KIRITIMATI);

    assertThat(due).isEqualTo(OffsetDateTime.parse("2026-12-04T23:59:59+14:00"));
    assertThat(due.toInstant()).isEqualTo(Instant.parse("2026-12-04T09:59:59Z"));
  }

  @Test
  void aHireOnADateStartsAtMidnightInTheEmployeesZone() {
    OffsetDateTime due =
        EffectiveDates.resolve(LocalDate.parse("2026-12-04"), EventType.HIRE, KIRITIMATI);

    assertThat(due.toInstant()).isEqualTo(Instant.parse("2026-12-03T10:00:00Z"));
  }

  @Test
  void onTheDayClocksGoBackTheDayIsTwentyFiveHoursLongAndEndsInWinterTime() {
    // Berlin leaves summer time on 2026-10-25 at 03:00 (+02:00 -> +01:00).
    LocalDate day = LocalDate.parse("2026-10-25");

    assertThat(EffectiveDates.resolve(day, EventType.HIRE, BERLIN).toInstant())
        .isEqualTo(Instant.parse("2026-10-24T22:00:00Z"));
    assertThat(EffectiveDates.resolve(day, EventType.LEAVE, BERLIN).toInstant())
        .isEqualTo(Instant.parse("2026-10-25T22:59:59Z"));
  }

  @Test
  void onTheDayClocksGoForwardTheLeaveIsDueAtTheSummerTimeEndOfDay() {
    // Berlin enters summer time on 2026-03-29 at 02:00 (+01:00 -> +02:00).
    LocalDate day = LocalDate.parse("2026-03-29");

    assertThat(EffectiveDates.resolve(day, EventType.HIRE, BERLIN).toInstant())
        .isEqualTo(Instant.parse("2026-03-28T23:00:00Z"));
    assertThat(EffectiveDates.resolve(day, EventType.LEAVE, BERLIN).toInstant())
        .isEqualTo(Instant.parse("2026-03-29T21:59:59Z"));
  }

  @Test
  void whereMidnightDoesNotExistTheDayStartsAtItsFirstValidInstant() {
    // Asia/Beirut moves its clocks from 00:00 to 01:00 on the last Sunday of March.
    ZoneId beirut = ZoneId.of("Asia/Beirut");
    OffsetDateTime start =
        EffectiveDates.resolve(LocalDate.parse("2026-03-29"), EventType.HIRE, beirut);

    assertThat(start).isEqualTo(OffsetDateTime.parse("2026-03-29T01:00:00+03:00"));
  }

  @Test
  void theValidatorReadsADateInTheEmployeesZoneElseInTheDefault() {
    ObjectNode leave = EventCases.hire();
    leave.put("type", "leave");
    leave.put("effectiveAt", "2026-12-04");

    HrEvent inDefault = EventValidator.validate(leave, BERLIN).event();
    EventCases.employee(leave).put("timeZone", "Pacific/Kiritimati");
    HrEvent inOwnZone = EventValidator.validate(leave, BERLIN).event();

    assertThat(inDefault.effectiveAt())
        .isEqualTo(OffsetDateTime.parse("2026-12-04T23:59:59+01:00"));
    assertThat(inOwnZone.effectiveAt())
        .isEqualTo(OffsetDateTime.parse("2026-12-04T23:59:59+14:00"));
    assertThat(inOwnZone.timeZone()).isEqualTo("Pacific/Kiritimati");
  }

  @Test
  void aCancelIsNeverHeldAndAFutureEventIs() {
    Instant now = Instant.parse("2026-12-01T12:00:00Z");
    ObjectNode leave = EventCases.hire();
    leave.put("type", "leave");
    leave.put("effectiveAt", "2026-12-04T17:00:00+01:00");
    ObjectNode cancel = EventCases.hire();
    cancel.put("type", "cancel");
    cancel.remove("effectiveAt");
    cancel.put("occurredAt", "2026-12-01T12:00:00Z");
    cancel.put("cancelsEventId", "evt-other");

    assertThat(EventValidator.validate(leave).event().isDueAfter(now)).isTrue();
    assertThat(EventValidator.validate(cancel).event().isDueAfter(now)).isFalse();
    assertThat(EventValidator.validate(cancel).event().cancelsEventId()).isEqualTo("evt-other");
  }

  @Test
  void knowsIanaNamesOnly() {
    assertThat(EffectiveDates.isZoneName("Europe/Berlin")).isTrue();
    assertThat(EffectiveDates.isZoneName("UTC")).isTrue();
    assertThat(EffectiveDates.isZoneName("+02:00")).isFalse();
    assertThat(EffectiveDates.isZoneName("Mars/Olympus")).isFalse();
  }

  // Rules JSON Schema cannot express, so they are not in EventCases (which the schema test shares).
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"CET+1", "+02:00", "GMT+2", "Mars/Olympus", "europe/berlin", ""})
  void refusesATimeZoneThatIsNotAnIanaName(String zone) {
    ObjectNode hire = EventCases.hire();
    EventCases.employee(hire).put("timeZone", zone);

    assertThat(EventValidator.validate(hire).errors())
        .containsExactly(new FieldError("/employee/timeZone", EventValidator.BAD_TIME_ZONE));
  }

  @Test
  void refusesACancelOfItself() {
    ObjectNode cancel = EventCases.hire();
    cancel.put("type", "cancel");
    cancel.remove("effectiveAt");
    cancel.put("cancelsEventId", cancel.get("eventId").textValue());

    assertThat(EventValidator.validate(cancel).errors())
        .containsExactly(new FieldError("/cancelsEventId", EventValidator.CANCELS_ITSELF));
  }
}
