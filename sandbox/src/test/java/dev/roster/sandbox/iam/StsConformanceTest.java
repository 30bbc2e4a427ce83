package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

class StsConformanceTest extends SandboxTestBase {

  static void seedRole() {
    sandbox.seed(
        new ByteArrayInputStream(
            """
            {"accounts": {"333333333333": {"groups": ["developers"], "roles": ["roster-provisioner"]}}}
            """
                .getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void callerIdentityOfAnAccountKeyIsTheAccountRoot() {
    GetCallerIdentityResponse id = sts("444444444444").getCallerIdentity();

    assertThat(id.account()).isEqualTo("444444444444");
    assertThat(id.arn()).isEqualTo("arn:aws:iam::444444444444:root");
    assertThat(sts("AKIAIOSFODNN7EXAMPLE").getCallerIdentity().account()).isEqualTo("000000000000");
  }

  @Test
  void assumeRoleIssuesCredentialsBoundToTheRolesAccount() {
    seedRole();
    StsClient sts = sts("000000000000");

    AssumeRoleResponse assumed =
        sts.assumeRole(
            r ->
                r.roleArn("arn:aws:iam::333333333333:role/roster-provisioner")
                    .roleSessionName("roster"));

    assertThat(assumed.credentials().accessKeyId()).startsWith("ASIA").hasSize(20);
    assertThat(assumed.credentials().secretAccessKey()).isNotBlank();
    assertThat(assumed.credentials().sessionToken()).isNotBlank();
    assertThat(assumed.credentials().expiration()).isAfter(java.time.Instant.now());
    assertThat(assumed.assumedRoleUser().arn())
        .isEqualTo("arn:aws:sts::333333333333:assumed-role/roster-provisioner/roster");
    assertThat(sts(assumed.credentials().accessKeyId()).getCallerIdentity().account())
        .isEqualTo("333333333333");
  }

  @Test
  void assumedRoleCredentialsProviderReachesTheSeededAccount() {
    seedRole();
    try (StsAssumeRoleCredentialsProvider provider =
        StsAssumeRoleCredentialsProvider.builder()
            .stsClient(sts("000000000000"))
            .refreshRequest(
                r ->
                    r.roleArn("arn:aws:iam::333333333333:role/roster-provisioner")
                        .roleSessionName("roster"))
            .build()) {
      IamClient iam = iam(provider);

      assertThat(iam.listGroups().groups())
          .extracting(g -> g.groupName())
          .containsExactly("developers");
      iam.createUser(r -> r.userName("alice"));
    }
    assertThat(sandbox.state("333333333333").path("users").has("alice")).isTrue();
  }

  @Test
  void durationAndArnAreValidated() {
    seedRole();
    StsClient sts = sts("000000000000");

    assertThatThrownBy(
            () ->
                sts.assumeRole(
                    r ->
                        r.roleArn("arn:aws:iam::333333333333:role/roster-provisioner")
                            .roleSessionName("roster")
                            .durationSeconds(60)))
        .isInstanceOfSatisfying(
            StsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
    assertThatThrownBy(
            () -> sts.assumeRole(r -> r.roleArn("not-an-arn-at-all-really").roleSessionName("x1")))
        .isInstanceOf(StsException.class);
  }

  @Test
  void assumingARoleThatDoesNotExistIsAccessDenied() {
    seedRole();

    assertThatThrownBy(
            () ->
                sts("000000000000")
                    .assumeRole(
                        r ->
                            r.roleArn("arn:aws:iam::333333333333:role/nope").roleSessionName("x1")))
        .isInstanceOfSatisfying(
            StsException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            });
  }
}
