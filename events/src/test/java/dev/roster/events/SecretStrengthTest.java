package dev.roster.events;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretStrengthTest {
  private static final String KEY = "roster.webhook.secrets";
  private static final String LONG = "a".repeat(SecretStrength.MIN_BYTES);

  @Test
  void thirtyTwoBytesAreEnough() {
    assertThatCode(() -> SecretStrength.check(KEY, List.of(LONG))).doesNotThrowAnyException();
  }

  @Test
  void thirtyOneBytesAreRefusedNamingTheKeyAndPositionButNotTheSecret() {
    String shortSecret = "s3cr3t-".repeat(4) + "xyz"; // 31 bytes
    assertThatThrownBy(() -> SecretStrength.check(KEY, List.of(LONG, shortSecret)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("roster.webhook.secrets")
        .hasMessageContaining("secret 2 of 2")
        .hasMessageContaining("32 bytes")
        .hasMessageNotContaining(shortSecret)
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void lengthIsCountedInUtf8Bytes() {
    // 16 characters, 32 bytes in UTF-8.
    assertThatCode(() -> SecretStrength.check(KEY, List.of("é".repeat(16))))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> SecretStrength.check(KEY, List.of("é".repeat(15))))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theMessageNamesTheKeyItIsGiven() {
    assertThatThrownBy(() -> SecretStrength.check("roster.notify.secret", List.of("short")))
        .hasMessageStartingWith("roster.notify.secret: secret 1 of 1 is shorter than 32 bytes");
  }
}
