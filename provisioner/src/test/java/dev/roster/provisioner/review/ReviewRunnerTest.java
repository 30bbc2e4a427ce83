package dev.roster.provisioner.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReviewRunnerTest {
  @Test
  void theIntervalIsADurationOrNone() {
    assertThat(ReviewRunner.parseInterval("PT24H")).contains(Duration.ofHours(24));
    assertThat(ReviewRunner.parseInterval(" none ")).isEmpty();
    assertThatThrownBy(() -> ReviewRunner.parseInterval("daily"))
        .hasMessageContaining("roster.review.interval must be an ISO-8601 duration");
    assertThatThrownBy(() -> ReviewRunner.parseInterval("PT0S"))
        .hasMessageContaining("must be positive or none");
  }
}
