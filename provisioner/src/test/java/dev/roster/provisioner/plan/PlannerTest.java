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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven planner cases over the shipped sample mapping (deploy/roles.yaml). */
class PlannerTest {
  static final RoleMapping MAPPING = RoleMappingLoader.load(Path.of("../deploy/roles.yaml"));
  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  static final OffsetDateTime T1 = OffsetDateTime.parse("2026-03-01T09:00:00+01:00");
  static final OffsetDateTime T2 = OffsetDateTime.parse("2026-03-02T09:00:00+01:00");

  static HrEvent event(EventType type, OffsetDateTime at, String... roles) {
    Employee e =
        type == EventType.LEAVE
            ? null
            : new Employee("jdoe", "jdoe@example.com", "J Doe", "R&D", "Engineer", List.of(roles));
    return new HrEvent("ev-" + type + at, type, "E100", at, at, e, null);
  }

  static Desired desired(HrEvent e, String account) {
    return DesiredStateResolver.resolve(MAPPING, e, account, "jdoe", NOW);
  }

  static Map<String, String> rosterTags(OffsetDateTime last, String status) {
    Map<String, String> t = new HashMap<>();
    t.put(Tags.EMPLOYEE_ID, "E100");
    t.put(Tags.MANAGED_BY, "roster");
    t.put(Tags.STATUS, status);
    t.put(Tags.LAST_EVENT_AT, last.toInstant().toString());
    t.put(Tags.LAST_EVENT_ID, "ev-" + EventType.HIRE + last);
    t.put(Tags.DEPARTMENT, "R_D");
    t.put(Tags.TITLE, "Engineer");
    return t;
  }

  static Map<String, String> lastEvent(Map<String, String> tags, HrEvent event) {
    tags.put(Tags.LAST_EVENT_ID, event.eventId());
    return tags;
  }

  static UserState full(
      Map<String, String> tags,
      Set<String> groups,
      Set<String> inline,
      boolean login,
      Set<String> keys,
      Set<String> attached) {
    return new UserState(
        "jdoe",
        tags,
        groups,
        inline,
        true,
        login,
        keys,
        Set.of("APKA1"),
        Set.of("ACCA1"),
        Set.of("CERT1"),
        Set.of("arn:aws:iam::111111111111:mfa/jdoe"),
        attached);
  }

