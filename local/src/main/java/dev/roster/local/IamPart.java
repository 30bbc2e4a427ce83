package dev.roster.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.sandbox.iam.IamSandbox;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The IAM API sandbox, run by this JVM, seeded with the role mapping's accounts, groups and
 * provisioner roles as the platform team's Terraform would create them.
 */
final class IamPart extends EmbeddedPart {
  private final Path stateFile;
  private final RoleMappingFile roles;
  private final IamEnforcement enforcement;
  private IamSandbox sandbox;

  /**
   * {@code stateFile} null: the state lives in memory only (a benchmark's thousands of users);
   * {@code enforcement} null: every caller may do anything.
   */
  IamPart(int port, Path stateFile, RoleMappingFile roles, IamEnforcement enforcement) {
    super(Component.IAM, port);
    this.stateFile = stateFile;
    this.roles = roles;
    this.enforcement = enforcement;
  }

  @Override
  public synchronized void start() {
    if (sandbox == null) {
      IamSandbox.Builder b = IamSandbox.builder().port(port()).host("127.0.0.1");
      if (stateFile != null) {
        b.stateFile(stateFile);
      }
      sandbox = b.build();
    }
    try {
      sandbox.start();
      // Idempotent: keeps what exists, adds the groups and roles a new mapping needs.
      sandbox.seed(new ObjectMapper().readTree(roles.sandboxSeed()));
      if (enforcement != null) {
        enforcement.apply(sandbox);
      }
    } catch (IOException | RuntimeException e) {
      throw new LauncherException(
          "The IAM sandbox did not start: " + LauncherException.rootMessage(e) + ".", e);
    }
  }

  @Override
  public synchronized void stop() {
    if (sandbox != null) {
      sandbox.stop();
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return sandbox != null && Ports.listening(port());
  }

  synchronized IamSandbox sandbox() {
    return sandbox;
  }
}
