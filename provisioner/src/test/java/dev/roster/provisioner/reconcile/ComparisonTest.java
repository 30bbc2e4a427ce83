package dev.roster.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.events.DifferenceKind;
import dev.roster.events.EmployeeStatus;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.SnapshotEmployee;
import dev.roster.events.SnapshotMode;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMappingLoader;
import dev.roster.provisioner.plan.Tags;
import dev.roster.provisioner.plan.UserState;
import dev.roster.provisioner.reconcile.Comparison.AccountView;
import dev.roster.provisioner.reconcile.Comparison.Found;
import dev.roster.provisioner.reconcile.Comparison.Repair;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The comparison of a snapshot with IAM, over the shipped sample mapping (deploy/roles.yaml). */
class ComparisonTest {
  static final RoleMapping MAPPING = RoleMappingLoader.load(Path.of("../deploy/roles.yaml"));
  static final RoleMapping.Account DEV = MAPPING.accounts().get("dev");
  static final RoleMapping.Account STAGING = MAPPING.accounts().get("staging");
  static final RoleMapping.Account PROD = MAPPING.accounts().get("prod");
  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  static SnapshotEmployee active(String id, String... roles) {
    return new SnapshotEmployee(
        id,
        id.toLowerCase(),
        EmployeeStatus.ACTIVE,
        List.of(roles),
        null,
        null,
        "Eng",
        "Dev",
        null);
  }

  static SnapshotEmployee terminated(String id) {
    return new SnapshotEmployee(
        id, id.toLowerCase(), EmployeeStatus.TERMINATED, List.of(), null, null, null, null, null);
  }

  static Map<String, String> tags(String id, String status) {
    Map<String, String> t = new HashMap<>();
    t.put(Tags.EMPLOYEE_ID, id);
    t.put(Tags.MANAGED_BY, Tags.MANAGED_BY_ROSTER);
    t.put(Tags.STATUS, status);
    t.put(Tags.DEPARTMENT, "Eng");
    t.put(Tags.TITLE, "Dev");
    t.put(Tags.LAST_EVENT_AT, "2026-11-01T00:00:00Z");
    return t;
  }

  static UserState user(String id, Set<String> groups) {
    return UserState.basic(id.toLowerCase(), tags(id, "active"), groups, Set.of(), Set.of());
  }

  static List<String> found(Comparison.Result r) {
    return r.differences().stream()
        .map(
            f ->
                f.kind().wireName()
                    + " "
                    + f.account().name()
                    + " "
                    + f.employeeId()
                    + (f.detail() == null ? "" : " " + f.detail()))
        .toList();
  }

  @Test
  void aConvergedEmployeeHasNoDifference() {
    Comparison.Result r =
        Comparison.compare(
            MAPPING,
            List.of(active("E1", "developer")),
            List.of(
                AccountView.read(DEV, List.of(user("E1", Set.of("all-staff", "Developers")))),
                AccountView.read(STAGING, List.of(user("E1", Set.of("readonly")))),
                AccountView.read(PROD, List.of())),
            NOW);

    assertThat(r.differences()).isEmpty();
    assertThat(r.repairs()).isEmpty();
    assertThat(r.managedEmployees()).isEqualTo(1);
  }

