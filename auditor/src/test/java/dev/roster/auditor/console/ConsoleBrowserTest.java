package dev.roster.auditor.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roster.auditor.AuditorDatabase;
import dev.roster.auditor.Fixtures;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The console in a real browser: Playwright ({@code playwright-core} from npm, in {@code
 * target/playwright}) driving Debian's Chromium headless against this test's port
 * (src/test/playwright/console.cjs). Skipped, with one line saying why, when node, npm,
 * playwright-core or /usr/bin/chromium are missing, so the build stays green without them.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class ConsoleBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path PLAYWRIGHT = Path.of("target/playwright");
  private static final Path SCRIPT = Path.of("src/test/playwright/console.cjs");
  private static final Path SCREENSHOTS = Path.of("target/console-screenshots");

  @TestHTTPResource("/")
  URL base;

  @Test
  void logInFilterChangesOpenAnEmployeeSeeACutOffDownloadCsv() throws Exception {
    assumeTrue(runs("node", "--version"), "node not available: console browser test skipped");
    assumeTrue(runs("npm", "--version"), "npm not available: console browser test skipped");
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        "/usr/bin/chromium not installed: console browser test skipped");
    assumeTrue(
        playwrightInstalled(),
        "npm install --no-save playwright-core into target/playwright failed: console browser"
            + " test skipped");

    ConsoleSeed s = ConsoleSeed.get();
    Path downloads = Path.of("target/console-downloads");
    Path profile = Files.createTempDirectory("roster-console-chromium");
    ProcessBuilder pb =
        new ProcessBuilder("node", SCRIPT.toAbsolutePath().toString()).redirectErrorStream(true);
    var env = pb.environment();
    env.put("NODE_PATH", PLAYWRIGHT.resolve("node_modules").toAbsolutePath().toString());
    env.put("CONSOLE_URL", base.toString());
    env.put("CONSOLE_USER", Fixtures.USER);
    env.put("CONSOLE_PASSWORD", Fixtures.PASSWORD);
    env.put("CHROMIUM", CHROMIUM.toString());
    env.put("USER_DATA_DIR", profile.toString());
    env.put("SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString());
    env.put("DOWNLOADS", downloads.toAbsolutePath().toString());
    env.put("STUCK_EMPLOYEE", s.stuck);
    env.put("CLEAN_EMPLOYEE", s.clean);
    env.put("LEAVERS_FROM", ConsoleSeed.DAY.toString());
    env.put("LEAVERS_TO", ConsoleSeed.DAY.plusDays(1).toString());
    Process p = pb.start();
    String out;
    try (var in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    System.out.println(out);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("console browser test passed");

    for (String page :
        List.of(
            "changes",
            "employee",
            "leavers",
            "integrity",
            "scheduled",
            "reconciliations",
            "findings")) {
      assertThat(SCREENSHOTS.resolve(page + ".png")).isNotEmptyFile();
    }
    List<String> csv = Files.readAllLines(downloads.resolve("changes.csv"));
    assertThat(csv.subList(1, csv.size())).hasSize(2).allMatch(l -> l.contains(s.stuck));
  }

  private static boolean playwrightInstalled() throws InterruptedException {
    if (Files.isDirectory(PLAYWRIGHT.resolve("node_modules/playwright-core"))) {
      return true;
    }
    try {
      Files.createDirectories(PLAYWRIGHT);
    } catch (IOException e) {
      return false;
    }
    return run(
            PLAYWRIGHT, "npm", "install", "--no-save", "--no-audit", "--no-fund", "playwright-core")
        && Files.isDirectory(PLAYWRIGHT.resolve("node_modules/playwright-core"));
  }

  private static boolean runs(String... command) throws InterruptedException {
    return run(Path.of("."), command);
  }

  private static boolean run(Path dir, String... command) throws InterruptedException {
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
