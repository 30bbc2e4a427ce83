package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Policy;
import software.amazon.awssdk.services.iam.model.PolicyScopeType;

class PoliciesConformanceTest extends SandboxTestBase {
  static final String DOC =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"}]}";
  static final String READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";

  @BeforeEach
  void createEntities() {
    iam.createUser(r -> r.userName("alice"));
    iam.createGroup(r -> r.groupName("developers"));
  }

  @Test
  void userInlinePolicyLifecycleReturnsTheDocumentUrlEncodedLikeIam() {
    iam.putUserPolicy(r -> r.userName("alice").policyName("s3-read").policyDocument(DOC));

    String returned =
        iam.getUserPolicy(r -> r.userName("alice").policyName("S3-READ")).policyDocument();
    assertThat(returned).doesNotContain("{");
    assertThat(URLDecoder.decode(returned, StandardCharsets.UTF_8)).isEqualTo(DOC);
    assertThat(iam.listUserPolicies(r -> r.userName("alice")).policyNames())
        .containsExactly("s3-read");

    iam.deleteUserPolicy(r -> r.userName("alice").policyName("s3-read"));
    assertThat(iam.listUserPolicies(r -> r.userName("alice")).policyNames()).isEmpty();
    assertThatThrownBy(() -> iam.getUserPolicy(r -> r.userName("alice").policyName("s3-read")))
        .isInstanceOf(NoSuchEntityException.class);
  }

  @Test
  void groupInlinePolicyLifecycle() {
    iam.putGroupPolicy(r -> r.groupName("developers").policyName("s3-read").policyDocument(DOC));

    assertThat(
            URLDecoder.decode(
                iam.getGroupPolicy(r -> r.groupName("developers").policyName("s3-read"))
                    .policyDocument(),
                StandardCharsets.UTF_8))
        .isEqualTo(DOC);
    assertThat(iam.listGroupPolicies(r -> r.groupName("developers")).policyNames())
        .containsExactly("s3-read");
    assertThatThrownBy(() -> iam.deleteGroup(r -> r.groupName("developers")))
        .isInstanceOf(DeleteConflictException.class)
        .hasMessageContaining("must delete policies first");
    iam.deleteGroupPolicy(r -> r.groupName("developers").policyName("s3-read"));
    iam.deleteGroup(r -> r.groupName("developers"));
  }

