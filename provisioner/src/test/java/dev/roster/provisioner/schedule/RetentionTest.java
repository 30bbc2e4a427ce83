package dev.roster.provisioner.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code roster.retention}: a duration or none, anything else refused at start-up. */
class RetentionTest {

  @Test
  void aDurationOrNone() {
    assertThat(Retention.parse("P90D")).contains(Duration.ofDays(90));
    assertThat(Retention.parse("PT3S")).contains(Duration.ofSeconds(3));
    assertThat(Retention.parse("none")).isEqualTo(Optional.empty());
    assertThat(Retention.parse("NONE")).isEqualTo(Optional.empty());
  }

  @Test
  void anythingElseIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> Retention.parse("90 days"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("roster.retention")
        .hasMessageContaining("90 days");
    assertThatThrownBy(() -> Retention.parse("-P1D"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> Retention.parse(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
