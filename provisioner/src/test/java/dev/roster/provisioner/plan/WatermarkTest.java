package dev.roster.provisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.events.Employee;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMappingLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where an event stands in the employee's order: the later of occurredAt and effectiveAt. */
class WatermarkTest {
  static final RoleMapping MAPPING = RoleMappingLoader.load(Path.of("../deploy/roles.yaml"));
  static final OffsetDateTime MONDAY = OffsetDateTime.parse("2026-12-07T09:00:00Z");
  static final OffsetDateTime TUESDAY = MONDAY.plusDays(1);
  static final OffsetDateTime FRIDAY = MONDAY.plusDays(4);

  @Test
  void aLeavePostedMondayForFridayIsNotStaleAfterARoleChangeOnTuesday() {
    HrEvent roleChange =
        new HrEvent(
            "rc",
            EventType.ROLE_CHANGE,
            "E1",
            TUESDAY,
            TUESDAY,
            new Employee("jdoe", null, null, null, null, List.of("developer")),
            null);
    HrEvent leave = new HrEvent("lv", EventType.LEAVE, "E1", MONDAY, FRIDAY, null, null);
    Instant now = FRIDAY.toInstant();
    Desired afterRoleChange = DesiredStateResolver.resolve(MAPPING, roleChange, "dev", "jdoe", now);
    UserState user =
        new UserState(
            "jdoe",
            Map.of(
                Tags.MANAGED_BY,
                Tags.MANAGED_BY_ROSTER,
                Tags.EMPLOYEE_ID,
                "E1",
                Tags.STATUS,
                Tags.STATUS_ACTIVE,
                Tags.LAST_EVENT_ID,
                "rc",
                Tags.LAST_EVENT_AT,
                afterRoleChange.tags().get(Tags.LAST_EVENT_AT)),
            Set.of("all-staff", "developers"),
            Set.of(),
            true,
            false,
            Set.of(),
            Set.of(),
            Set.of(),
            Set.of(),
            Set.of(),
            Set.of());

    Desired cut = DesiredStateResolver.resolve(MAPPING, leave, "dev", "jdoe", now);
    Plan plan = Planner.plan(cut, user, Set.of(), now.plusSeconds(300));

    assertThat(DesiredStateResolver.watermark(leave)).isEqualTo(FRIDAY.toInstant());
    assertThat(plan.verdict()).isNotEqualTo(Plan.Verdict.STALE);
    assertThat(plan.operations())
        .extracting(Operation::action)
        .startsWith(IamAction.PUT_USER_POLICY);
  }

  @Test
  void aBackdatedEventStandsWhereItOccurred() {
    HrEvent backdated = new HrEvent("lv", EventType.LEAVE, "E1", TUESDAY, MONDAY, null, null);
    assertThat(DesiredStateResolver.watermark(backdated)).isEqualTo(TUESDAY.toInstant());
  }
}