  @Test
  void malformedDocumentsAreRejected() {
    assertThatThrownBy(
            () ->
                iam.putUserPolicy(r -> r.userName("alice").policyName("p").policyDocument("{oops")))
        .isInstanceOfSatisfying(
            MalformedPolicyDocumentException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    assertThatThrownBy(
            () ->
                iam.putUserPolicy(
                    r ->
                        r.userName("alice")
                            .policyName("p")
                            .policyDocument("{\"Version\":\"2012-10-17\"}")))
        .isInstanceOf(MalformedPolicyDocumentException.class);
  }

  @Test
  void inlinePolicySizeIsLimitedPerUser() {
    String big =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::"
            + "b".repeat(2000)
            + "\"}]}";

    assertThatThrownBy(
            () -> iam.putUserPolicy(r -> r.userName("alice").policyName("big").policyDocument(big)))
        .isInstanceOf(LimitExceededException.class);
  }

  @Test
  void managedPolicyCreateGetVersionAndList() {
    Policy created =
        iam.createPolicy(
                r ->
                    r.policyName("DevAccess")
                        .path("/roster/")
                        .policyDocument(DOC)
                        .description("dev"))
            .policy();
    assertThat(created.arn()).isEqualTo("arn:aws:iam::111111111111:policy/roster/DevAccess");
    assertThat(created.policyId()).startsWith("ANPA");
    assertThat(created.defaultVersionId()).isEqualTo("v1");
    assertThat(created.attachmentCount()).isZero();
    assertThatThrownBy(() -> iam.createPolicy(r -> r.policyName("devaccess").policyDocument(DOC)))
        .isInstanceOf(EntityAlreadyExistsException.class);

    iam.attachUserPolicy(r -> r.userName("alice").policyArn(created.arn()));
    assertThat(iam.getPolicy(r -> r.policyArn(created.arn())).policy().attachmentCount())
        .isEqualTo(1);
    assertThat(
            URLDecoder.decode(
                iam.getPolicyVersion(r -> r.policyArn(created.arn()).versionId("v1"))
                    .policyVersion()
                    .document(),
                StandardCharsets.UTF_8))
        .isEqualTo(DOC);
    assertThatThrownBy(() -> iam.getPolicyVersion(r -> r.policyArn(created.arn()).versionId("v2")))
        .isInstanceOf(NoSuchEntityException.class);

    assertThat(iam.listPolicies(r -> r.scope(PolicyScopeType.LOCAL)).policies())
        .extracting(Policy::policyName)
        .containsExactly("DevAccess");
    assertThat(iam.listPolicies(r -> r.scope(PolicyScopeType.AWS)).policies())
        .extracting(Policy::arn)
        .contains(READ_ONLY);
    assertThat(iam.listPolicies(r -> r.onlyAttached(true)).policies())
        .extracting(Policy::policyName)
        .containsExactly("DevAccess");
    assertThat(iam.getPolicy(r -> r.policyArn(READ_ONLY)).policy().policyName())
        .isEqualTo("ReadOnlyAccess");
  }

  @Test
  void attachDetachAndListForUsersAndGroups() {
    iam.attachUserPolicy(r -> r.userName("alice").policyArn(READ_ONLY));
    iam.attachUserPolicy(r -> r.userName("alice").policyArn(READ_ONLY)); // idempotent
    iam.attachGroupPolicy(r -> r.groupName("developers").policyArn(READ_ONLY));

    assertThat(iam.listAttachedUserPolicies(r -> r.userName("alice")).attachedPolicies())
        .extracting(AttachedPolicy::policyName, AttachedPolicy::policyArn)
        .containsExactly(tuple("ReadOnlyAccess", READ_ONLY));
    assertThat(iam.listAttachedGroupPolicies(r -> r.groupName("developers")).attachedPolicies())
        .extracting(AttachedPolicy::policyArn)
        .containsExactly(READ_ONLY);
    assertThatThrownBy(() -> iam.deleteUser(r -> r.userName("alice")))
        .isInstanceOf(DeleteConflictException.class)
        .hasMessageContaining("must detach all policies first");
    assertThatThrownBy(() -> iam.deleteGroup(r -> r.groupName("developers")))
        .isInstanceOf(DeleteConflictException.class)
        .hasMessageContaining("must detach all policies first");

    iam.detachUserPolicy(r -> r.userName("alice").policyArn(READ_ONLY));
    iam.detachGroupPolicy(r -> r.groupName("developers").policyArn(READ_ONLY));
    assertThat(iam.listAttachedUserPolicies(r -> r.userName("alice")).attachedPolicies()).isEmpty();
    assertThatThrownBy(() -> iam.detachUserPolicy(r -> r.userName("alice").policyArn(READ_ONLY)))
        .isInstanceOf(NoSuchEntityException.class);
    assertThatThrownBy(
            () ->
                iam.attachUserPolicy(
                    r -> r.userName("alice").policyArn("arn:aws:iam::111111111111:policy/nope")))
        .isInstanceOf(NoSuchEntityException.class);
  }

  @Test
  void anAttachedPolicyCannotBeDeleted() {
    String arn =
        iam.createPolicy(r -> r.policyName("DevAccess").policyDocument(DOC)).policy().arn();
    iam.attachGroupPolicy(r -> r.groupName("developers").policyArn(arn));

    assertThatThrownBy(() -> iam.deletePolicy(r -> r.policyArn(arn)))
        .isInstanceOf(DeleteConflictException.class);
    iam.detachGroupPolicy(r -> r.groupName("developers").policyArn(arn));
    iam.deletePolicy(r -> r.policyArn(arn));
    assertThatThrownBy(() -> iam.getPolicy(r -> r.policyArn(arn)))
        .isInstanceOf(NoSuchEntityException.class);
  }

  @Test
  void atMostTenManagedPoliciesPerUser() {
    for (int i = 0; i < 10; i++) {
      int n = i;
      String arn = iam.createPolicy(r -> r.policyName("p" + n).policyDocument(DOC)).policy().arn();
      iam.attachUserPolicy(r -> r.userName("alice").policyArn(arn));
    }

    assertThatThrownBy(() -> iam.attachUserPolicy(r -> r.userName("alice").policyArn(READ_ONLY)))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("PoliciesPerUser: 10");
  }
}