  @Test
  void everyKindIsFoundInItsAccountAndEachEmployeeGetsOneRepair() {
    Map<String, String> stranger = new HashMap<>();
    stranger.put("owner", "someone");
    UserState leaver =
        new UserState(
            "e4",
            tags("E4", "deactivated"),
            Set.of(),
            Set.of(Tags.DENY_ALL_POLICY),
            true,
            true,
            Set.of("AKIA4"),
            Set.of(),
            Set.of(),
            Set.of(),
            Set.of(),
            Set.of());
    Comparison.Result r =
        Comparison.compare(
            MAPPING,
            List.of(
                active("E1", "developer"),
                active("E2", "developer"),
                active("E3", "sre"),
                terminated("E4"),
                terminated("E5"),
                active("E7", "sre")),
            List.of(
                AccountView.read(
                    DEV,
                    List.of(
                        // E1: a group by hand, a direct policy, a stale department
                        UserState.basic(
                            "e1",
                            Map.of(
                                Tags.EMPLOYEE_ID, "E1",
                                Tags.MANAGED_BY, "roster",
                                Tags.DEPARTMENT, "Sales",
                                Tags.TITLE, "Dev"),
                            Set.of("all-staff", "developers", "admins"),
                            Set.of("by-hand"),
                            Set.of("arn:aws:iam::aws:policy/AdministratorAccess")),
                        // E2: a mapped group missing
                        user("E2", Set.of("all-staff")),
                        leaver,
                        // E5: terminated, never cut off
                        user("E5", Set.of("all-staff")),
                        // E6: not in the snapshot at all
                        user("E6", Set.of("all-staff")),
                        // not Roster's: never counted
                        UserState.basic("ops", stranger, Set.of("admins"), Set.of(), Set.of()))),
                AccountView.read(
                    STAGING,
                    List.of(user("E1", Set.of("readonly")), user("E2", Set.of("readonly")))),
                AccountView.read(
                    PROD,
                    List.of(
                        // E7's name is taken by a user Roster does not own
                        UserState.basic("e7", stranger, Set.of(), Set.of(), Set.of())))),
            NOW);

    assertThat(found(r))
        .containsExactlyInAnyOrder(
            "extra-group dev E1 admins",
            "direct-policy dev E1 arn:aws:iam::aws:policy/AdministratorAccess",
            "direct-policy dev E1 by-hand",
            "tag-mismatch dev E1 roster:department: Sales, HR: Eng",
            "missing-group dev E2 developers",
            "missing-user dev E3",
            "missing-user prod E3",
            "leaver-with-access dev E4 terminated: console password, active access key AKIA4",
            "leaver-with-access dev E5 terminated: no roster-deny-all",
            "extra-group dev E5 all-staff",
            "orphan dev E6 employee E6 is not in the snapshot",
            "leaver-with-access dev E6 absent from the snapshot: no roster-deny-all",
            "extra-group dev E6 all-staff",
            "unowned-conflict prod E7 user e7 exists and is not managed by Roster",
            "missing-user dev E7");
    assertThat(r.repairs())
        .extracting(Repair::employeeId, Repair::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("E1", EventType.ROLE_CHANGE),
            org.assertj.core.groups.Tuple.tuple("E2", EventType.ROLE_CHANGE),
            org.assertj.core.groups.Tuple.tuple("E3", EventType.HIRE),
            org.assertj.core.groups.Tuple.tuple("E4", EventType.LEAVE),
            org.assertj.core.groups.Tuple.tuple("E5", EventType.LEAVE),
            org.assertj.core.groups.Tuple.tuple("E6", EventType.LEAVE),
            org.assertj.core.groups.Tuple.tuple("E7", EventType.HIRE));
    // E5 and E6 lack the deny-all; E4 is cut off already (a leftover credential is no new cut).
    assertThat(r.deactivations()).isEqualTo(2);
    assertThat(r.managedEmployees()).isEqualTo(4);
  }

  @Test
  void aListedScopeNeverJudgesAnEmployeeItDoesNotList() {
    List<AccountView> iam =
        List.of(
            AccountView.read(
                DEV,
                List.of(
                    user("E1", Set.of("all-staff", "developers")),
                    user("E9", Set.of("all-staff", "hand-added")))),
            AccountView.read(STAGING, List.of(user("E1", Set.of("readonly")))),
            AccountView.read(PROD, List.of()));

    Comparison.Result complete =
        Comparison.compare(MAPPING, List.of(active("E1", "developer")), iam, NOW);
    Comparison.Result listed =
        Comparison.compare(
            MAPPING, List.of(active("E1", "developer")), iam, NOW, Comparison.Scope.LISTED);

    // A snapshot lists everyone: E9's user is an orphan and is cut off.
    assertThat(complete.differences())
        .extracting(Found::employeeId, Found::kind)
        .contains(
            org.assertj.core.groups.Tuple.tuple("E9", DifferenceKind.ORPHAN),
            org.assertj.core.groups.Tuple.tuple("E9", DifferenceKind.LEAVER_WITH_ACCESS));
    assertThat(complete.deactivations()).isEqualTo(1);
    // A list of some employees says nothing of the others: E9 is neither reported nor repaired.
    assertThat(listed.differences()).isEmpty();
    assertThat(listed.repairs()).isEmpty();
    assertThat(listed.deactivations()).isZero();
    assertThat(listed.managedEmployees()).isEqualTo(1);
  }

