package dev.roster.auditor.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Repeated failures are slowed, per key, and forgotten after a success or the window. */
class FailureThrottleTest {
  static BasicAuthConfig config(Map<String, String> users, Map<String, String> roles) {
    return new BasicAuthConfig() {
      @Override
      public Map<String, String> users() {
        return users;
      }

      @Override
      public Map<String, String> roles() {
        return roles;
      }

      @Override
      public int freeFailures() {
        return 3;
      }

      @Override
      public Duration failureDelay() {
        return Duration.ofMillis(500);
      }

      @Override
      public Duration maxFailureDelay() {
        return Duration.ofSeconds(8);
      }

      @Override
      public Duration failureWindow() {
        return Duration.ofMinutes(15);
      }
    };
  }

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-03-01T09:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void theFirstFailuresAreFreeThenTheDelayDoublesUpToItsCap() {
    FailureThrottle t = new FailureThrottle(config(Map.of(), Map.of()), new MutableClock());
    for (int i = 0; i < 3; i++) {
      assertThat(t.delay("10.0.0.1/auditor")).isZero();
      t.failed("10.0.0.1/auditor");
    }
    assertThat(t.delay("10.0.0.1/auditor")).isEqualTo(Duration.ofMillis(500));
    t.failed("10.0.0.1/auditor");
    assertThat(t.delay("10.0.0.1/auditor")).isEqualTo(Duration.ofSeconds(1));
    t.failed("10.0.0.1/auditor");
    assertThat(t.delay("10.0.0.1/auditor")).isEqualTo(Duration.ofSeconds(2));
    for (int i = 0; i < 40; i++) {
      t.failed("10.0.0.1/auditor");
    }
    assertThat(t.delay("10.0.0.1/auditor")).isEqualTo(Duration.ofSeconds(8));
    assertThat(t.delay("10.0.0.2/auditor")).as("another client is not slowed").isZero();
  }

  @Test
  void aSuccessOrTheEndOfTheWindowForgetsTheFailures() {
    MutableClock clock = new MutableClock();
    FailureThrottle t = new FailureThrottle(config(Map.of(), Map.of()), clock);
    for (int i = 0; i < 5; i++) {
      t.failed("k");
    }
    assertThat(t.delay("k")).isPositive();
    t.succeeded("k");
    assertThat(t.delay("k")).isZero();
    for (int i = 0; i < 5; i++) {
      t.failed("k");
    }
    clock.now = clock.now.plus(Duration.ofMinutes(16));
    assertThat(t.delay("k")).isZero();
    assertThat(t.failed("k")).as("counting starts again").isEqualTo(1);
  }

  @Test
  void passwordsAreComparedAsDigestsAndAnUnknownUserFailsLikeAWrongPassword() {
    BasicIdentityProvider p =
        new BasicIdentityProvider(
            config(Map.of("auditor", "s3cret"), Map.of("auditor", "auditor")),
            new FailureThrottle(config(Map.of(), Map.of())));
    assertThat(p.matches("auditor", "s3cret".toCharArray())).isTrue();
    assertThat(p.matches("auditor", "s3cret ".toCharArray())).isFalse();
    assertThat(p.matches("auditor", "".toCharArray())).isFalse();
    assertThat(p.matches("nobody", "s3cret".toCharArray())).isFalse();
    assertThat(p.matches("nobody", "\u0000no such user\u0000".toCharArray()))
        .as("the stand-in digest of unknown users matches nothing")
        .isFalse();
  }
}
