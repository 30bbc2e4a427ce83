package dev.roster.sandbox.iam;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: one IAM sandbox for the test's lifetime, wired into the application
 * through {@code roster.iam.endpoint}. Tests seed it, inspect it and set faults through {@link
 * #sandbox()}.
 */
public class IamSandboxTestResource implements QuarkusTestResourceLifecycleManager {
  /** The configuration key the services read the IAM endpoint from. */
  public static final String ENDPOINT_KEY = "roster.iam.endpoint";

  private static volatile IamSandbox sandbox;

  /** The sandbox of the running test resource. */
  public static IamSandbox sandbox() {
    IamSandbox s = sandbox;
    if (s == null) {
      throw new IllegalStateException("IamSandboxTestResource is not started");
    }
    return s;
  }

  @Override
  public Map<String, String> start() {
    IamSandbox started = IamSandbox.builder().build().start();
    sandbox = started;
    return Map.of(ENDPOINT_KEY, started.endpoint().toString());
  }

  @Override
  public void stop() {
    IamSandbox s = sandbox;
    sandbox = null;
    if (s != null) {
      s.close();
    }
  }
}
