package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.GroupDetail;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.ManagedPolicyDetail;
import software.amazon.awssdk.services.iam.model.UserDetail;

/**
 * GetAccountAuthorizationDetails and the group policy reads a review uses, through the SDK: IAM's
 * shapes, URL-encoded documents and pagination across the lists.
 */
class AuthorizationDetailsConformanceTest extends SandboxTestBase {
  static final String S3_READ =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"}]}";

  @BeforeEach
  void seed() {
    sandbox.seed(
        new ByteArrayInputStream(
            ("{\"accounts\":{\""
                    + ACCOUNT
                    + "\":{"
                    + "\"policies\":[{\"name\":\"DevAccess\",\"path\":\"/roster/\",\"document\":"
                    + S3_READ
                    + "}],"
                    + "\"roles\":[\"roster-provisioner\"],"
                    + "\"groups\":[{\"name\":\"developers\",\"policies\":[\"DevAccess\",\"ReadOnlyAccess\"],"
                    + "\"inlinePolicies\":{\"extra\":"
                    + S3_READ
                    + "}},\"admins\",\"ops\"],"
                    + "\"users\":[{\"name\":\"alice\",\"path\":\"/roster/\",\"tags\":{\"team\":\"core\"},"
                    + "\"groups\":[\"developers\",\"admins\"],\"inlinePolicies\":{\"roster-deny-all\":"
                    + S3_READ
                    + "}},\"bob\",\"carol\"]}}}")
                .getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void oneCallShowsUsersGroupsRolesAndPoliciesWithTheirRelationships() {
    GetAccountAuthorizationDetailsResponse r = iam.getAccountAuthorizationDetails();

    assertThat(r.isTruncated()).isFalse();
    assertThat(r.userDetailList())
        .extracting(UserDetail::userName)
        .containsExactly("alice", "bob", "carol");
    UserDetail alice = r.userDetailList().get(0);
    assertThat(alice.arn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/roster/alice");
    assertThat(alice.groupList()).containsExactly("developers", "admins");
    assertThat(alice.tags()).extracting(t -> t.key()).containsExactly("team");
    assertThat(alice.userPolicyList()).hasSize(1);
    assertThat(alice.userPolicyList().get(0).policyName()).isEqualTo("roster-deny-all");
    assertThat(
            URLDecoder.decode(
                alice.userPolicyList().get(0).policyDocument(), StandardCharsets.UTF_8))
        .isEqualTo(S3_READ);

    assertThat(r.groupDetailList())
        .extracting(GroupDetail::groupName)
        .containsExactly("admins", "developers", "ops");
    GroupDetail developers = r.groupDetailList().get(1);
    assertThat(developers.groupPolicyList())
        .extracting(p -> p.policyName())
        .containsExactly("extra");
    assertThat(developers.attachedManagedPolicies())
        .extracting(AttachedPolicy::policyName, AttachedPolicy::policyArn)
        .containsExactly(
            tuple("DevAccess", "arn:aws:iam::" + ACCOUNT + ":policy/roster/DevAccess"),
            tuple("ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"));

    assertThat(r.roleDetailList())
        .extracting(x -> x.roleName())
        .containsExactly("roster-provisioner");

    // Customer managed policies, and of the AWS managed ones only those the account uses.
    assertThat(r.policies())
        .extracting(ManagedPolicyDetail::policyName, ManagedPolicyDetail::attachmentCount)
        .containsExactlyInAnyOrder(tuple("DevAccess", 1), tuple("ReadOnlyAccess", 1));
    ManagedPolicyDetail dev =
        r.policies().stream()
            .filter(p -> p.policyName().equals("DevAccess"))
            .findFirst()
            .orElseThrow();
    assertThat(dev.defaultVersionId()).isEqualTo("v1");
    assertThat(dev.policyVersionList()).hasSize(1);
    assertThat(dev.policyVersionList().get(0).isDefaultVersion()).isTrue();
    assertThat(URLDecoder.decode(dev.policyVersionList().get(0).document(), StandardCharsets.UTF_8))
        .isEqualTo(S3_READ);
  }

  @Test
  void theFilterSelectsEntityTypes() {
    GetAccountAuthorizationDetailsResponse r =
        iam.getAccountAuthorizationDetails(
            b -> b.filter(EntityType.GROUP, EntityType.LOCAL_MANAGED_POLICY));

    assertThat(r.userDetailList()).isEmpty();
    assertThat(r.roleDetailList()).isEmpty();
    assertThat(r.groupDetailList()).hasSize(3);
    assertThat(r.policies())
        .extracting(ManagedPolicyDetail::policyName)
        .containsExactly("DevAccess");
  }

  @Test
  void pagesRunAcrossTheListsAndThePaginatorCollectsEverything() {
    GetAccountAuthorizationDetailsResponse first =
        iam.getAccountAuthorizationDetails(b -> b.maxItems(2));
    GetAccountAuthorizationDetailsResponse second =
        iam.getAccountAuthorizationDetails(b -> b.maxItems(2).marker(first.marker()));

    assertThat(first.isTruncated()).isTrue();
    assertThat(first.userDetailList())
        .extracting(UserDetail::userName)
        .containsExactly("alice", "bob");
    assertThat(second.userDetailList()).extracting(UserDetail::userName).containsExactly("carol");
    assertThat(second.groupDetailList())
        .extracting(GroupDetail::groupName)
        .containsExactly("admins");

    List<String> users = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    List<String> policies = new ArrayList<>();
    int[] pages = {0};
    iam.getAccountAuthorizationDetailsPaginator(b -> b.maxItems(2))
        .forEach(
            page -> {
              pages[0]++;
              page.userDetailList().forEach(u -> users.add(u.userName()));
              page.groupDetailList().forEach(g -> groups.add(g.groupName()));
              page.policies().forEach(p -> policies.add(p.policyName()));
            });
    assertThat(pages[0]).isEqualTo(5); // 3 users + 3 groups + 1 role + 2 policies, 2 a page
    assertThat(users).containsExactly("alice", "bob", "carol");
    assertThat(groups).containsExactly("admins", "developers", "ops");
    assertThat(policies).containsExactlyInAnyOrder("DevAccess", "ReadOnlyAccess");
  }

  @Test
  void anUnknownFilterValueIsAValidationError() {
    assertThatThrownBy(() -> iam.getAccountAuthorizationDetails(b -> b.filterWithStrings("Users")))
        .isInstanceOfSatisfying(
            IamException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
              assertThat(e.getMessage()).contains("'filter.1.member'");
            });
  }

  @Test
  void groupPolicyListsPageAndEachDocumentReadsBack() {
    for (int i = 0; i < 3; i++) {
      int n = i;
      iam.putGroupPolicy(r -> r.groupName("ops").policyName("p" + n).policyDocument(S3_READ));
    }
    iam.attachGroupPolicy(
        r -> r.groupName("ops").policyArn("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    iam.attachGroupPolicy(
        r -> r.groupName("ops").policyArn("arn:aws:iam::aws:policy/IAMReadOnlyAccess"));

    assertThat(iam.listGroupPolicies(r -> r.groupName("ops").maxItems(2)).isTruncated()).isTrue();
    assertThat(iam.listGroupPoliciesPaginator(r -> r.groupName("ops").maxItems(2)).policyNames())
        .containsExactly("p0", "p1", "p2");
    assertThat(iam.listAttachedGroupPolicies(r -> r.groupName("ops").maxItems(1)).isTruncated())
        .isTrue();
    assertThat(
            iam.listAttachedGroupPoliciesPaginator(r -> r.groupName("ops").maxItems(1))
                .attachedPolicies())
        .extracting(AttachedPolicy::policyName)
        .containsExactlyInAnyOrder("ReadOnlyAccess", "IAMReadOnlyAccess");
    assertThat(
            URLDecoder.decode(
                iam.getGroupPolicy(r -> r.groupName("ops").policyName("P1")).policyDocument(),
                StandardCharsets.UTF_8))
        .isEqualTo(S3_READ);
    String arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    String version = iam.getPolicy(r -> r.policyArn(arn)).policy().defaultVersionId();
    assertThat(iam.getPolicy(r -> r.policyArn(arn)).policy().attachmentCount()).isEqualTo(2);
    assertThat(
            iam.getPolicyVersion(r -> r.policyArn(arn).versionId(version))
                .policyVersion()
                .isDefaultVersion())
        .isTrue();
  }
}
