package dev.roster.auditor.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.auditor.AuditMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code roster.notify.*} read from the shipped application.properties and environment variables
 * the way Quarkus reads them, and the start-up refusals of the sender (a {@code @Startup} bean, so
 * its constructor runs before the service consumes anything).
 */
class NotifyConfigTest {
  private static final String URL_VALUE = "https://hooks.example/services/T0/B0/token";

  private static NotifyConfig config(Map<String, String> env) throws IOException {
    URL properties = NotifyConfigTest.class.getClassLoader().getResource("application.properties");
    return new SmallRyeConfigBuilder()
        .addDefaultInterceptors()
        .withProfile("prod")
        .withConverter(Duration.class, 200, new DurationConverter())
        .withSources(new PropertiesConfigSource(properties, 250))
        .withSources(new EnvConfigSource(env, 300))
        .withMapping(NotifyConfig.class)
        .build()
        .getConfigMapping(NotifyConfig.class);
  }

  private static NotificationSender sender(NotifyConfig config) {
    return new NotificationSender(config, null, new AuditMetrics(new SimpleMeterRegistry()));
  }

  @Test
  void offByDefaultWithDocumentedDefaults() throws IOException {
    NotifyConfig config = config(Map.of());

    assertThat(config.url()).isEmpty();
    assertThat(config.secret()).isEmpty();
    assertThat(config.linkBaseUrl()).isEmpty();
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.maxAttempts()).isEqualTo(6);
    assertThat(config.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.queueCapacity()).isEqualTo(1000);
    assertThat(config.sweepInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.sweepAfter()).isEqualTo(Duration.ofMinutes(5));
    assertThat(sender(config).enabled()).isFalse();
  }

  @Test
  void anEmptyUrlAsTheDeployManifestsPassItIsOff() throws IOException {
    // The dev overlay generates url= and compose passes ${ROSTER_NOTIFY_URL:-}: empty means unset.
    NotifyConfig config =
        config(
            Map.of(
                "ROSTER_NOTIFY_URL",
                "",
                "ROSTER_NOTIFY_LINK_BASE_URL",
                "",
                "ROSTER_NOTIFY_SECRET",
                "x".repeat(64)));

    assertThat(config.url()).isEmpty();
    assertThat(config.linkBaseUrl()).isEmpty();
    assertThat(sender(config).enabled()).isFalse();
  }

  @Test
  void theEnvironmentVariablesTurnItOn() throws IOException {
    NotifyConfig config =
        config(
            Map.of(
                "ROSTER_NOTIFY_URL",
                URL_VALUE,
                "ROSTER_NOTIFY_SECRET",
                "x".repeat(32),
                "ROSTER_NOTIFY_LINK_BASE_URL",
                "https://audit.example",
                "ROSTER_NOTIFY_MAX_ATTEMPTS",
                "3"));

    assertThat(config.url()).contains(URI.create(URL_VALUE));
    assertThat(config.linkBaseUrl()).contains("https://audit.example");
    assertThat(config.maxAttempts()).isEqualTo(3);
    NotificationSender sender = sender(config);
    try {
      assertThat(sender.enabled()).isTrue();
    } finally {
      sender.stop();
    }
  }

  @Test
  void aSecretShorterThan32BytesStopsTheStartUpWithoutShowingIt() throws IOException {
    String secret = "s3cr3t-".repeat(4) + "xyz"; // 31 bytes
    NotifyConfig config =
        config(Map.of("ROSTER_NOTIFY_URL", URL_VALUE, "ROSTER_NOTIFY_SECRET", secret));

    assertThatThrownBy(() -> sender(config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("roster.notify.secret: secret 1 of 1 is shorter than 32 bytes")
        .hasMessageNotContaining(secret)
        .hasMessageNotContaining("s3cr3t")
        .hasMessageNotContaining("token");
  }

  @Test
  void aUrlWithoutASecretOrOfAnotherSchemeStopsTheStartUp() throws IOException {
    assertThatThrownBy(() -> sender(config(Map.of("ROSTER_NOTIFY_URL", URL_VALUE))))
        .hasMessage("roster.notify.secret: required when roster.notify.url is set");
    assertThatThrownBy(
            () ->
                sender(
                    config(
                        Map.of(
                            "ROSTER_NOTIFY_URL",
                            "ftp://hooks.example/x",
                            "ROSTER_NOTIFY_SECRET",
                            "x".repeat(32)))))
        .hasMessage("roster.notify.url: must be an http or https URL");
  }

  @Test
  void pausesDoubleFromTheInitialOneUpToTheLongest() throws IOException {
    NotificationSender sender =
        sender(
            config(
                Map.of(
                    "ROSTER_NOTIFY_URL",
                    URL_VALUE,
                    "ROSTER_NOTIFY_SECRET",
                    "x".repeat(32),
                    "ROSTER_NOTIFY_INITIAL_BACKOFF",
                    "PT1S",
                    "ROSTER_NOTIFY_MAX_BACKOFF",
                    "PT5S")));
    try {
      assertThat(sender.backoff(1)).isEqualTo(Duration.ofSeconds(1));
      assertThat(sender.backoff(2)).isEqualTo(Duration.ofSeconds(2));
      assertThat(sender.backoff(3)).isEqualTo(Duration.ofSeconds(4));
      assertThat(sender.backoff(4)).isEqualTo(Duration.ofSeconds(5));
      assertThat(sender.backoff(60)).isEqualTo(Duration.ofSeconds(5));
    } finally {
      sender.stop();
    }
  }
}
