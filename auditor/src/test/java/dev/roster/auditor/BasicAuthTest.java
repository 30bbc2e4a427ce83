package dev.roster.auditor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Guessing passwords gets slower with every failure; the right password still gets in. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class BasicAuthTest {
  private static Duration attempt(String user, String password, int expectedStatus) {
    long started = System.nanoTime();
    given()
        .auth()
        .preemptive()
        .basic(user, password)
        .get("/v1/changes?limit=1")
        .then()
        .statusCode(expectedStatus);
    return Duration.ofNanos(System.nanoTime() - started);
  }

  @Test
  void repeatedFailuresAreAnsweredSlowerAndSlower() {
    // visitor exists (without the auditor role): its correct password answers 403.
    for (int i = 0; i < 3; i++) {
      attempt("visitor", "guess-" + i, 401);
    }
    assertThat(attempt("visitor", "guess-3", 401)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertThat(attempt("visitor", "guess-4", 401)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(attempt("visitor", "visitor", 403))
        .as("the right password is slowed too, so the delay gives nothing away")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    // The success forgot the failures: the next three are free again, the fourth is slowed.
    for (int i = 0; i < 3; i++) {
      attempt("visitor", "again-" + i, 401);
    }
    assertThat(attempt("visitor", "again-3", 401)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    attempt("visitor", "visitor", 403);
  }

  @Test
  void anUnknownUserIsA401LikeAWrongPassword() {
    attempt("nobody-" + System.nanoTime(), "auditor", 401);
    attempt("auditor", "auditor", 200);
  }
}
