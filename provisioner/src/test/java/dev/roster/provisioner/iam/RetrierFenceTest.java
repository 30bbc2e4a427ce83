package dev.roster.provisioner.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A call in backoff when its partition is handed over makes no further attempt. */
class RetrierFenceTest {
  final AtomicBoolean owned = new AtomicBoolean(true);
  // The partition is taken away while the call backs off.
  final Retrier retrier =
      new Retrier(
          8,
          Duration.ofMillis(100),
          Duration.ofMillis(250),
          Duration.ofSeconds(10),
          new SimpleMeterRegistry(),
          d -> owned.set(false));

  @Test
  void noRetryLandsAfterTheHandOver() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                retrier.call(
                    "staging",
                    "AddUserToGroup",
                    () -> {
                      calls.incrementAndGet();
                      throw RetrierTest.iamError("Throttling", 400);
                    },
                    owned::get))
        .isInstanceOf(Fenced.class)
        .hasMessageContaining("AddUserToGroup");
    assertThat(calls).as("the first attempt only").hasValue(1);
  }

  @Test
  void anOwnedCallStillRetries() {
    AtomicInteger calls = new AtomicInteger();
    Retrier keeps =
        new Retrier(
            8,
            Duration.ofMillis(1),
            Duration.ofMillis(1),
            Duration.ofSeconds(10),
            new SimpleMeterRegistry(),
            d -> {});

    String value =
        keeps
            .call(
                "dev",
                "TagUser",
                () -> {
                  if (calls.incrementAndGet() < 3) {
                    throw RetrierTest.iamError("Throttling", 400);
                  }
                  return "ok";
                },
                () -> true)
            .value();

    assertThat(value).isEqualTo("ok");
    assertThat(calls).hasValue(3);
  }
}
