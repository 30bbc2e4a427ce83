package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.CreateUserResponse;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.ListUsersResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;

class UsersConformanceTest extends SandboxTestBase {

  @Test
  void createUserReturnsIamShapedUser() {
    CreateUserResponse created =
        iam.createUser(
            r ->
                r.userName("alice")
                    .path("/eng/")
                    .tags(Tag.builder().key("team").value("core").build()));

    User u = created.user();
    assertThat(u.userName()).isEqualTo("alice");
    assertThat(u.path()).isEqualTo("/eng/");
    assertThat(u.userId()).startsWith("AIDA").hasSize(21);
    assertThat(u.arn()).isEqualTo("arn:aws:iam::111111111111:user/eng/alice");
    assertThat(u.createDate()).isCloseTo(Instant.now(), within(5, ChronoUnit.SECONDS));
    assertThat(u.tags()).containsExactly(Tag.builder().key("team").value("core").build());
    assertThat(created.responseMetadata().requestId()).isNotBlank();
  }

  @Test
  void getUserFindsTheUserAndNoSuchEntityOtherwise() {
    iam.createUser(r -> r.userName("alice"));

    assertThat(iam.getUser(r -> r.userName("alice")).user().arn())
        .isEqualTo("arn:aws:iam::111111111111:user/alice");
    assertThatThrownBy(() -> iam.getUser(r -> r.userName("bob")))
        .isInstanceOfSatisfying(
            NoSuchEntityException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(404);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity");
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("The user with name bob cannot be found.");
              assertThat(e.requestId()).isNotBlank();
            });
  }

  @Test
  void namesAreUniqueRegardlessOfCase() {
    iam.createUser(r -> r.userName("Alice"));

    assertThatThrownBy(() -> iam.createUser(r -> r.userName("alice")))
        .isInstanceOfSatisfying(
            EntityAlreadyExistsException.class, e -> assertThat(e.statusCode()).isEqualTo(409));
    assertThat(iam.getUser(r -> r.userName("ALICE")).user().userName()).isEqualTo("Alice");
  }

  @Test
  void listUsersFiltersByPathPrefix() {
    iam.createUser(r -> r.userName("a").path("/eng/"));
    iam.createUser(r -> r.userName("b").path("/ops/"));

    ListUsersResponse all = iam.listUsers();
    ListUsersResponse eng = iam.listUsers(r -> r.pathPrefix("/eng"));

    assertThat(all.users()).extracting(User::userName).containsExactly("a", "b");
    assertThat(all.isTruncated()).isFalse();
    assertThat(eng.users()).extracting(User::userName).containsExactly("a");
  }

  @Test
  void accountsAreSeparatedByAccessKey() {
    iam.createUser(r -> r.userName("alice"));

    assertThat(iam("222222222222").listUsers().users()).isEmpty();
    assertThat(iam("AKIAEXAMPLEEXAMPLE12").listUsers().users()).isEmpty();
    iam("AKIAEXAMPLEEXAMPLE12").createUser(r -> r.userName("zed"));
    assertThat(iam("000000000000").getUser(r -> r.userName("zed")).user().arn())
        .isEqualTo("arn:aws:iam::000000000000:user/zed");
  }

  @Test
  void deleteUserRemovesIt() {
    iam.createUser(r -> r.userName("alice"));

    iam.deleteUser(r -> r.userName("alice"));

    assertThat(iam.listUsers().users()).isEmpty();
    assertThatThrownBy(() -> iam.deleteUser(r -> r.userName("alice")))
        .isInstanceOf(NoSuchEntityException.class);
  }

  @Test
  void tagsAreAddedReplacedListedAndRemoved() {
    iam.createUser(r -> r.userName("alice").tags(tag("team", "core")));

    iam.tagUser(r -> r.userName("alice").tags(tag("Team", "edge"), tag("cost", "42")));
    assertThat(iam.listUserTags(r -> r.userName("alice")).tags())
        .containsExactlyInAnyOrder(tag("Team", "edge"), tag("cost", "42"));

    iam.untagUser(r -> r.userName("alice").tagKeys("TEAM", "missing"));
    assertThat(iam.listUserTags(r -> r.userName("alice")).tags())
        .containsExactly(tag("cost", "42"));
    assertThat(iam.getUser(r -> r.userName("alice")).user().tags())
        .containsExactly(tag("cost", "42"));
  }

  @Test
  void invalidNamesAreValidationErrors() {
    assertThatThrownBy(() -> iam.createUser(r -> r.userName("bad name")))
        .isInstanceOfSatisfying(
            IamException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
              assertThat(e.awsErrorDetails().errorMessage()).contains("'userName'");
            });
    assertThatThrownBy(() -> iam.createUser(r -> r.userName("x".repeat(65))))
        .hasMessageContaining("length less than or equal to 64");
    assertThatThrownBy(() -> iam.createUser(r -> r.userName("ok").path("no-slash")))
        .hasMessageContaining("'path'");
  }

  static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }
}
