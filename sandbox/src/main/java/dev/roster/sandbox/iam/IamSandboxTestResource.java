package dev.roster.sandbox.iam;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Quarkus test resource: one IAM sandbox for the test's lifetime, wired into the application
 * through {@code roster.iam.endpoint}. Tests seed it, inspect it and set faults through {@link
 * #sandbox()}.
 *
 * <p>Optional init args ({@code @WithTestResource(value = IamSandboxTestResource.class, initArgs
 * = @ResourceArg(name = "seed", value = "iam-seed.json"))}): {@code seed}, a classpath resource or
 * file applied at start; {@code port}, a fixed port instead of a free one.
 */
public class IamSandboxTestResource implements QuarkusTestResourceLifecycleManager {
  /** The configuration key the services read the IAM endpoint from. */
  public static final String ENDPOINT_KEY = "roster.iam.endpoint";

  private static volatile IamSandbox sandbox;

  private String seed;
  private int port;

  /** The sandbox of the running test resource. */
  public static IamSandbox sandbox() {
    IamSandbox s = sandbox;
    if (s == null) {
      throw new IllegalStateException("IamSandboxTestResource is not started");
    }
    return s;
  }

  @Override
  public void init(Map<String, String> initArgs) {
    seed = initArgs.get("seed");
    String p = initArgs.get("port");
    port = p == null ? 0 : Integer.parseInt(p);
  }

  @Override
  public Map<String, String> start() {
    IamSandbox started = IamSandbox.builder().port(port).build().start();
    if (seed != null) {
      seed(started, seed);
    }
    sandbox = started;
    return Map.of(ENDPOINT_KEY, started.endpoint().toString());
  }

  private static void seed(IamSandbox target, String seed) {
    try (InputStream in =
        Thread.currentThread()
            .getContextClassLoader()
            .getResourceAsStream(seed.startsWith("/") ? seed.substring(1) : seed)) {
      if (in != null) {
        target.seed(in);
      } else if (Files.isRegularFile(Path.of(seed))) {
        target.seed(Path.of(seed));
      } else {
        throw new IllegalArgumentException("IAM sandbox seed not found: " + seed);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
