package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IamSandboxTestResourceTest {

  @Test
  void startsOneSandboxAndPublishesItsEndpoint() {
    IamSandboxTestResource resource = new IamSandboxTestResource();

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
}