  record Case(
      String name, HrEvent event, String account, UserState current, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    UserState devActive =
        UserState.basic(
            "jdoe", rosterTags(T1, "active"), Set.of("all-staff", "developers"), Set.of());
    return List.of(
        new Case(
            "hire creates the user then adds each group, sorted",
            event(EventType.HIRE, T1, "developer"),
            "dev",
            null,
            List.of(
                "CreateUser(jdoe, jdoe)",
                "AddUserToGroup(jdoe, all-staff)",
                "AddUserToGroup(jdoe, developers)")),
        new Case(
            "hire in an account where the employee has no groups creates nothing",
            event(EventType.HIRE, T1, "developer"),
            "prod",
            null,
            List.of()),
        new Case(
            "hire redelivered to a converged user plans nothing",
            event(EventType.HIRE, T1, "developer"),
            "dev",
            devActive,
            List.of()),
        new Case(
            "move: adds the new role's groups, removes the old role's, updates the watermark",
            event(EventType.ROLE_CHANGE, T2, "project-manager"),
            "dev",
            devActive,
            List.of(
                "AddUserToGroup(jdoe, iam-user-managers)",
                "TagUser(jdoe, roster:last-event-at,roster:last-event-id)")),
        new Case(
            "move away from every group of an account deactivates the user there",
            event(EventType.ROLE_CHANGE, T2, "sre"),
            "staging",
            full(rosterTags(T1, "active"), Set.of("readonly"), Set.of(), false, Set.of(), Set.of()),
            List.of(
                "PutUserPolicy(jdoe, roster-deny-all)",
                "UpdateSSHPublicKey(jdoe, APKA1)",
                "UpdateServiceSpecificCredential(jdoe, ACCA1)",
                "UpdateSigningCertificate(jdoe, CERT1)",
                "DeactivateMFADevice(jdoe, arn:aws:iam::111111111111:mfa/jdoe)",
                "RemoveUserFromGroup(jdoe, readonly)",
                "TagUser(jdoe, roster:deactivated-at,roster:last-event-at,roster:last-event-id,roster:status)")),
        new Case(
            "leave cuts every way in, keeps ignored groups, deny-all first",
            event(EventType.LEAVE, T2),
            "prod",
            full(
                rosterTags(T1, "active"),
                Set.of("operators", "break-glass"),
                Set.of("inline-extra"),
                true,
                Set.of("AKIA2", "AKIA1"),
                Set.of("arn:aws:iam::aws:policy/ReadOnlyAccess")),
            List.of(
                "PutUserPolicy(jdoe, roster-deny-all)",
                "DeleteLoginProfile(jdoe, jdoe)",
                "UpdateAccessKey(jdoe, AKIA1)",
                "UpdateAccessKey(jdoe, AKIA2)",
                "UpdateSSHPublicKey(jdoe, APKA1)",
                "UpdateServiceSpecificCredential(jdoe, ACCA1)",
                "UpdateSigningCertificate(jdoe, CERT1)",
                "DeactivateMFADevice(jdoe, arn:aws:iam::111111111111:mfa/jdoe)",
                "RemoveUserFromGroup(jdoe, operators)",
                "DetachUserPolicy(jdoe, arn:aws:iam::aws:policy/ReadOnlyAccess)",
                "DeleteUserPolicy(jdoe, inline-extra)",
                "TagUser(jdoe, roster:deactivated-at,roster:last-event-at,roster:last-event-id,roster:status)")),
        new Case(
            "rehire restores groups and lifts the deny-all last; credentials stay inactive",
            event(EventType.HIRE, T2, "developer"),
            "dev",
            deactivatedDev(),
            List.of(
                "AddUserToGroup(jdoe, all-staff)",
                "AddUserToGroup(jdoe, developers)",
                "TagUser(jdoe, roster:last-event-at,roster:last-event-id,roster:status)",
                "UntagUser(jdoe, roster:deactivated-at)",
                "DeleteUserPolicy(jdoe, roster-deny-all)")),
        new Case(
            "role change never lifts a leaver's deactivation",
            event(EventType.ROLE_CHANGE, T2, "developer"),
            "dev",
            deactivatedDev(),
            List.of("TagUser(jdoe, roster:last-event-at,roster:last-event-id)")),
        new Case(
            "ignored groups are neither added nor removed on a move",
            event(EventType.ROLE_CHANGE, T2, "sre"),
            "prod",
            UserState.basic(
                "jdoe",
                lastEvent(rosterTags(T2, "active"), event(EventType.ROLE_CHANGE, T2, "sre")),
                Set.of("break-glass", "operators"),
                Set.of()),
            List.of()),
        new Case(
            "policies put on an active user by hand are removed: access comes through groups",
            event(EventType.ROLE_CHANGE, T2, "developer"),
            "dev",
            UserState.basic(
                "jdoe",
                rosterTags(T1, "active"),
                Set.of("all-staff", "developers", "admins"),
                Set.of("by-hand"),
                Set.of("arn:aws:iam::aws:policy/AdministratorAccess")),
            List.of(
                "RemoveUserFromGroup(jdoe, admins)",
                "DetachUserPolicy(jdoe, arn:aws:iam::aws:policy/AdministratorAccess)",
                "DeleteUserPolicy(jdoe, by-hand)",
                "TagUser(jdoe, roster:last-event-at,roster:last-event-id)")),
        new Case(
            "group names compare case-insensitively, like IAM",
            event(EventType.HIRE, T1, "developer"),
            "dev",
            UserState.basic(
                "jdoe", rosterTags(T1, "active"), Set.of("All-Staff", "DEVELOPERS"), Set.of()),
            List.of()));
  }

