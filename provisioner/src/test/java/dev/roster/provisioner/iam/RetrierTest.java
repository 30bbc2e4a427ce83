package dev.roster.provisioner.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

class RetrierTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final List<Duration> sleeps = new ArrayList<>();
  final Retrier retrier =
      new Retrier(
          4,
          Duration.ofMillis(100),
          Duration.ofMillis(250),
          Duration.ofSeconds(2),
          registry,
          sleeps::add);

  static IamException iamError(String code, int status) {
    return (IamException)
        IamException.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
            .build();
  }

  static SdkClientException unreachable() {
    return SdkClientException.builder()
        .message("Unable to execute HTTP request: Connection refused")
        .cause(new java.net.ConnectException("Connection refused"))
        .build();
  }

  @Test
  void expiredCredentialsAreRenewedThenTheCallRetried() {
    List<String> renewed = new ArrayList<>();
    AtomicInteger calls = new AtomicInteger();

    Retrier.Attempted<String> result =
        retrier
            .renewingCredentials(renewed::add)
            .call(
                "prod",
                "PutUserPolicy",
                () -> {
                  if (calls.incrementAndGet() == 1) {
                    throw iamError("ExpiredToken", 400);
                  }
                  return "ok";
                });

    assertThat(result.value()).isEqualTo("ok");
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(renewed).containsExactly("prod");
  }

  @Test
  void credentialsThatStayExpiredEndWithinTheAttemptCount() {
    List<String> renewed = new ArrayList<>();

    assertThatThrownBy(
            () ->
                retrier
                    .renewingCredentials(renewed::add)
                    .call(
                        "prod",
                        "PutUserPolicy",
                        () -> {
                          throw iamError("ExpiredToken", 400);
                        }))
        .isInstanceOf(IamFailure.class)
        .satisfies(f -> assertThat(((IamFailure) f).retriesExhausted()).isTrue());
    assertThat(renewed).hasSize(3); // before each of the 3 retries of 4 attempts
  }

  @Test
  void anUnreachableIamIsWaitedOutWithinItsBudgetBeyondTheAttemptCount() {
    // 30 refused connections in a row (IAM unreachable for a while), then IAM answers.
    AtomicInteger calls = new AtomicInteger();
    Retrier patient =
        new Retrier(
            4,
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofSeconds(2),
            Duration.ofMinutes(5),
            registry,
            sleeps::add);

    Retrier.Attempted<String> result =
        patient.call(
            "prod",
            "PutUserPolicy",
            () -> {
              if (calls.incrementAndGet() <= 30) {
                throw unreachable();
              }
              return "ok";
            });

    assertThat(result.value()).isEqualTo("ok");
    assertThat(result.attempts()).isEqualTo(31);
  }

  @Test
  void anUnreachableIamStopsOnceItsBudgetIsSpentAndWithoutABudgetUsesTheAttempts() {
    Retrier budgeted =
        new Retrier(
            4,
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofSeconds(2),
            Duration.ofSeconds(3),
            registry,
            sleeps::add);

    assertThatThrownBy(
            () ->
                budgeted.call(
                    "prod",
                    "PutUserPolicy",
                    () -> {
                      throw unreachable();
                    }))
        .isInstanceOfSatisfying(
            IamFailure.class,
            f -> {
              assertThat(f.retriesExhausted()).isTrue();
              assertThat(f.attempts()).isGreaterThan(4);
            });
    assertThat(sleeps.stream().mapToLong(Duration::toMillis).sum()).isLessThanOrEqualTo(3000);
    // The plain retrier (no budget): an unreachable IAM counts against the 4 attempts.
    assertThatThrownBy(
            () ->
                retrier.call(
                    "prod",
                    "PutUserPolicy",
                    () -> {
                      throw unreachable();
                    }))
        .isInstanceOfSatisfying(IamFailure.class, f -> assertThat(f.attempts()).isEqualTo(4));
    // An error IAM answered is not "unreachable": it keeps using the attempts.
    assertThat(Retrier.isUnreachable(iamError("ServiceFailure", 500))).isFalse();
    assertThat(Retrier.isUnreachable(unreachable())).isTrue();
  }

  @Test
  void throttlingIsRetriedUntilItSucceedsAndEveryAttemptIsCounted() {
    AtomicInteger calls = new AtomicInteger();

    Retrier.Attempted<String> result =
        retrier.call(
            "dev",
            "AddUserToGroup",
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw iamError("Throttling", 400);
              }
              return "ok";
            });

    assertThat(result.value()).isEqualTo("ok");
    assertThat(result.attempts()).isEqualTo(3);
    assertThat(sleeps).hasSize(2);
    assertThat(count("transient")).isEqualTo(2);
    assertThat(count("success")).isEqualTo(1);
    assertThat(
            registry
                .counter("roster.iam.retries", "account", "dev", "action", "AddUserToGroup")
                .count())
        .isEqualTo(2);
  }

  @Test
  void throttlingOutlastsTheAttemptCountWithinItsTimeBudget() {
    // 20 throttled answers in a row (an e2e run saw GetUser throttled 8 times, the old limit).
    AtomicInteger calls = new AtomicInteger();
    Retrier patient =
        new Retrier(
            4,
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMinutes(2),
            registry,
            sleeps::add);

    Retrier.Attempted<String> result =
        patient.call(
            "dev",
            "GetUser",
            () -> {
              if (calls.incrementAndGet() <= 20) {
                throw iamError("Throttling", 400);
              }
              return "ok";
            });

    assertThat(result.attempts()).isEqualTo(21);
    assertThat(sleeps)
        .hasSize(20)
        .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(250)));
  }

  @Test
  void throttlingStopsOnceItsBackoffWouldPassTheBudget() {
    assertThatThrownBy(
            () ->
                retrier.call(
                    "dev",
                    "GetUser",
                    () -> {
                      throw iamError("RequestLimitExceeded", 400);
                    }))
        .isInstanceOfSatisfying(
            IamFailure.class,
            f -> {
              assertThat(f.retriesExhausted()).isTrue();
              assertThat(f.attempts())
                  .as("2 s of backoff of at most 250 ms each: more than the 4 attempts")
                  .isGreaterThanOrEqualTo(9);
            });
    assertThat(sleeps.stream().mapToLong(Duration::toMillis).sum()).isLessThanOrEqualTo(2000);
  }

  @Test
  void throttledAttemptsDoNotUseUpTheAttemptsOfOtherFailures() {
    // Throttled, failed, throttled, failed, throttled, failed, then fine: 3 failures < 4 attempts.
    AtomicInteger calls = new AtomicInteger();
    Retrier.Attempted<String> result =
        retrier.call(
            "dev",
            "AddUserToGroup",
            () -> {
              int n = calls.incrementAndGet();
              if (n <= 6) {
                throw n % 2 == 1 ? iamError("Throttling", 400) : iamError("ServiceFailure", 500);
              }
              return "ok";
            });

    assertThat(result.attempts()).isEqualTo(7);
  }

  @Test
  void aThrottledCallStopsAtOnceWhenFenced() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retrier.call(
                    "dev",
                    "AddUserToGroup",
                    () -> {
                      calls.incrementAndGet();
                      throw iamError("Throttling", 400);
                    },
                    () -> calls.get() < 2))
        .isInstanceOf(Fenced.class);
    assertThat(calls).hasValue(2);
  }

  @Test
  void throttlingIsToldApartFromOtherTransientFailures() {
    assertThat(Retrier.isThrottling(iamError("Throttling", 400))).isTrue();
    assertThat(Retrier.isThrottling(iamError("ThrottlingException", 400))).isTrue();
    assertThat(Retrier.isThrottling(iamError("RequestLimitExceeded", 400))).isTrue();
    assertThat(Retrier.isThrottling(iamError("SlowDown", 429))).isTrue();
    assertThat(Retrier.isThrottling(iamError("ServiceUnavailable", 503))).isTrue();
    assertThat(Retrier.isThrottling(iamError("ServiceFailure", 500))).isFalse();
    assertThat(Retrier.isThrottling(iamError("ConcurrentModification", 409))).isFalse();
    assertThat(Retrier.isThrottling(ApiCallAttemptTimeoutException.create(1000))).isFalse();
  }

  @Test
  void backoffIsBoundedByTheCapWithFullJitter() {
    for (int attempt = 1; attempt < 30; attempt++) {
      assertThat(retrier.backoff(attempt)).isBetween(Duration.ZERO, Duration.ofMillis(250));
    }
    assertThat(retrier.backoff(1)).isLessThanOrEqualTo(Duration.ofMillis(100));
  }

  @Test
  void retriesAreBoundedAndExhaustionIsReported() {
    assertThatThrownBy(
            () ->
                retrier.call(
                    "dev",
                    "CreateUser",
                    () -> {
                      throw iamError("ServiceFailure", 500);
                    }))
        .isInstanceOfSatisfying(
            IamFailure.class,
            f -> {
              assertThat(f.retriesExhausted()).isTrue();
              assertThat(f.attempts()).isEqualTo(4);
              assertThat(f.errorCode()).isEqualTo("ServiceFailure");
            });
    assertThat(sleeps).hasSize(3);
  }

  @Test
  void aNonTransientErrorIsNotRetried() {
    NoSuchEntityException missing =
        (NoSuchEntityException)
            NoSuchEntityException.builder()
                .statusCode(404)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("NoSuchEntity").build())
                .build();

    assertThatThrownBy(
            () ->
                retrier.call(
                    "dev",
                    "GetUser",
                    () -> {
                      throw missing;
                    }))
        .isInstanceOfSatisfying(
            IamFailure.class,
            f -> {
              assertThat(f.retriesExhausted()).isFalse();
              assertThat(f.attempts()).isEqualTo(1);
              assertThat(f.getCause()).isSameAs(missing);
            });
    assertThat(sleeps).isEmpty();
  }

  @Test
  void classifiesLikeTheIssueSays() {
    assertThat(Retrier.isTransient(iamError("ConcurrentModification", 409))).isTrue();
    assertThat(Retrier.isTransient(iamError("EntityTemporarilyUnmodifiable", 409))).isTrue();
    assertThat(Retrier.isTransient(iamError("ServiceFailure", 500))).isTrue();
    assertThat(Retrier.isTransient(ApiCallAttemptTimeoutException.create(1000))).isTrue();
    assertThat(
            Retrier.isTransient(SdkClientException.create("refused", new IOException("refused"))))
        .isTrue();
    assertThat(Retrier.isTransient(iamError("AccessDenied", 403))).isFalse();
    assertThat(Retrier.isTransient(iamError("LimitExceeded", 409))).isFalse();
    assertThat(Retrier.isTransient(SdkClientException.create("Unable to marshall request")))
        .isFalse();
  }

  private double count(String outcome) {
    return registry
        .counter(
            "roster.iam.calls", "account", "dev", "action", "AddUserToGroup", "outcome", outcome)
        .count();
  }
}
