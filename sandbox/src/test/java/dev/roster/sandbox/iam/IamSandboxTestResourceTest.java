package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IamSandboxTestResourceTest {

  @Test
  void startsOneSandboxAndPublishesItsEndpoint() {
    IamSandboxTestResource resource = new IamSandboxTestResource();
    resource.init(Map.of());

    Map<String, String> config = resource.start();
    try {
      assertThat(config)
          .containsEntry(
              "roster.iam.endpoint", IamSandboxTestResource.sandbox().endpoint().toString());
      assertThat(config.get("roster.iam.endpoint")).startsWith("http://localhost:");
    } finally {
      resource.stop();
    }
    assertThatThrownBy(IamSandboxTestResource::sandbox).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void seedsFromAClasspathResourceGivenAsInitArg() {
    IamSandboxTestResource resource = new IamSandboxTestResource();
    resource.init(Map.of("seed", "iam/test-seed.json"));

    resource.start();
    try {
      assertThat(
              IamSandboxTestResource.sandbox()
                  .state("111111111111")
                  .path("roles")
                  .has("roster-provisioner"))
          .isTrue();
    } finally {
      resource.stop();
    }
  }
}
