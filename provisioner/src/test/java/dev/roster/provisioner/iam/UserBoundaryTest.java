package dev.roster.provisioner.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.provisioner.plan.Operation;
import dev.roster.sandbox.iam.IamSandbox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The shipped deploy/aws policy lets the provisioner create a user only with Roster's permissions
 * boundary: the gateway sets it on CreateUser, through the real SDK against the IAM sandbox.
 */
class UserBoundaryTest {
  static final String DEV = "111111111111";
  static final String BOUNDARY = "arn:aws:iam::" + DEV + ":policy/roster-user-boundary";

  static IamSandbox sandbox;
  static IamClient iam;

  @BeforeAll
  static void start() {
    sandbox = IamSandbox.builder().build().start();
    iam =
        IamClient.builder()
            .endpointOverride(sandbox.endpoint())
            .region(Region.AWS_GLOBAL)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(DEV, "secret")))
            .build();
    iam.createPolicy(
        r ->
            r.policyName("roster-user-boundary")
                .policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"));
  }

  @AfterAll
  static void stop() {
    iam.close();
    sandbox.close();
  }

  static AwsIamGateway gateway(Map<String, String> boundaries) {
    Retrier retrier =
        new Retrier(
            1, Duration.ZERO, Duration.ZERO, Duration.ZERO, new SimpleMeterRegistry(), d -> {});
    return new AwsIamGateway(Map.of("dev", iam), retrier, Runnable::run, boundaries);
  }

  @Test
  void aCreatedUserCarriesTheConfiguredBoundary() {
    gateway(Map.of("dev", BOUNDARY))
        .apply("dev", Operation.createUser("bounded.user", Map.of("roster:managed-by", "roster")));

    assertThat(iam.getUser(r -> r.userName("bounded.user")).user().permissionsBoundary())
        .isNotNull()
        .satisfies(b -> assertThat(b.permissionsBoundaryArn()).isEqualTo(BOUNDARY));
  }

  @Test
  void withoutABoundaryConfiguredTheUserHasNone() {
    gateway(Map.of())
        .apply("dev", Operation.createUser("plain.user", Map.of("roster:managed-by", "roster")));

    assertThat(iam.getUser(r -> r.userName("plain.user")).user().permissionsBoundary()).isNull();
  }
}
