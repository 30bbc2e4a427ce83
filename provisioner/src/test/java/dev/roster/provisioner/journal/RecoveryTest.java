package dev.roster.provisioner.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.provisioner.plan.IamAction;
import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.Tags;
import dev.roster.provisioner.plan.UserState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which journaled mutations an earlier, killed attempt applied, judged from what IAM shows. */
class RecoveryTest {

  static JournaledOp op(IamAction action, String target) {
    return JournaledOp.of(
        action + "/" + target, "dev", "111111111111", Operation.of(action, "jdoe", target));
  }

  static Intent intent(JournaledOp... ops) {
    return new Intent("ev-1", "E1", List.of(ops));
  }

  static UserState user(Set<String> groups, Set<String> inline) {
    return UserState.basic("jdoe", Map.of(Tags.MANAGED_BY, "roster"), groups, inline);
  }

  static UserState full(boolean login, Set<String> activeKeys, Set<String> mfa) {
    return new UserState(
        "jdoe",
        Map.of(),
        Set.of(),
        Set.of(Tags.DENY_ALL_POLICY),
        true,
        login,
        activeKeys,
        Set.of(),
        Set.of(),
        Set.of(),
        mfa,
        Set.of());
  }

  @Test
  void aJournaledMutationThatIamShowsAndTheNewPlanLacksWasApplied() {
    JournaledOp create = op(IamAction.CREATE_USER, "jdoe");
    JournaledOp staff = op(IamAction.ADD_USER_TO_GROUP, "all-staff");
    JournaledOp devs = op(IamAction.ADD_USER_TO_GROUP, "developers");

    List<JournaledOp> applied =
        Recovery.applied(
            intent(create, staff, devs),
            Map.of("dev", user(Set.of("all-staff"), Set.of())),
            Set.of(devs.changeId()));

    assertThat(applied).containsExactly(create, staff);
  }

  @Test
  void whatTheNewPlanStillContainsWasNotApplied() {
    JournaledOp staff = op(IamAction.ADD_USER_TO_GROUP, "all-staff");

    // Even if IAM shows it (someone added it by hand meanwhile), the new plan decides.
    assertThat(
            Recovery.applied(
                intent(staff),
                Map.of("dev", user(Set.of("all-staff"), Set.of())),
                Set.of(staff.changeId())))
        .isEmpty();
  }

  @Test
  void withoutAUserInTheAccountNothingWasApplied() {
    assertThat(
            Recovery.applied(
                intent(
                    op(IamAction.CREATE_USER, "jdoe"),
                    op(IamAction.REMOVE_USER_FROM_GROUP, "developers")),
                Map.of(),
                Set.of()))
        .isEmpty();
  }

  @Test
  void aMutationWhoseEffectIamDoesNotShowIsNotClaimed() {
    // Neither planned again nor visible: e.g. reverted by hand; claiming it would be a lie.
    JournaledOp add = op(IamAction.ADD_USER_TO_GROUP, "developers");
    JournaledOp remove = op(IamAction.REMOVE_USER_FROM_GROUP, "readonly");

    assertThat(
            Recovery.applied(
                intent(add, remove), Map.of("dev", user(Set.of("readonly"), Set.of())), Set.of()))
        .isEmpty();
  }

  @Test
  void groupNamesCompareWithoutCaseAsIamDoes() {
    JournaledOp add = op(IamAction.ADD_USER_TO_GROUP, "Developers");
    JournaledOp remove = op(IamAction.REMOVE_USER_FROM_GROUP, "ReadOnly");

    assertThat(
            Recovery.applied(
                intent(add, remove), Map.of("dev", user(Set.of("developers"), Set.of())), Set.of()))
        .containsExactly(add, remove);
  }

  @Test
  void tagsCountOnlyWhenEveryJournaledValueIsInPlace() {
    JournaledOp done =
        JournaledOp.of(
            "t1",
            "dev",
            "111111111111",
            Operation.tagUser("jdoe", Map.of(Tags.STATUS, "deactivated", Tags.TITLE, "Eng")));
    JournaledOp half =
        JournaledOp.of(
            "t2",
            "dev",
            "111111111111",
            Operation.tagUser("jdoe", Map.of(Tags.STATUS, "deactivated", Tags.TITLE, "Boss")));
    JournaledOp untag =
        JournaledOp.of(
            "u1", "dev", "111111111111", Operation.untagUser("jdoe", List.of(Tags.DEACTIVATED_AT)));
    UserState tagged =
        UserState.basic(
            "jdoe", Map.of(Tags.STATUS, "deactivated", Tags.TITLE, "Eng"), Set.of(), Set.of());

    assertThat(Recovery.applied(intent(done, half, untag), Map.of("dev", tagged), Set.of()))
        .containsExactly(done, untag);
  }

  @Test
  void leaveMutationsCountFromTheFullStateOnly() {
    JournaledOp deny = op(IamAction.PUT_USER_POLICY, Tags.DENY_ALL_POLICY);
    JournaledOp login = op(IamAction.DELETE_LOGIN_PROFILE, "jdoe");
    JournaledOp key1 = op(IamAction.UPDATE_ACCESS_KEY, "AKIA1");
    JournaledOp key2 = op(IamAction.UPDATE_ACCESS_KEY, "AKIA2");
    JournaledOp mfa = op(IamAction.DEACTIVATE_MFA_DEVICE, "arn:mfa/jdoe");
    Intent leave = intent(deny, login, key1, key2, mfa);

    assertThat(
            Recovery.applied(
                leave,
                Map.of("dev", full(false, Set.of("AKIA2"), Set.of("arn:mfa/jdoe"))),
                Set.of(key2.changeId(), mfa.changeId())))
        .containsExactly(deny, login, key1);
    // Credentials not read: only what the basic state shows can be judged.
    assertThat(
            Recovery.applied(
                leave, Map.of("dev", user(Set.of(), Set.of(Tags.DENY_ALL_POLICY))), Set.of()))
        .containsExactly(deny);
  }

  @Test
  void anotherAttemptsOperationsMergeIntoTheIntentEachChangeIdOnce() {
    JournaledOp a = op(IamAction.ADD_USER_TO_GROUP, "a");
    JournaledOp b = op(IamAction.ADD_USER_TO_GROUP, "b");
    JournaledOp c = op(IamAction.ADD_USER_TO_GROUP, "c");

    assertThat(intent(a, b).with(List.of(b, c)).operations()).containsExactly(a, b, c);
  }
}
