package dev.roster.provisioner.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.events.Employee;
import dev.roster.events.EmployeeStatus;
import dev.roster.events.EventJson;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.SnapshotEmployee;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HR state an applied event leaves, as the drift check reads it. */
class AppliedTest {
  static final OffsetDateTime T = OffsetDateTime.parse("2026-12-01T10:00:00Z");

  static HrEvent event(String id, EventType type, OffsetDateTime at, Employee employee) {
    return new HrEvent(id, type, "E1", at, at, employee, null);
  }

  static Employee employee(String username, String department, String... roles) {
    return new Employee(
        username, null, null, department, null, roles == null ? null : List.of(roles), null);
  }

  @Test
  void aLaterEventKeepsWhatItDoesNotSayAndALeaveKeepsTheEmployee() {
    Applied hired =
        Applied.after(event("h", EventType.HIRE, T, employee("ann", "Eng", "developer")), null);
    Applied moved =
        Applied.after(
            event("m", EventType.ROLE_CHANGE, T.plusHours(1), employee(null, null, "sre")), hired);
    Applied left = Applied.after(event("l", EventType.LEAVE, T.plusHours(2), null), moved);

    SnapshotEmployee asMoved = moved.asSnapshotEmployee("E1");
    assertThat(asMoved.username()).isEqualTo("ann");
    assertThat(asMoved.department()).isEqualTo("Eng");
    assertThat(asMoved.roles()).containsExactly("sre");
    assertThat(asMoved.status()).isEqualTo(EmployeeStatus.ACTIVE);
    assertThat(left.status()).isEqualTo(EmployeeStatus.TERMINATED);
    assertThat(left.asSnapshotEmployee("E1").username()).isEqualTo("ann");
    assertThat(left.eventId()).isEqualTo("l");
    assertThat(left.watermark()).isEqualTo(T.plusHours(2).toInstant());
  }

  @Test
  void anOlderEventNeverReplacesTheStateAndAHireLosesATieWithALeave() {
    Applied left = Applied.after(event("l", EventType.LEAVE, T, null), null);

    assertThat(left.replacedBy(event("old", EventType.HIRE, T.minusSeconds(1), null))).isFalse();
    assertThat(left.replacedBy(event("tie", EventType.HIRE, T, null))).isFalse();
    assertThat(left.replacedBy(event("tie-leave", EventType.LEAVE, T, null))).isTrue();
    assertThat(left.replacedBy(event("rehire", EventType.HIRE, T.plusSeconds(1), null))).isTrue();
    Applied hired = Applied.after(event("h", EventType.HIRE, T, employee("ann", null)), null);
    assertThat(hired.replacedBy(event("same-instant-move", EventType.ROLE_CHANGE, T, null)))
        .isTrue();
  }

  @Test
  void theStateTravelsInTheEmployeesScheduleValueAndAValueWithoutOneStillReads() throws Exception {
    EmployeeSchedule value =
        EmployeeSchedule.empty("E1")
            .applying(
                Applied.after(event("h", EventType.HIRE, T, employee("ann", "Eng", "qa")), null));

    String json = EventJson.mapper().writeValueAsString(value);
    EmployeeSchedule back = EventJson.mapper().readValue(json, EmployeeSchedule.class);

    assertThat(back).isEqualTo(value);
    assertThat(back.isEmpty()).isFalse();
    assertThat(json).doesNotContain("\"empty\"");
    EmployeeSchedule before =
        EventJson.mapper()
            .readValue(
                "{\"employeeId\":\"E1\",\"pending\":[],\"closed\":[]}", EmployeeSchedule.class);
    assertThat(before.applied()).isNull();
    assertThat(before.isEmpty()).isTrue();
  }
}
