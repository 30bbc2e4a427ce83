package dev.roster.listener.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.events.SecretStrength;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped application.properties, read the way Quarkus reads it, per profile. */
class ListenerConfigTest {

  private static SmallRyeConfig config(String profile, Map<String, String> env) throws IOException {
    URL properties =
        ListenerConfigTest.class.getClassLoader().getResource("application.properties");
    return new SmallRyeConfigBuilder()
        .addDefaultInterceptors()
        .withProfile(profile)
        .withConverter(Duration.class, 200, new DurationConverter())
        .withSources(new PropertiesConfigSource(properties, 250))
        .withSources(new EnvConfigSource(env, 300))
        .withMapping(ListenerConfig.class)
        .build();
  }

  @Test
  void productionRefusesToStartWithoutASecret() {
    assertThatThrownBy(() -> config("prod", Map.of()))
        .hasMessageContaining("roster.webhook.secrets");
  }

  @Test
  void productionTakesCommaSeparatedSecretsForRotation() throws IOException {
    ListenerConfig config =
        config("prod", Map.of("ROSTER_WEBHOOK_SECRETS", "old-secret,new-secret"))
            .getConfigMapping(ListenerConfig.class);

    assertThat(config.webhook().secrets()).containsExactly("old-secret", "new-secret");
  }

