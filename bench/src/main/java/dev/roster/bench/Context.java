package dev.roster.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things are: the checkout (for packaged service jars), the results folder, and a scale
 * factor for durations ({@code --quick} halves them to check that a benchmark runs at all).
 */
public record Context(Path root, Path results, double timeScale) {

  public static Context detect(double timeScale) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("bench").resolve("pom.xml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("run from inside the Roster checkout");
    }
    // A --quick run only checks that everything runs: its figures never reach bench/results.
    Path results =
        timeScale < 1
            ? dir.resolve("bench").resolve("target").resolve("quick-results")
            : dir.resolve("bench").resolve("results");
    return new Context(dir, results, timeScale);
  }

  /** {@code <module>/target/quarkus-app} of a packaged Quarkus module. */
  public Path quarkusApp(String module) {
    return root.resolve(module).resolve("target").resolve("quarkus-app");
  }

  public Path logs() {
    return results.resolve("logs");
  }

  public java.time.Duration seconds(double s) {
    return java.time.Duration.ofMillis((long) (s * timeScale * 1000));
  }
}
