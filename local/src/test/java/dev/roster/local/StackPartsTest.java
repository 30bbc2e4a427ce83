package dev.roster.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each service is given and which parts a stack holds, checked without starting anything. */
class StackPartsTest {
  @TempDir Path dir;

  @BeforeEach
  void roles() throws Exception {
    Files.writeString(dir.resolve("roles.yaml"), LauncherTest.ROLES);
  }

  private Stack.Builder builder() {
    return Stack.builder()
        .root(dir)
        .dataDir(dir.resolve("data"))
        .rolesFile(dir.resolve("roles.yaml"))
        .randomPorts()
        .webhookSecret("whsec")
        .auditorPassword("pw");
  }

  @Test
  void eachServiceIsWiredToTheStacksPartsAndSecrets() {
    Stack stack = builder().build();
    assertThat(ServiceEnv.of(Component.HR_LISTENER, stack))
        .containsEntry("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers())
        .containsEntry("ROSTER_WEBHOOK_SECRETS", "whsec");
    assertThat(ServiceEnv.of(Component.PROVISIONER, stack))
        .containsEntry("ROSTER_ROLES_FILE", dir.resolve("roles.yaml").toAbsolutePath().toString())
        .containsEntry("ROSTER_IAM_ENDPOINT", stack.url(Component.IAM))
        .containsEntry("AWS_ACCESS_KEY_ID", "111111111111")
        .containsEntry("ROSTER_REVIEW_TOKEN", stack.reviewToken());
    assertThat(ServiceEnv.of(Component.HR_LISTENER, stack))
        .as("the review token is the provisioner's alone")
        .doesNotContainValue(stack.reviewToken());
    Map<String, String> auditor = ServiceEnv.of(Component.AUDITOR, stack);
    assertThat(auditor)
        .containsEntry(
            "ROSTER_AUDITOR_DB_URL",
            "jdbc:postgresql://127.0.0.1:" + stack.port(Component.POSTGRES) + "/roster")
        .containsEntry("ROSTER_AUDITOR_PASSWORD", "pw")
        .containsEntry("ROSTER_AUDITOR_DB_USER", "roster_auditor")
        .containsEntry("QUARKUS_FLYWAY_USERNAME", "postgres");
    assertThat(stack.jdbcUrl()).isEqualTo(auditor.get("ROSTER_AUDITOR_DB_URL"));
  }

  @Test
  void onASecuredBrokerEachServiceConnectsAsItsOwnUserThroughItsEnvironment() {
    Stack stack = builder().kafkaSecurity(true).build();
    for (Component c :
        java.util.List.of(Component.HR_LISTENER, Component.PROVISIONER, Component.AUDITOR)) {
      assertThat(ServiceEnv.of(c, stack))
          .as(c.displayName())
          .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
          .containsEntry("KAFKA_SASL_MECHANISM", "PLAIN")
          .hasEntrySatisfying(
              "KAFKA_SASL_JAAS_CONFIG",
              v -> assertThat(v).contains("username=\"roster-" + c.displayName() + "\""));
    }
    assertThat(ServiceEnv.of(Component.AUDITOR, builder().build()))
        .doesNotContainKeys("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_JAAS_CONFIG");
  }

  @Test
  void anEnforcingSandboxRunsTheProvisionerAsASessionOfItsRoleWithTheUsersBoundary() {
    Stack stack = builder().iamEnforcement(true).build();
    assertThat(stack.iamEnforced()).isTrue();
    assertThat(ServiceEnv.of(Component.PROVISIONER, stack))
        .containsEntry("AWS_ACCESS_KEY_ID", stack.provisionerSessionKey())
        .containsKey("AWS_SESSION_TOKEN")
        .containsEntry("ROSTER_IAM_USER_PERMISSIONS_BOUNDARY", "roster-user-boundary");
    assertThat(stack.provisionerSessionKey()).startsWith("ASIA").hasSize(20);
    assertThat(ServiceEnv.of(Component.PROVISIONER, builder().build()))
        .doesNotContainKeys("AWS_SESSION_TOKEN", "ROSTER_IAM_USER_PERMISSIONS_BOUNDARY");
    assertThat(builder().iamEnforcement(true).iamEndpoint(Stack.REAL_AWS).build().iamEnforced())
        .as("only the sandbox enforces")
        .isFalse();
  }

  @Test
  void aDatabaseMigratedBeforeTheAuditorsRoleExistedKeepsTheSuperuser() throws Exception {
    Files.createDirectories(dir.resolve("data/postgres"));
    Files.writeString(dir.resolve("data/postgres/PG_VERSION"), "15\n");

    assertThat(ServiceEnv.of(Component.AUDITOR, builder().build()))
        .containsEntry("ROSTER_AUDITOR_DB_USER", "postgres");
    assertThat(ServiceEnv.of(Component.AUDITOR, builder().fresh(true).build()))
        .as("--fresh moves to the separate roles")
        .containsEntry("ROSTER_AUDITOR_DB_USER", "roster_auditor");
  }

  @Test
  void realAwsLeavesTheProvisionerOnTheDefaultCredentialChain() {
    Stack stack = builder().iamEndpoint(Stack.REAL_AWS).build();
    assertThat(ServiceEnv.of(Component.PROVISIONER, stack))
        .doesNotContainKeys("ROSTER_IAM_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    assertThat(stack.usesSandbox()).isFalse();
    assertThat(stack.health().get(Component.IAM).detail()).isEqualTo("external endpoint aws");
  }

  @Test
  void onlyTheChosenPartsAreStartedAndMissingJarsAreNamed() {
    assertThat(builder().build().unpackaged())
        .containsExactly("hr-listener", "provisioner", "auditor");
    Stack auditorOnly = builder().only(Component.KAFKA, Component.AUDITOR).build();
    assertThat(auditorOnly.unpackaged()).containsExactly("auditor");
    assertThat(auditorOnly.health()).containsOnlyKeys(Component.KAFKA, Component.AUDITOR);
    assertThatThrownBy(() -> auditorOnly.kill(Component.POSTGRES))
        .hasMessage("postgres is not part of this stack");
    assertThatThrownBy(auditorOnly::start)
        .isInstanceOf(LauncherException.class)
        .hasMessageStartingWith("The auditor jar is missing");
    assertThat(auditorOnly.isRunning(Component.KAFKA)).isFalse();
  }
}
