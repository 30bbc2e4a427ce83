package dev.roster.provisioner;

import static dev.roster.provisioner.SandboxAccounts.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.events.ChangeStatus;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.journal.JournaledOp;
import dev.roster.provisioner.plan.IamAction;
import dev.roster.provisioner.plan.Operation;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Which change records carry privilegedReason: grants of a marked group in its account only. */
class ChangeRecordsPrivilegedTest {
  private static final String REASON = "project managers create test users in dev only";
  private static final RoleMapping MARKED =
      SandboxAccounts.mapping(
          EscalationGuardTest.ROLES
              + "privileged:\n"
              + "  - { group: iam-user-managers, account: dev, reason: \""
              + REASON
              + "\" }\n");
  private static final String DEV = MARKED.accounts().get("dev").id();
  private static final String STAGING = MARKED.accounts().get("staging").id();

  private final ChangeRecords records = new ChangeRecords(Clock.systemUTC(), MARKED);
  private final HrEvent hire =
      event("cr-1", EventType.HIRE, "CR1", "2026-03-01T09:00:00Z", "project-manager");

  @Test
  void aGrantOfTheMarkedGroupCarriesTheReasonWhateverItsStatus() {
    Operation grant = Operation.of(IamAction.ADD_USER_TO_GROUP, "cr1", "iam-user-managers");
    for (ChangeStatus status : ChangeStatus.values()) {
      assertThat(records.change(hire, DEV, grant, status, null, null).privilegedReason())
          .as("%s", status)
          .isEqualTo(REASON);
    }
    // A restarted attempt publishing the change it finds applied.
    JournaledOp found = JournaledOp.of(ChangeRecords.changeId(hire, DEV, grant), "dev", DEV, grant);
    assertThat(records.recovered(hire, found).privilegedReason()).isEqualTo(REASON);
  }

  @Test
  void nothingElseCarriesIt() {
    assertThat(
            records
                .change(
                    hire,
                    DEV,
                    Operation.of(IamAction.ADD_USER_TO_GROUP, "cr1", "all-staff"),
                    ChangeStatus.APPLIED,
                    null,
                    null)
                .privilegedReason())
        .as("another group")
        .isNull();
    assertThat(
            records
                .change(
                    hire,
                    STAGING,
                    Operation.of(IamAction.ADD_USER_TO_GROUP, "cr1", "iam-user-managers"),
                    ChangeStatus.APPLIED,
                    null,
                    null)
                .privilegedReason())
        .as("the group in another account")
        .isNull();
    assertThat(
            records
                .change(
                    hire,
                    DEV,
                    Operation.of(IamAction.REMOVE_USER_FROM_GROUP, "cr1", "iam-user-managers"),
                    ChangeStatus.APPLIED,
                    null,
                    null)
                .privilegedReason())
        .as("taking the group away")
        .isNull();
    assertThat(
            new ChangeRecords(Clock.systemUTC())
                .change(
                    hire,
                    DEV,
                    Operation.of(IamAction.ADD_USER_TO_GROUP, "cr1", "iam-user-managers"),
                    ChangeStatus.APPLIED,
                    null,
                    null)
                .privilegedReason())
        .as("records without a mapping")
        .isNull();
  }
}
