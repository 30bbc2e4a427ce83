package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.ListUsersResponse;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;

/** Every List* pages like IAM: MaxItems (default 100), Marker, and always IsTruncated. */
class PaginationConformanceTest extends SandboxTestBase {

  private void seedUsers(int n) {
    StringBuilder users = new StringBuilder();
    for (int i = 0; i < n; i++) {
      users.append(i == 0 ? "" : ",").append(String.format("\"user-%03d\"", i));
    }
    sandbox.seed(
        new ByteArrayInputStream(
            ("{\"accounts\":{\"" + ACCOUNT + "\":{\"users\":[" + users + "]}}}")
                .getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void twoHundredFiftyUsersComeInPagesOfOneHundredByDefault() {
    seedUsers(250);

    ListUsersResponse first = iam.listUsers();
    ListUsersResponse second = iam.listUsers(r -> r.marker(first.marker()));
    ListUsersResponse third = iam.listUsers(r -> r.marker(second.marker()));

    assertThat(first.users()).hasSize(100);
    assertThat(first.isTruncated()).isTrue();
    assertThat(second.users()).hasSize(100);
    assertThat(second.isTruncated()).isTrue();
    assertThat(third.users()).hasSize(50);
    assertThat(third.isTruncated()).isFalse();
    assertThat(third.marker()).isNull();
    List<String> names = new ArrayList<>();
    for (ListUsersResponse page : List.of(first, second, third)) {
      page.users().forEach(u -> names.add(u.userName()));
    }
    assertThat(names).hasSize(250).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void sdkPaginatorWalksEveryPage() {
    seedUsers(250);

    List<String> names =
        iam.listUsersPaginator(r -> r.maxItems(30)).users().stream().map(User::userName).toList();

    assertThat(names).hasSize(250).doesNotHaveDuplicates();
    assertThat(sandbox.calls(ACCOUNT, "ListUsers")).isEqualTo(9);
  }

  @Test
  void aMarkerStaysValidWhenEarlierItemsAreDeleted() {
    seedUsers(10);
    ListUsersResponse first = iam.listUsers(r -> r.maxItems(5));

    iam.deleteUser(r -> r.userName("user-000"));
    ListUsersResponse second = iam.listUsers(r -> r.marker(first.marker()).maxItems(5));

    assertThat(second.users()).extracting(User::userName).first().isEqualTo("user-005");
    assertThat(second.users()).hasSize(5);
    assertThat(second.isTruncated()).isFalse();
  }

  @Test
  void maxItemsAndMarkerAreValidated() {
    assertThatThrownBy(() -> iam.listUsers(r -> r.maxItems(0)))
        .isInstanceOfSatisfying(
            IamException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
    assertThatThrownBy(() -> iam.listUsers(r -> r.maxItems(1001)))
        .hasMessageContaining("less than or equal to 1000");
    assertThatThrownBy(() -> iam.listUsers(r -> r.marker("not-a-marker!")))
        .hasMessageContaining("Invalid Marker");
  }

  @Test
  void groupMembersGroupsForUserTagsAndPoliciesPaginateToo() {
    seedUsers(7);
    iam.createGroup(r -> r.groupName("g0"));
    for (int i = 0; i < 7; i++) {
      int n = i;
      iam.addUserToGroup(r -> r.groupName("g0").userName(String.format("user-%03d", n)));
    }
    for (int i = 1; i < 5; i++) {
      int n = i;
      iam.createGroup(r -> r.groupName("g" + n));
      iam.addUserToGroup(r -> r.groupName("g" + n).userName("user-000"));
    }
    for (int i = 0; i < 5; i++) {
      int n = i;
      iam.tagUser(r -> r.userName("user-000").tags(Tag.builder().key("k" + n).value("v").build()));
    }

    assertThat(iam.getGroupPaginator(r -> r.groupName("g0").maxItems(2)).users()).hasSize(7);
    assertThat(iam.getGroup(r -> r.groupName("g0").maxItems(2)).isTruncated()).isTrue();
    assertThat(iam.listGroupsForUserPaginator(r -> r.userName("user-000").maxItems(2)).groups())
        .hasSize(5);
    assertThat(iam.listUserTags(r -> r.userName("user-000").maxItems(2)).isTruncated()).isTrue();
    assertThat(iam.listGroupsPaginator(r -> r.maxItems(2)).groups()).hasSize(5);
    assertThat(iam.listPoliciesPaginator(r -> r.maxItems(2)).policies()).hasSizeGreaterThan(2);
    iam.createAccessKey(r -> r.userName("user-000"));
    iam.createAccessKey(r -> r.userName("user-000"));
    assertThat(iam.listAccessKeys(r -> r.userName("user-000").maxItems(1)).isTruncated()).isTrue();
    assertThat(
            iam.listAccessKeysPaginator(r -> r.userName("user-000").maxItems(1))
                .accessKeyMetadata())
        .hasSize(2);
  }
}
