package dev.roster.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A snapshot row is checked with the rules of an event's employeeId and employee fields. */
class SnapshotRowValidationTest {

  static ObjectNode row() {
    ObjectNode row = EventJson.mapper().createObjectNode();
    row.put("employeeId", "E1001");
    row.put("username", "alice.doe");
    row.put("status", "active");
    row.putArray("roles").add("developer");
    row.put("email", "alice.doe@example.com");
    row.put("timeZone", "Europe/Berlin");
    return row;
  }

  static List<FieldError> errorsOf(ObjectNode row) {
    List<FieldError> errors = new ArrayList<>();
    SnapshotEmployee employee = EventValidator.snapshotEmployee(row, errors);
    assertThat(employee == null).isEqualTo(!errors.isEmpty());
    return errors;
  }

  @Test
  void aValidRowMapsToTheSnapshotEmployee() {
    List<FieldError> errors = new ArrayList<>();
    SnapshotEmployee employee = EventValidator.snapshotEmployee(row(), errors);

    assertThat(errors).isEmpty();
    assertThat(employee)
        .isEqualTo(
            new SnapshotEmployee(
                "E1001",
                "alice.doe",
                EmployeeStatus.ACTIVE,
                List.of("developer"),
                "alice.doe@example.com",
                null,
                null,
                null,
                "Europe/Berlin"));
  }

  @Test
  void everyBrokenRuleIsReportedWithAPointerRelativeToTheRow() {
    ObjectNode row = row();
    row.put("employeeId", "E 1");
    row.put("username", "alice doe");
    row.put("status", "retired");
    row.putArray("roles").add("ok").add("");
    row.put("email", "nope");
    row.put("timeZone", "+02:00");
    row.put("colour", "blue");

    assertThat(errorsOf(row))
        .containsExactly(
            new FieldError("/colour", "unknown field"),
            new FieldError("/employeeId", "must match " + EventValidator.EMPLOYEE_ID_RULE),
            new FieldError("/status", "must be one of active, terminated"),
            new FieldError("/username", "must match " + EventValidator.USERNAME_RULE),
            new FieldError("/email", EventValidator.BAD_EMAIL),
            new FieldError("/roles/1", EventValidator.BAD_ROLE),
            new FieldError("/timeZone", EventValidator.BAD_TIME_ZONE));
  }

  @Test
  void employeeIdUsernameAndStatusAreRequiredAndRolesForAnActiveEmployee() {
    ObjectNode active = EventJson.mapper().createObjectNode().put("status", "active");
    assertThat(errorsOf(active))
        .containsExactly(
            new FieldError("/employeeId", "is required"),
            new FieldError("/username", "is required"),
            new FieldError("/roles", "is required for status active"));

    ObjectNode terminated = row().put("status", "terminated");
    terminated.remove("roles");
    assertThat(errorsOf(terminated)).isEmpty();
    ObjectNode noStatus = row();
    noStatus.remove("status");
    assertThat(errorsOf(noStatus)).containsExactly(new FieldError("/status", "is required"));
  }

  @Test
  void moreThanFiftyRolesAreRefusedAsInAnEvent() {
    ObjectNode row = row();
    var roles = row.putArray("roles");
    for (int i = 0; i <= EventValidator.MAX_ROLES; i++) {
      roles.add("role-" + i);
    }

    assertThat(errorsOf(row))
        .containsExactly(new FieldError("/roles", "must hold at most 50 roles"));
  }
}
