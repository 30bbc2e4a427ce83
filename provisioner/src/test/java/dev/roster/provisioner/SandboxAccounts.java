package dev.roster.provisioner;

import dev.roster.events.Employee;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMappingLoader;
import dev.roster.provisioner.iam.AwsIamGateway;
import dev.roster.provisioner.iam.Retrier;
import dev.roster.sandbox.iam.IamSandbox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/** The IAM sandbox with a dev and a staging account, reached through the real SDK. */
final class SandboxAccounts implements AutoCloseable {
  static final String DEV = "111111111111";
  static final String STAGING = "222222222222";

  final IamSandbox sandbox = IamSandbox.builder().build().start();
  final IamClient dev = client(DEV);
  final IamClient staging = client(STAGING);
  final AwsIamGateway gateway =
      new AwsIamGateway(
          Map.of("dev", dev, "staging", staging),
          new Retrier(
              1, Duration.ZERO, Duration.ZERO, Duration.ZERO, new SimpleMeterRegistry(), d -> {}),
          Runnable::run);

  private IamClient client(String account) {
    return IamClient.builder()
        .endpointOverride(sandbox.endpoint())
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "secret")))
        .build();
  }

  static RoleMapping mapping(String yaml) {
    String accounts =
        "accounts:\n  dev: { id: \"" + DEV + "\" }\n  staging: { id: \"" + STAGING + "\" }\n";
    return RoleMappingLoader.load(
        new ByteArrayInputStream((accounts + yaml).getBytes(StandardCharsets.UTF_8)), "test");
  }

  static HrEvent event(String id, EventType type, String employeeId, String at, String... roles) {
    OffsetDateTime when = OffsetDateTime.parse(at);
    Employee e =
        type == EventType.LEAVE
            ? null
            : new Employee(
                employeeId.toLowerCase(),
                employeeId.toLowerCase() + "@example.com",
                "Test " + employeeId,
                "Eng",
                "Dev",
                List.of(roles));
    return new HrEvent(id, type, employeeId, when, when, e, null);
  }

  @Override
  public void close() {
    dev.close();
    staging.close();
    sandbox.close();
  }
}
