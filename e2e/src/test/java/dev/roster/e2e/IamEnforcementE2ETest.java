package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.roster.local.Component;
import dev.roster.local.Stack;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;

/**
 * The running stack holds the provisioner to the shipped deploy/aws policies: with the very
 * credentials the provisioner runs with, a hire still goes through, but escalating (an
 * administrator policy on a Roster user, a user without Roster's boundary, a new group) is denied.
 */
class IamEnforcementE2ETest {
  static Stack stack;
  static Mapping mapping;

  @BeforeAll
  static void startStack() {
    stack = E2eStack.get();
    mapping = Mapping.read(RepoRoot.find().resolve("deploy/roles.yaml"));
  }

  @Test
  void theProvisionersCredentialsCannotEscalate() {
    assertThat(stack.iamEnforced()).isTrue();
    String employee = "enf-" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    String user = employee + ".user";
    String hire = "evt-" + employee + "-hire";
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    assertThat(
            E2eStack.post(
                Scenario.event(hire, "hire", employee, now, now, user, mapping.roleNames().get(0))))
        .isEqualTo(202);
    assertThat(Scenario.outcomeOtherThan(hire, "", Duration.ofMinutes(2))).isEqualTo("completed");

    try (IamClient provisioner = asProvisioner()) {
      // The same credentials may do the provisioner's job...
      assertThat(provisioner.getUser(b -> b.userName(user)).user().permissionsBoundary())
          .as("created with Roster's users' boundary")
          .isNotNull();
      // ...and nothing beyond it.
      assertDenied(
          () ->
              provisioner.attachUserPolicy(
                  b -> b.userName(user).policyArn("arn:aws:iam::aws:policy/AdministratorAccess")),
          "iam:AttachUserPolicy");
      assertDenied(
          () -> provisioner.createUser(b -> b.userName(employee + ".unbounded").path("/roster/")),
          "iam:CreateUser");
      assertDenied(
          () -> provisioner.createGroup(b -> b.groupName(employee + "-admins")), "iam:CreateGroup");
    }
    assertThat(E2eStack.iam(mapping.birthrightAccountId()).listGroups().groups())
        .noneMatch(g -> g.groupName().equals(employee + "-admins"));
  }

  private static void assertDenied(Runnable call, String action) {
    IamException e = catchThrowableOfType(call::run, IamException.class);
    assertThat(e).as(action + " denied").isNotNull();
    assertThat(e.statusCode()).isEqualTo(403);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
    assertThat(e.awsErrorDetails().errorMessage()).contains(action);
  }

  /** A client with the provisioner's own credentials in its home account. */
  private static IamClient asProvisioner() {
    return IamClient.builder()
        .endpointOverride(URI.create(stack.url(Component.IAM)))
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(stack.provisionerSessionKey(), "e2e", "e2e")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }
}
