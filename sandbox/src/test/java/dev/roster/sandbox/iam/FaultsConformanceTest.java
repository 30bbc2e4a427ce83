package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ConcurrentModificationException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.ServiceFailureException;

/** Throttling, failures and latency on purpose, per account and action, changeable at run time. */
class FaultsConformanceTest extends SandboxTestBase {

  private static boolean throttled(Runnable call) {
    try {
      call.run();
      return false;
    } catch (IamException e) {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
      assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
      assertThat(e.statusCode()).isEqualTo(400);
      assertThat(e.isThrottlingException()).isTrue();
      return true;
    }
  }

  @Test
  void throttleAFractionOfOneActionInOneAccount() {
    sandbox.faults().throttle(ACCOUNT, "ListUsers", 1.0);

    assertThat(throttled(iam::listUsers)).isTrue();
    assertThat(throttled(iam::listGroups)).isFalse();
    assertThat(throttled(() -> iam("222222222222").listUsers())).isFalse();
    assertThat(sandbox.calls(ACCOUNT, "ListUsers")).isEqualTo(1);

    sandbox.faults().clear();
    assertThat(throttled(iam::listUsers)).isFalse();
  }

  @Test
  void aMoreSpecificRuleOverridesTheCatchAll() {
    sandbox.faults().throttle(null, null, 1.0).throttle(null, "GetCallerIdentity", 0.0);

    assertThat(throttled(iam::listUsers)).isTrue();
    assertThat(sts(ACCOUNT).getCallerIdentity().account()).isEqualTo(ACCOUNT);
  }

  @Test
  void aFractionThrottlesRoughlyThatShare() {
    sandbox.faults().throttle(ACCOUNT, null, 0.5);

    int throttled = 0;
    for (int i = 0; i < 200; i++) {
      if (throttled(iam::listUsers)) {
        throttled++;
      }
    }

    assertThat(throttled).isBetween(60, 140);
  }

  @Test
  void tokenBucketAllowsTheBurstThenThrottlesThenRefills() {
    sandbox.faults().tokenBucket(ACCOUNT, 2, 3);

    assertThat(throttled(iam::listUsers)).isFalse();
    assertThat(throttled(iam::listUsers)).isFalse();
    assertThat(throttled(iam::listUsers)).isFalse();
    assertThat(throttled(iam::listUsers)).isTrue();
    assertThat(throttled(() -> iam("222222222222").listUsers())).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> !throttled(iam::listUsers));
  }

  @Test
  void theSdkRetriesThrottlingLikeAgainstIam() {
    sandbox.faults().tokenBucket(ACCOUNT, 20, 1);
    IamClient retrying = iam(endpoint(), key(ACCOUNT), c -> {});

    for (int i = 0; i < 5; i++) {
      retrying.listUsers();
    }

    assertThat(sandbox.calls(ACCOUNT, "ListUsers")).isGreaterThan(5);
  }

  @Test
  void failReturnsServiceFailure500() {
    sandbox.faults().fail(null, "CreateUser", 1.0);

    assertThatThrownBy(() -> iam.createUser(r -> r.userName("alice")))
        .isInstanceOfSatisfying(
            ServiceFailureException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
    assertThat(iam.listUsers().users()).isEmpty();
  }

  @Test
  void concurrentModificationAnswers409AndChangesNothing() {
    sandbox.faults().concurrentModification(null, "CreateUser", 1.0);

    assertThatThrownBy(() -> iam.createUser(r -> r.userName("alice")))
        .isInstanceOfSatisfying(
            ConcurrentModificationException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(409);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ConcurrentModification");
            });
    assertThat(iam.listUsers().users()).as("the refused call changed nothing").isEmpty();
    assertThat(sandbox.faults().config().concurrentModification())
        .containsExactly(new Faults.Fraction(null, "CreateUser", 1.0));

    sandbox.faults().clear();
    iam.createUser(r -> r.userName("alice"));
    assertThat(iam.listUsers().users()).hasSize(1);
  }

  @Test
  void latencyDelaysMatchingCalls() {
    sandbox.faults().latency(ACCOUNT, "ListGroups", Duration.ofMillis(300), Duration.ofMillis(100));

    long t0 = System.nanoTime();
    iam.listGroups();
    long slow = (System.nanoTime() - t0) / 1_000_000;

    assertThat(slow).isGreaterThanOrEqualTo(300);
  }

  @Test
  void latencyHoldsNoRequestThreadSoManyDelayedCallsOverlap() throws Exception {
    // Two request threads and 64 calls of 200 ms each: blocking threads would need 6.4 s.
    try (IamSandbox two = IamSandbox.builder().threads(2).build().start()) {
      two.faults().latency(null, null, Duration.ofMillis(200), Duration.ZERO);
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest listUsers =
          HttpRequest.newBuilder(two.endpoint())
              .header("Content-Type", "application/x-www-form-urlencoded")
              .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + ACCOUNT + "/x/y/iam/aws4")
              .POST(HttpRequest.BodyPublishers.ofString("Action=ListUsers&Version=2010-05-08"))
              .build();

      long t0 = System.nanoTime();
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        calls.add(client.sendAsync(listUsers, HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> call : calls) {
        assertThat(call.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
      long millis = (System.nanoTime() - t0) / 1_000_000;

      assertThat(millis).isGreaterThanOrEqualTo(200).isLessThan(3_000);
      assertThat(two.calls(ACCOUNT, "ListUsers")).isEqualTo(64);
    }
  }

  @Test
  void aDelayedMutationTakesEffectOnlyWhenItIsAnswered() throws Exception {
    sandbox.faults().latency(ACCOUNT, "CreateUser", Duration.ofMillis(500), Duration.ZERO);

    CompletableFuture<?> create =
        CompletableFuture.runAsync(() -> iam.createUser(r -> r.userName("late")));
    await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.calls(ACCOUNT, "CreateUser") == 1);
    assertThat(sandbox.state(ACCOUNT).path("users").has("late")).isFalse();

    create.get(30, TimeUnit.SECONDS);
    assertThat(sandbox.state(ACCOUNT).path("users").has("late")).isTrue();
  }

  @Test
  void latencyBeyondTheClientTimeoutSurfacesAsATimeout() {
    sandbox.faults().latency(null, null, Duration.ofMillis(1500), Duration.ZERO);
    IamClient impatient =
        iam(
            endpoint(),
            key(ACCOUNT),
            c ->
                c.apiCallAttemptTimeout(Duration.ofMillis(300))
                    .retryStrategy(AwsRetryStrategy.doNotRetry()));

    assertThatThrownBy(impatient::listUsers).isInstanceOf(SdkException.class);
  }

  @Test
  void resetClearsFaultsAndCounters() {
    sandbox.faults().fail(null, null, 1.0);
    assertThatThrownBy(iam::listUsers).isInstanceOf(ServiceFailureException.class);
    assertThat(sandbox.calls(ACCOUNT, null)).isEqualTo(1);

    sandbox.reset();

    assertThat(sandbox.calls(null, null)).isZero();
    assertThat(iam.listUsers().users()).isEmpty();
  }
}
