package dev.roster.listener.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
