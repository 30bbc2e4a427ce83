package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.GetGroupResponse;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.User;

class GroupsConformanceTest extends SandboxTestBase {

  @Test
  void createGetListAndDeleteGroup() {
    Group created = iam.createGroup(r -> r.groupName("developers").path("/eng/")).group();

    assertThat(created.groupId()).startsWith("AGPA").hasSize(21);
    assertThat(created.arn()).isEqualTo("arn:aws:iam::111111111111:group/eng/developers");
    assertThat(iam.listGroups().groups())
        .extracting(Group::groupName)
        .containsExactly("developers");
    assertThat(iam.listGroups(r -> r.pathPrefix("/ops/")).groups()).isEmpty();

    iam.deleteGroup(r -> r.groupName("DEVELOPERS"));
    assertThatThrownBy(() -> iam.getGroup(r -> r.groupName("developers")))
        .isInstanceOf(NoSuchEntityException.class)
        .hasMessageContaining("The group with name developers cannot be found.");
  }

  @Test
  void groupNamesAreUniqueRegardlessOfCase() {
    iam.createGroup(r -> r.groupName("Developers"));

    assertThatThrownBy(() -> iam.createGroup(r -> r.groupName("developers")))
        .isInstanceOf(EntityAlreadyExistsException.class);
  }

  @Test
  void membershipShowsOnBothSides() {
    iam.createGroup(r -> r.groupName("developers"));
    iam.createGroup(r -> r.groupName("ops"));
    iam.createUser(r -> r.userName("alice"));

    iam.addUserToGroup(r -> r.groupName("developers").userName("alice"));
    iam.addUserToGroup(r -> r.groupName("developers").userName("alice")); // idempotent, like IAM
    iam.addUserToGroup(r -> r.groupName("ops").userName("Alice"));

    GetGroupResponse group = iam.getGroup(r -> r.groupName("developers"));
    assertThat(group.group().groupName()).isEqualTo("developers");
    assertThat(group.users()).extracting(User::userName).containsExactly("alice");
    assertThat(group.isTruncated()).isFalse();
    assertThat(iam.listGroupsForUser(r -> r.userName("alice")).groups())
        .extracting(Group::groupName)
        .containsExactly("developers", "ops");

    iam.removeUserFromGroup(r -> r.groupName("developers").userName("alice"));
    assertThat(iam.getGroup(r -> r.groupName("developers")).users()).isEmpty();
    assertThatThrownBy(
            () -> iam.removeUserFromGroup(r -> r.groupName("developers").userName("alice")))
        .isInstanceOf(NoSuchEntityException.class);
  }

  @Test
  void addingUnknownUserOrGroupIsNoSuchEntity() {
    iam.createGroup(r -> r.groupName("developers"));

    assertThatThrownBy(() -> iam.addUserToGroup(r -> r.groupName("developers").userName("ghost")))
        .isInstanceOf(NoSuchEntityException.class)
        .hasMessageContaining("The user with name ghost cannot be found.");
    assertThatThrownBy(() -> iam.addUserToGroup(r -> r.groupName("ghosts").userName("ghost")))
        .isInstanceOf(NoSuchEntityException.class)
        .hasMessageContaining("The group with name ghosts cannot be found.");
  }

  @Test
  void groupWithMembersCannotBeDeletedNorCanTheMember() {
    iam.createGroup(r -> r.groupName("developers"));
    iam.createUser(r -> r.userName("alice"));
    iam.addUserToGroup(r -> r.groupName("developers").userName("alice"));

    assertThatThrownBy(() -> iam.deleteGroup(r -> r.groupName("developers")))
        .isInstanceOfSatisfying(
            DeleteConflictException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(409);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("Cannot delete entity, must remove users from group first.");
            });
    assertThatThrownBy(() -> iam.deleteUser(r -> r.userName("alice")))
        .isInstanceOf(DeleteConflictException.class);
  }
}
