package dev.roster.provisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TiersTest {
  static List<String> names(List<Operation> ops) {
    return ops.stream().map(o -> o.action().apiName() + " " + o.target()).toList();
  }

  @Test
  void aLeavesCleanupRunsInTiersWithTheDenyAllAloneFirstAndTheTagsLast() {
    UserState user =
        new UserState(
            "jdoe",
            Map.of(Tags.MANAGED_BY, "roster", Tags.EMPLOYEE_ID, "E100"),
            Set.of("developers", "all-staff"),
            Set.of("inline-extra"),
            true,
            true,
            Set.of("AKIA1", "AKIA2"),
            Set.of("APKA1"),
            Set.of("ACCA1"),
            Set.of("CERT1"),
            Set.of("mfa-1"),
            Set.of("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    Desired leave =
        new Desired(
            "E100",
            "jdoe",
            false,
            false,
            Set.of(),
            Map.of(Tags.STATUS, Tags.STATUS_DEACTIVATED),
            java.time.Instant.parse("2026-03-02T09:00:00Z"));
    List<Operation> plan = Planner.plan(leave, user, Set.of()).operations();

    List<List<Operation>> tiers = Tiers.of(plan);

    assertThat(tiers.get(0)).extracting(o -> o.action()).containsExactly(IamAction.PUT_USER_POLICY);
    assertThat(names(tiers.get(1)))
        .containsExactly(
            "DeleteLoginProfile jdoe", "UpdateAccessKey AKIA1", "UpdateAccessKey AKIA2");
    assertThat(tiers.get(tiers.size() - 1))
        .extracting(o -> o.action())
        .containsOnly(IamAction.TAG_USER);
    assertThat(tiers.stream().flatMap(List::stream).toList())
        .as("every operation once, in the planner's order")
        .containsExactlyElementsOf(plan);
  }

  @Test
  void aPlanThatCreatesAUserStaysOneOperationAtATime() {
    List<Operation> plan =
        List.of(
            Operation.createUser("jdoe", Map.of()),
            Operation.of(IamAction.ADD_USER_TO_GROUP, "jdoe", "a"),
            Operation.of(IamAction.ADD_USER_TO_GROUP, "jdoe", "b"));

    assertThat(Tiers.of(plan)).hasSize(3).allSatisfy(t -> assertThat(t).hasSize(1));
  }
}
