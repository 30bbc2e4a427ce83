package dev.roster.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's contracts that need no running stack: usage errors, secrets, seeding, ports. */
class LauncherTest {
  static final String ROLES =
      """
      accounts:
        dev:     { id: "111111111111" }
        prod:    { id: "333333333333", assumeRole: "arn:aws:iam::333333333333:role/roster-provisioner" }
      birthright:
        dev: [all-staff]
      roles:
        sre: { prod: [operators] }
      ignoredGroups:
        prod: [break-glass]
      """;

  @TempDir Path dir;

  @Test
  void signatureIsHmacSha256OfTimestampDotBodyAsHrListenerVerifiesIt() {
    assertThat(
            Signatures.header(
                "whsec-test", 1_700_000_000L, "{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(
            "t=1700000000,v1=fed7a1a6c799a6367d73724d76bc70c16678908a32a879cd1ded6565ac05cece");
  }

  @Test
  void unknownOptionIsOneSentenceWithUsageAndExitCode2() {
    assertThatThrownBy(() -> run("up", "--bogus"))
        .isInstanceOfSatisfying(
            LauncherException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(2);
              assertThat(e.getMessage()).contains("Unknown option --bogus").doesNotContain("\n");
            });
    assertThatThrownBy(() -> run("status", "--demo")).hasMessageContaining("only applies to 'up'");
    assertThatThrownBy(() -> run("up", "--data-dir")).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> run("up", "--iam-endpoint", "nope"))
        .hasMessageContaining("needs a URL");
    assertThatThrownBy(() -> run("launch")).hasMessageContaining("Unknown command launch");
  }

  @Test
  void brokenRolesFileIsOneClearSentence() throws Exception {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "accounts: [unclosed");
    assertThatThrownBy(() -> RoleMappingFile.read(broken))
        .isInstanceOf(LauncherException.class)
        .hasMessageStartingWith("The roles file " + broken + " is not valid YAML");
    Files.writeString(broken, "accounts:\n  dev: { id: \"12\" }\n");
    assertThatThrownBy(() -> RoleMappingFile.read(broken)).hasMessageContaining("not 12 digits");
    Files.writeString(
        broken, "accounts:\n  dev: { id: \"111111111111\" }\nroles:\n  x: { qa: [g] }\n");
    assertThatThrownBy(() -> RoleMappingFile.read(broken))
        .hasMessageContaining("undeclared account qa");
    assertThatThrownBy(() -> RoleMappingFile.read(dir.resolve("none.yaml")))
        .hasMessageContaining("does not exist");
  }

  @Test
  void sandboxSeedHasEveryMappedGroupAndTheProvisionerRoleWhereItIsAssumed() throws Exception {
    Path roles = Files.writeString(dir.resolve("roles.yaml"), ROLES);
    RoleMappingFile mapping = RoleMappingFile.read(roles);
    JsonNode seed = new ObjectMapper().readTree(mapping.sandboxSeed());
    assertThat(seed.at("/accounts/111111111111/groups").toString()).isEqualTo("[\"all-staff\"]");
    assertThat(seed.at("/accounts/111111111111/roles")).isEmpty();
    assertThat(seed.at("/accounts/333333333333/groups").toString())
        .isEqualTo("[\"break-glass\",\"operators\"]");
    assertThat(seed.at("/accounts/333333333333/roles").toString())
        .isEqualTo("[\"roster-provisioner\"]");
    assertThat(mapping.homeAccountId()).isEqualTo("111111111111");
  }

  @Test
  void secretsAreGeneratedOnceKeptPrivateAndReused() throws Exception {
    Files.writeString(dir.resolve("roles.yaml"), ROLES);
    Path data = dir.resolve("data");
    Stack first =
        Stack.builder().root(dir).dataDir(data).rolesFile(dir.resolve("roles.yaml")).build();
    Stack second =
        Stack.builder().root(dir).dataDir(data).rolesFile(dir.resolve("roles.yaml")).build();
    if (System.getenv("ROSTER_WEBHOOK_SECRET") == null) {
      assertThat(first.webhookSecret())
          .hasSizeGreaterThanOrEqualTo(32)
          .isEqualTo(second.webhookSecret());
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(data.resolve("webhook-secret"))))
          .isEqualTo("rw-------");
    }
    if (System.getenv("ROSTER_AUDITOR_PASSWORD") == null) {
      assertThat(first.auditorPassword())
          .isEqualTo(second.auditorPassword())
          .isNotEqualTo(first.webhookSecret());
    }
    if (System.getenv("ROSTER_REVIEW_TOKEN") == null) {
      assertThat(first.reviewToken())
          .hasSizeGreaterThanOrEqualTo(32)
          .isEqualTo(second.reviewToken())
          .isNotEqualTo(first.webhookSecret())
          .isNotEqualTo(first.auditorPassword());
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(data.resolve("review-token"))))
          .isEqualTo("rw-------");
    }
    Stack fresh =
        Stack.builder()
            .root(dir)
            .dataDir(data)
            .fresh(true)
            .rolesFile(dir.resolve("roles.yaml"))
            .build();
    if (System.getenv("ROSTER_WEBHOOK_SECRET") == null) {
      assertThat(fresh.webhookSecret()).isNotEqualTo(first.webhookSecret());
    }
  }

  @Test
  void portInUseIsRefusedBeforeAnythingStarts() throws Exception {
    Files.writeString(dir.resolve("roles.yaml"), ROLES);
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress("127.0.0.1", 0));
      Stack stack =
          Stack.builder()
              .root(dir)
              .dataDir(dir.resolve("data"))
              .rolesFile(dir.resolve("roles.yaml"))
              .randomPorts()
              .port(Component.HR_LISTENER, busy.getLocalPort())
              .build();
      assertThatThrownBy(stack::start)
          .isInstanceOf(LauncherException.class)
          .hasMessage(
              "Port "
                  + busy.getLocalPort()
                  + " (hr-listener) is already in use: stop what uses it (./roster down if it is a"
                  + " detached stack).");
      assertThat(stack.isRunning(Component.KAFKA)).isFalse();
    }
  }

  @Test
  void statusReportsEveryComponentDownWhenNothingRuns() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Launcher l = new Launcher(new PrintStream(buf, true, StandardCharsets.UTF_8), dir);
    int code = l.run(new String[] {"status", "--data-dir", dir.resolve("none").toString()});
    // Ports may be taken by a real stack on this machine; the exit code must match what it says.
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("kafka", "postgres", "iam-sandbox", "hr-listener", "provisioner", "auditor");
    assertThat(code == 0).isEqualTo(!out.contains("DOWN"));
  }

  private int run(String... args) {
    return new Launcher(new PrintStream(new ByteArrayOutputStream()), dir).run(args);
  }
}
