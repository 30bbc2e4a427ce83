package dev.roster.provisioner.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.Tags;
import dev.roster.sandbox.iam.IamSandbox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.IamClientBuilder;
import software.amazon.awssdk.services.iam.model.CreateUserRequest;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * A CreateUser whose first attempt got no answer is retried and answered EntityAlreadyExists. The
 * gateway adopts the user only if it is this employee's Roster user, through the real SDK against
 * the IAM sandbox; the lost answer is an interceptor on the first attempt.
 */
class CreateUserRetryTest {
  static final String DEV = "111111111111";

  static IamSandbox sandbox;
  static IamClient admin;

  @BeforeAll
  static void start() {
    sandbox = IamSandbox.builder().build().start();
    admin = builder().build();
  }

  @AfterAll
  static void stop() {
    admin.close();
    sandbox.close();
  }

  static IamClient client(Consumer<Context.BeforeTransmission> firstCreateUser) {
    AtomicInteger creates = new AtomicInteger();
    ExecutionInterceptor interceptor =
        new ExecutionInterceptor() {
          @Override
          public void beforeTransmission(
              Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (context.request() instanceof CreateUserRequest && creates.incrementAndGet() == 1) {
              firstCreateUser.accept(context);
            }
          }

          @Override
          public void afterExecution(
              Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof CreateUserRequest && creates.get() == 1) {
              creates.incrementAndGet();
              throw SdkClientException.builder()
                  .message("connection reset before the answer")
                  .cause(new IOException("connection reset"))
                  .build();
            }
          }
        };
    return builder(interceptor).build();
  }

  static IamClientBuilder builder(ExecutionInterceptor... interceptors) {
    return IamClient.builder()
        .endpointOverride(sandbox.endpoint())
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(DEV, "secret")))
        .overrideConfiguration(
            c -> {
              c.retryStrategy(AwsRetryStrategy.doNotRetry());
              for (ExecutionInterceptor i : interceptors) {
                c.addExecutionInterceptor(i);
              }
            });
  }

  static AwsIamGateway gateway(IamClient iam) {
    Retrier retrier =
        new Retrier(
            3, Duration.ZERO, Duration.ZERO, Duration.ZERO, new SimpleMeterRegistry(), d -> {});
    return new AwsIamGateway(Map.of("dev", iam), retrier, Runnable::run);
  }

  static Map<String, String> ours(String employee) {
    return Map.of(Tags.MANAGED_BY, Tags.MANAGED_BY_ROSTER, Tags.EMPLOYEE_ID, employee);
  }

  @Test
  void theUserTheLostAttemptCreatedIsAdopted() {
    try (IamClient iam = client(c -> {})) {
      IamGateway.AppliedChange change =
          gateway(iam).apply("dev", Operation.createUser("lost.answer", ours("e-1")));

      assertThat(change).isNotNull();
      assertThat(admin.listUserTags(r -> r.userName("lost.answer")).tags())
          .contains(Tag.builder().key(Tags.EMPLOYEE_ID).value("e-1").build());
    }
  }

  @Test
  void aUserSomeoneElseCreatedBetweenTheAttemptsIsNotAdopted() {
    // The first attempt is lost before it reaches IAM, and meanwhile another party takes the name.
    try (IamClient iam =
        client(
            c -> {
              admin.createUser(r -> r.userName("taken.between").path("/roster/"));
              throw SdkClientException.builder()
                  .message("connection refused")
                  .cause(new IOException("connection refused"))
                  .build();
            })) {
      assertThatThrownBy(
              () -> gateway(iam).apply("dev", Operation.createUser("taken.between", ours("e-2"))))
          .isInstanceOf(IamFailure.class)
          .hasMessageContaining("EntityAlreadyExists")
          .hasMessageContaining("not adopted");
    }
  }

  @Test
  void anotherEmployeesRosterUserIsNotAdopted() {
    try (IamClient iam =
        client(
            c -> {
              admin.createUser(
                  r ->
                      r.userName("other.employee")
                          .path("/roster/")
                          .tags(
                              Tag.builder()
                                  .key(Tags.MANAGED_BY)
                                  .value(Tags.MANAGED_BY_ROSTER)
                                  .build(),
                              Tag.builder().key(Tags.EMPLOYEE_ID).value("e-other").build()));
              throw SdkClientException.builder()
                  .message("connection refused")
                  .cause(new IOException("connection refused"))
                  .build();
            })) {
      assertThatThrownBy(
              () -> gateway(iam).apply("dev", Operation.createUser("other.employee", ours("e-3"))))
          .isInstanceOf(IamFailure.class)
          .hasMessageContaining("not adopted");
    }
  }
}
