package dev.roster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.local.Component;
import dev.roster.local.Stack;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmarks' stack comes from the checkout's own role mapping, not from a copy of it. */
class StacksTest {
  @Test
  void accountsAndTheSandboxSeedAreThoseOfDeployRolesYaml() throws Exception {
    Stack stack =
        Stacks.builder(Context.detect(1), "stacks-test")
            .only(Component.KAFKA, Component.IAM)
            .build();
    assertThat(stack.roles().path().toAbsolutePath().normalize())
        .isEqualTo(Context.detect(1).root().resolve("deploy/roles.yaml"));
    // The ids LeaverBenchmark signs with (dev) and assumes a role in (staging).
    assertThat(Stacks.accountId(stack, "dev")).isEqualTo("111111111111");
    assertThat(Stacks.accountId(stack, "staging")).isEqualTo("222222222222");
    JsonNode seed = new ObjectMapper().readTree(stack.roles().sandboxSeed());
    assertThat(seed.at("/accounts/111111111111/groups").toString())
        .contains("all-staff", "developers", "iam-user-managers");
    assertThat(seed.at("/accounts/222222222222/roles").toString()).contains("roster-provisioner");
    assertThat(seed.at("/accounts/333333333333/groups").toString())
        .contains("operators", "break-glass");
    assertThat(stack.webhookSecret()).isEqualTo(Stacks.SECRET);
    assertThat(stack.unpackaged()).isEmpty();
  }

  @Test
  void everyServiceRunsWithTheJvmOptionsAndLimitOfItsKubernetesContainer() {
    Context ctx = Context.detect(1);
    for (String service : Stacks.SERVICES) {
      Manifests.Container c = Manifests.container(ctx.root(), service);
      List<String> expected = new ArrayList<>(c.jvmOptions());
      expected.add("-XX:MaxRAM=512m"); // the heap sized from the container's limit, as in it
      assertThat(Stacks.jvmOptions(ctx)).as(service).isEqualTo(expected);
      assertThat(c.memoryLimitMiB()).as(service).isEqualTo(512);
    }
    assertThat(Stacks.jvmOptions(ctx)).contains("-Xmx" + Stacks.XMX, "-XX:+UseSerialGC");
  }

  @Test
  void theProvisionerRunsWithTheMallocArenasOfItsKubernetesContainer() {
    assertThat(Manifests.container(Context.detect(1).root(), "provisioner").nativeEnv())
        .containsEntry("MALLOC_ARENA_MAX", "2");
  }
}