  static UserState deactivatedDev() {
    Map<String, String> tags = rosterTags(T1, "deactivated");
    tags.put(Tags.DEACTIVATED_AT, "2026-03-01T08:00:00Z");
    return new UserState(
        "jdoe",
        tags,
        Set.of(),
        Set.of(Tags.DENY_ALL_POLICY),
        true,
        false,
        Set.of(),
        Set.of(),
        Set.of(),
        Set.of(),
        Set.of(),
        Set.of());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plansExactlyTheseOperations(Case c) {
    Plan plan =
        Planner.plan(desired(c.event(), c.account()), c.current(), MAPPING.ignored(c.account()));

    assertThat(plan.verdict()).isEqualTo(Plan.Verdict.APPLY);
    assertThat(plan.operations()).map(Operation::toString).containsExactlyElementsOf(c.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void applyingThePlanConvergesSoPlanningAgainYieldsNothing(Case c) {
    Desired d = desired(c.event(), c.account());
    UserState state = c.current();
    for (Operation op : Planner.plan(d, state, MAPPING.ignored(c.account())).operations()) {
      state = InMemoryIam.apply(state, op);
    }
    assertThat(Planner.plan(d, state, MAPPING.ignored(c.account())).operations()).isEmpty();
  }

  @Test
  void aUserOfTheSameNameWithoutRosterTagsIsNeverTouched() {
    UserState stranger = UserState.basic("jdoe", Map.of("team", "x"), Set.of("admins"), Set.of());

    Plan plan =
        Planner.plan(desired(event(EventType.HIRE, T1, "developer"), "dev"), stranger, Set.of());

    assertThat(plan.verdict()).isEqualTo(Plan.Verdict.REJECTED);
    assertThat(plan.reason()).contains("not managed by Roster");
    assertThat(plan.operations()).isEmpty();
  }

  @Test
  void aRosterUserOfAnotherEmployeeIsNeverTouched() {
    Map<String, String> tags = rosterTags(T1, "active");
    tags.put(Tags.EMPLOYEE_ID, "E999");
    UserState other = UserState.basic("jdoe", tags, Set.of(), Set.of());

    Plan plan = Planner.plan(desired(event(EventType.LEAVE, T2), "dev"), other, Set.of());

    assertThat(plan.verdict()).isEqualTo(Plan.Verdict.REJECTED);
    assertThat(plan.reason()).contains("E999");
  }

  @Test
  void anOlderEventThanTheWatermarkIsStaleAndRollsNothingBack() {
    UserState current =
        UserState.basic("jdoe", rosterTags(T2, "active"), Set.of("all-staff"), Set.of());

    Plan plan =
        Planner.plan(desired(event(EventType.HIRE, T1, "developer"), "dev"), current, Set.of());

    assertThat(plan.verdict()).isEqualTo(Plan.Verdict.STALE);
    assertThat(plan.operations()).isEmpty();
  }

  @Test
  void leaveOfAnAbsentUserPlansNothing() {
    Plan plan = Planner.plan(desired(event(EventType.LEAVE, T2), "prod"), null, Set.of());

    assertThat(plan.verdict()).isEqualTo(Plan.Verdict.APPLY);
    assertThat(plan.operations()).isEmpty();
  }

  @Test
  void hireTagsTheNewUserAsRostersWithSanitisedHrValues() {
    Plan plan =
        Planner.plan(desired(event(EventType.HIRE, T1, "developer"), "dev"), null, Set.of());

    assertThat(plan.operations().get(0).tags())
        .containsEntry(Tags.EMPLOYEE_ID, "E100")
        .containsEntry(Tags.MANAGED_BY, "roster")
        .containsEntry(Tags.DEPARTMENT, "R_D")
        .containsEntry(Tags.TITLE, "Engineer")
        .containsEntry(Tags.STATUS, "active")
        .containsEntry(Tags.LAST_EVENT_AT, "2026-03-01T08:00:00Z");
  }

  @Test
  void aHireWithTheSameTimestampAsTheLeaveDoesNotLiftItAndNamesTheLeave() {
    UserState left = deactivatedDev();
    Map<String, String> tags = new HashMap<>(left.tags());
    tags.put(Tags.LAST_EVENT_ID, "ev-leave-1");
    UserState current =
        new UserState(
            "jdoe",
            tags,
            Set.of(),
            left.inlinePolicies(),
            true,
            false,
            Set.of(),
            Set.of(),
            Set.of(),
            Set.of(),
            Set.of(),
            Set.of());

    Plan plan =
        Planner.plan(desired(event(EventType.HIRE, T1, "developer"), "dev"), current, Set.of());

    assertThat(plan.verdict()).isEqualTo(Plan.Verdict.STALE);
    assertThat(plan.reason()).contains("later event ev-leave-1");
  }

  @Test
  void aLeaveWithTheSameTimestampAsTheLastEventStillApplies() {
    UserState current =
        full(rosterTags(T2, "active"), Set.of("developers"), Set.of(), false, Set.of(), Set.of());

    Plan plan = Planner.plan(desired(event(EventType.LEAVE, T2), "dev"), current, Set.of());

    assertThat(plan.verdict()).isEqualTo(Plan.Verdict.APPLY);
    assertThat(plan.operations().get(0).toString())
        .isEqualTo("PutUserPolicy(jdoe, roster-deny-all)");
  }

  @Test
  void aWatermarkFurtherAheadThanAnyEventMayBeIsNotBelieved() {
    Map<String, String> tags = rosterTags(T1, "active");
    tags.put(Tags.LAST_EVENT_AT, "2099-01-01T00:00:00Z"); // forged
    UserState current = full(tags, Set.of("developers"), Set.of(), false, Set.of(), Set.of());
    Desired leave = desired(event(EventType.LEAVE, T2), "dev");

    assertThat(Planner.plan(leave, current, Set.of()).verdict()).isEqualTo(Plan.Verdict.STALE);
    Plan plan = Planner.plan(leave, current, Set.of(), NOW.plusSeconds(300));
    assertThat(plan.verdict()).isEqualTo(Plan.Verdict.APPLY);
    assertThat(plan.operations()).isNotEmpty();
  }

  @Test
  void theCutOffAlonePlansOnlyTheDenyAllAndChecksOwnership() {
    UserState basic =
        UserState.basic("jdoe", rosterTags(T1, "active"), Set.of("developers"), Set.of());
    Desired leave = desired(event(EventType.LEAVE, T2), "dev");

    assertThat(Planner.cutOff(leave, basic, NOW).operations())
        .extracting(Operation::toString)
        .containsExactly("PutUserPolicy(jdoe, roster-deny-all)");
    Map<String, String> stranger = rosterTags(T1, "active");
    stranger.put(Tags.EMPLOYEE_ID, "E999");
    assertThat(
            Planner.cutOff(leave, UserState.basic("jdoe", stranger, Set.of(), Set.of()), NOW)
                .verdict())
        .isEqualTo(Plan.Verdict.REJECTED);
  }
}
