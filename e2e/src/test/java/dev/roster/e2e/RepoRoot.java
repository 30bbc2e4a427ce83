package dev.roster.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root: where {@code mvnw}, {@code deploy/} and the service modules are. */
final class RepoRoot {
  private RepoRoot() {}

  static Path find() {
    String configured = System.getProperty("roster.root");
    if (configured != null && Files.exists(Path.of(configured, "mvnw"))) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("mvnw")) && Files.isDirectory(p.resolve("deploy"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find the repository root from " + Path.of("").toAbsolutePath());
  }
}