  @Test
  void aListedScopeStillFindsEveryDifferenceOfTheEmployeesItLists() {
    List<AccountView> iam =
        List.of(
            AccountView.read(DEV, List.of(user("E1", Set.of("all-staff", "hand-added")))),
            AccountView.read(STAGING, List.of()),
            AccountView.read(PROD, List.of(user("E3", Set.of()))));

    Comparison.Result listed =
        Comparison.compare(
            MAPPING,
            List.of(active("E1", "developer"), terminated("E3")),
            iam,
            NOW,
            Comparison.Scope.LISTED);

    assertThat(found(listed))
        .contains(
            "missing-group dev E1 developers",
            "extra-group dev E1 hand-added",
            "missing-user staging E1")
        .anyMatch(f -> f.startsWith("leaver-with-access prod E3 terminated: no roster-deny-all"));
    assertThat(listed.repairs())
        .extracting(Comparison.Repair::employeeId, Comparison.Repair::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("E1", dev.roster.events.EventType.ROLE_CHANGE),
            org.assertj.core.groups.Tuple.tuple("E3", dev.roster.events.EventType.LEAVE));
  }

  @Test
  void onlyAnUnownedConflictIsNeverRepaired() {
    Comparison.Result r =
        Comparison.compare(
            MAPPING,
            List.of(active("E7", "sre")),
            List.of(
                AccountView.read(DEV, List.of(user("E7", Set.of("all-staff")))),
                AccountView.read(STAGING, List.of()),
                AccountView.read(
                    PROD, List.of(UserState.basic("e7", Map.of(), Set.of(), Set.of(), Set.of())))),
            NOW);

    assertThat(r.differences())
        .extracting(Found::kind)
        .containsExactly(DifferenceKind.UNOWNED_CONFLICT);
    assertThat(r.repairs()).isEmpty();
  }

  @Test
  void anUnreadableAccountIsReportedAndTheOthersStillCompared() {
    Comparison.Result r =
        Comparison.compare(
            MAPPING,
            List.of(active("E2", "developer")),
            List.of(
                AccountView.read(DEV, List.of(user("E2", Set.of("all-staff")))),
                AccountView.failed(STAGING, "iam-error: AccessDenied"),
                AccountView.read(PROD, List.of())),
            NOW);

    assertThat(r.failedAccounts()).containsEntry("staging", "iam-error: AccessDenied");
    assertThat(found(r)).containsExactly("missing-group dev E2 developers");
  }

  @Test
  void credentialsAreReadOnlyForCutOffUsersTheSnapshotDoesNotKeep() {
    Map<String, SnapshotEmployee> byId =
        Comparison.byId(List.of(active("E1", "developer"), terminated("E4")));
    UserState cut =
        UserState.basic("e4", tags("E4", "deactivated"), Set.of(), Set.of(Tags.DENY_ALL_POLICY));
    UserState open = user("E4", Set.of());
    UserState absentCut =
        UserState.basic("e9", tags("E9", "deactivated"), Set.of(), Set.of(Tags.DENY_ALL_POLICY));

    assertThat(Comparison.needsCredentials(byId, cut)).isTrue();
    assertThat(Comparison.needsCredentials(byId, absentCut)).isTrue();
    assertThat(Comparison.needsCredentials(byId, open)).isFalse(); // a leaver with access anyway
    assertThat(Comparison.needsCredentials(byId, user("E1", Set.of()))).isFalse();
  }

  @Test
  void aRepairingLeaveIsNeverOlderThanTheEmployeesWatermarkSoItIsNeverStale() {
    Snapshot snapshot =
        new Snapshot(
            "snap-1", SnapshotMode.APPLY, OffsetDateTime.parse("2026-12-01T09:00:00Z"), List.of());
    Instant later = Instant.parse("2026-12-01T09:30:00Z");

    HrEvent leave = Reconciler.event(snapshot, new Repair("E5", EventType.LEAVE, null, later));
    HrEvent move =
        Reconciler.event(
            snapshot, new Repair("E1", EventType.ROLE_CHANGE, active("E1", "developer"), later));

    assertThat(leave.eventId()).isEqualTo("reconcile:snap-1:E5");
    assertThat(leave.reason()).isEqualTo("reconcile:snap-1");
    assertThat(leave.occurredAt().toInstant()).isEqualTo(later);
    assertThat(move.occurredAt().toInstant()).isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
    assertThat(move.employee().roles()).containsExactly("developer");
    assertThat(leave.eventId()).matches(dev.roster.events.EventValidator.EVENT_ID_RULE);
  }
}
