package dev.roster.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.provisioner.iam.IamGateway.UserItems;
import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.Tags;
import dev.roster.provisioner.plan.UserState;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What retention deletes, in which order, and which users it refuses to touch. */
class RetentionDeleterTest {
  static final Map<String, String> DEACTIVATED =
      Map.of(
          Tags.MANAGED_BY, Tags.MANAGED_BY_ROSTER,
          Tags.EMPLOYEE_ID, "E1",
          Tags.STATUS, Tags.STATUS_DEACTIVATED);

  static UserState user(Map<String, String> tags, Set<String> groups, Set<String> inline) {
    return new UserState(
        "jdoe",
        tags,
        groups,
        inline,
        true,
        true,
        Set.of(),
        Set.of(),
        Set.of(),
        Set.of(),
        Set.of("arn:aws:iam::111111111111:mfa/jdoe"),
        Set.of("arn:aws:iam::aws:policy/ReadOnlyAccess"));
  }

  @Test
  void everythingIamRequiresGoesFirstTheDenyAllLastButTheUser() {
    UserItems items =
        new UserItems(
            user(DEACTIVATED, Set.of("developers"), Set.of(Tags.DENY_ALL_POLICY, "extra")),
            Set.of("AKIA2", "AKIA1"),
            Set.of("APKA1"),
            Set.of("ACCA1"),
            Set.of("CERT1"));

    assertThat(RetentionDeleter.operations(items).stream().map(Operation::toString))
        .containsExactly(
            "DeleteLoginProfile(jdoe, jdoe)",
            "DeleteAccessKey(jdoe, AKIA1)",
            "DeleteAccessKey(jdoe, AKIA2)",
            "DeleteSSHPublicKey(jdoe, APKA1)",
            "DeleteServiceSpecificCredential(jdoe, ACCA1)",
            "DeleteSigningCertificate(jdoe, CERT1)",
            "DeactivateMFADevice(jdoe, arn:aws:iam::111111111111:mfa/jdoe)",
            "RemoveUserFromGroup(jdoe, developers)",
            "DetachUserPolicy(jdoe, arn:aws:iam::aws:policy/ReadOnlyAccess)",
            "DeleteUserPolicy(jdoe, extra)",
            "DeleteUserPolicy(jdoe, roster-deny-all)",
            "DeleteUser(jdoe, jdoe)");
  }

  @Test
  void onlyRostersOwnDeactivatedUsersWithTheDenyAllAreDeleted() {
    Set<String> deny = Set.of(Tags.DENY_ALL_POLICY);
    assertThat(RetentionDeleter.refusal("E1", user(DEACTIVATED, Set.of(), deny), Set.of()))
        .isNull();
    assertThat(RetentionDeleter.refusal("E2", user(DEACTIVATED, Set.of(), deny), Set.of()))
        .startsWith("unmanaged-user");
    Map<String, String> foreign = new java.util.HashMap<>(DEACTIVATED);
    foreign.put(Tags.MANAGED_BY, "terraform");
    assertThat(RetentionDeleter.refusal("E1", user(foreign, Set.of(), deny), Set.of()))
        .startsWith("unmanaged-user");
    Map<String, String> active = new java.util.HashMap<>(DEACTIVATED);
    active.put(Tags.STATUS, Tags.STATUS_ACTIVE);
    assertThat(RetentionDeleter.refusal("E1", user(active, Set.of(), deny), Set.of()))
        .startsWith("not-deactivated");
    assertThat(RetentionDeleter.refusal("E1", user(DEACTIVATED, Set.of(), Set.of()), Set.of()))
        .as("no deny-all in place")
        .startsWith("not-deactivated");
    assertThat(
            RetentionDeleter.refusal(
                "E1", user(DEACTIVATED, Set.of("Break-Glass"), deny), Set.of("break-glass")))
        .startsWith("ignored-group")
        .contains("Break-Glass");
  }
}
