package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InvalidInputException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.Tag;

/** IAM's quotas answer LimitExceeded (409); limits on a single request are ValidationErrors. */
class QuotasConformanceTest extends SandboxTestBase {

  @Test
  void fiveThousandUsersPerAccount() {
    StringBuilder users = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      users.append(i == 0 ? "" : ",").append("\"u").append(i).append('"');
    }
    sandbox.seed(
        new ByteArrayInputStream(
            ("{\"accounts\":{\"" + ACCOUNT + "\":{\"users\":[" + users + "]}}}")
                .getBytes(StandardCharsets.UTF_8)));

    assertThatThrownBy(() -> iam.createUser(r -> r.userName("one-too-many")))
        .isInstanceOfSatisfying(
            LimitExceededException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(409);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("Cannot exceed quota for UsersPerAccount: 5000");
            });
    assertThat(iam("222222222222").createUser(r -> r.userName("elsewhere")).user()).isNotNull();
  }

  @Test
  void tenGroupsPerUser() {
    iam.createUser(r -> r.userName("alice"));
    for (int i = 0; i < 11; i++) {
      int n = i;
      iam.createGroup(r -> r.groupName("g" + n));
    }
    for (int i = 0; i < 10; i++) {
      int n = i;
      iam.addUserToGroup(r -> r.groupName("g" + n).userName("alice"));
    }

    assertThatThrownBy(() -> iam.addUserToGroup(r -> r.groupName("g10").userName("alice")))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("GroupsPerUser: 10");
    assertThat(iam.listGroupsForUser(r -> r.userName("alice")).groups()).hasSize(10);
  }

  @Test
  void fiftyTagsPerUser() {
    List<Tag> fifty = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fifty.add(Tag.builder().key("k" + i).value("v").build());
    }
    List<Tag> fiftyOne = new ArrayList<>(fifty);
    fiftyOne.add(Tag.builder().key("k50").value("v").build());

    assertThatThrownBy(() -> iam.createUser(r -> r.userName("bob").tags(fiftyOne)))
        .isInstanceOfSatisfying(
            IamException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
    iam.createUser(r -> r.userName("alice").tags(fifty));
    iam.tagUser(r -> r.userName("alice").tags(Tag.builder().key("K0").value("replaced").build()));
    assertThatThrownBy(
            () ->
                iam.tagUser(
                    r -> r.userName("alice").tags(Tag.builder().key("k50").value("v").build())))
        .isInstanceOf(LimitExceededException.class);
  }

  @Test
  void tagKeysAndValuesAreValidated() {
    iam.createUser(r -> r.userName("alice"));

    assertThatThrownBy(
            () ->
                iam.tagUser(
                    r -> r.userName("alice").tags(Tag.builder().key("aws:x").value("v").build())))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () ->
                iam.tagUser(
                    r ->
                        r.userName("alice")
                            .tags(Tag.builder().key("k".repeat(129)).value("v").build())))
        .hasMessageContaining("length less than or equal to 128");
    assertThatThrownBy(
            () ->
                iam.tagUser(
                    r ->
                        r.userName("alice")
                            .tags(
                                Tag.builder().key("dup").value("1").build(),
                                Tag.builder().key("DUP").value("2").build())))
        .isInstanceOf(InvalidInputException.class);
  }
}