  @Test
  void defaultsMatchTheIssueAndEnvironmentOverrides() throws IOException {
    ListenerConfig config =
        config("prod", Map.of("ROSTER_WEBHOOK_SECRETS", "s", "ROSTER_HR_SOURCE", "workday"))
            .getConfigMapping(ListenerConfig.class);

    assertThat(config.webhook().tolerance()).isEqualTo(Duration.ofSeconds(300));
    assertThat(config.hrSource()).isEqualTo("workday");
    assertThat(config.publish().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.publish().retryAfter()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void devAndTestSecretsAreLongEnough() throws IOException {
    for (String profile : new String[] {"dev", "test"}) {
      SecretStrength.check(
          SignatureSetup.SECRETS_KEY,
          config(profile, Map.of()).getConfigMapping(ListenerConfig.class).webhook().secrets());
    }
  }

  @Test
  void unverifiedBytesCapDefaultsTo64MiBAndEnvironmentOverrides() throws IOException {
    String secret = "x".repeat(32);
    assertThat(
            config("prod", Map.of("ROSTER_WEBHOOK_SECRETS", secret))
                .getConfigMapping(ListenerConfig.class)
                .listener()
                .maxUnverifiedBytes())
        .isEqualTo(64L * 1024 * 1024);
    assertThat(
            config(
                    "prod",
                    Map.of(
                        "ROSTER_WEBHOOK_SECRETS",
                        secret,
                        "ROSTER_LISTENER_MAX_UNVERIFIED_BYTES",
                        "1000"))
                .getConfigMapping(ListenerConfig.class)
                .listener()
                .maxUnverifiedBytes())
        .isEqualTo(1000L);
  }

  @Test
  void devAndTestStartWithoutConfiguration() throws IOException {
    assertThat(config("dev", Map.of()).getConfigMapping(ListenerConfig.class).webhook().secrets())
        .isNotEmpty();
    assertThat(config("test", Map.of()).getConfigMapping(ListenerConfig.class).webhook().secrets())
        .hasSize(2);
  }

  @Test
  void defaultTimeZoneIsUtcAndTheEnvironmentOverridesIt() throws IOException {
    String secret = "x".repeat(32);
    assertThat(
            config("prod", Map.of("ROSTER_WEBHOOK_SECRETS", secret))
                .getConfigMapping(ListenerConfig.class)
                .defaultTimeZone())
        .isEqualTo(java.time.ZoneId.of("UTC"));
    assertThat(
            config(
                    "prod",
                    Map.of(
                        "ROSTER_WEBHOOK_SECRETS",
                        secret,
                        "ROSTER_DEFAULT_TIME_ZONE",
                        "Pacific/Kiritimati"))
                .getConfigMapping(ListenerConfig.class)
                .defaultTimeZone())
        .isEqualTo(java.time.ZoneId.of("Pacific/Kiritimati"));
  }

  /** The README's configuration table, row by row: default, environment variable, test value. */
  @Test
  void everyDocumentedKeyHasItsDocumentedDefaultEnvironmentVariableAndTestValue()
      throws IOException {
    String secret = "x".repeat(32);
    ListenerConfig defaults =
        config("prod", Map.of("ROSTER_WEBHOOK_SECRETS", secret))
            .getConfigMapping(ListenerConfig.class);
    assertThat(defaults.hrSource()).isEqualTo("hr");
    assertThat(defaults.snapshot().maxBodyBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(defaults.snapshot().maxInFlight()).isEqualTo(2);
    assertThat(defaults.snapshot().spoolDirectory()).isEmpty();

    ListenerConfig env =
        config(
                "prod",
                Map.of(
                    "ROSTER_WEBHOOK_SECRETS", secret,
                    "ROSTER_WEBHOOK_TOLERANCE", "5m",
                    "ROSTER_PUBLISH_TIMEOUT", "PT2S",
                    "ROSTER_PUBLISH_RETRY_AFTER", "7s",
                    "ROSTER_SNAPSHOT_MAX_BODY_BYTES", "1000",
                    "ROSTER_SNAPSHOT_MAX_IN_FLIGHT", "3",
                    "ROSTER_SNAPSHOT_SPOOL_DIRECTORY", "/var/spool/roster"))
            .getConfigMapping(ListenerConfig.class);
    assertThat(env.webhook().tolerance()).isEqualTo(Duration.ofMinutes(5));
    assertThat(env.publish().timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(env.publish().retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(env.snapshot().maxBodyBytes()).isEqualTo(1000L);
    assertThat(env.snapshot().maxInFlight()).isEqualTo(3);
    assertThat(env.snapshot().spoolDirectory())
        .contains(java.nio.file.Path.of("/var/spool/roster"));

    ListenerConfig test = config("test", Map.of()).getConfigMapping(ListenerConfig.class);
    assertThat(test.webhook().secrets())
        .containsExactly("test-secret-old-0123456789abcdef", "test-secret-new-0123456789abcdef");
    assertThat(test.listener().maxUnverifiedBytes()).isEqualTo(1536L * 1024);
    assertThat(test.snapshot().maxBodyBytes()).isEqualTo(8L * 1024 * 1024);
    assertThat(test.snapshot().spoolDirectory())
        .contains(java.nio.file.Path.of("target/snapshot-spool"));
    assertThat(test.defaultTimeZone()).isEqualTo(java.time.ZoneId.of("America/New_York"));
    assertThat(config("dev", Map.of()).getConfigMapping(ListenerConfig.class).webhook().secrets())
        .containsExactly("dev-only-webhook-secret-not-for-production");

    SmallRyeConfig shipped = config("prod", Map.of("ROSTER_WEBHOOK_SECRETS", secret));
    assertThat(shipped.getValue("quarkus.http.port", Integer.class)).isEqualTo(8080);
    assertThat(shipped.getValue("kafka.bootstrap.servers", String.class))
        .isEqualTo("localhost:9092");
    assertThat(shipped.getValue("quarkus.http.limits.max-body-size", String.class)).isEqualTo("1M");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"+02:00", "GMT+2", "Mars/Olympus"})
  void aDefaultTimeZoneThatIsNotAnIanaNameStopsTheStartUp(String zone) {
    assertThatThrownBy(
            () ->
                config(
                    "prod",
                    Map.of(
                        "ROSTER_WEBHOOK_SECRETS",
                        "x".repeat(32),
                        "ROSTER_DEFAULT_TIME_ZONE",
                        zone)))
        .hasMessageContaining("roster.default-time-zone");
  }
}
