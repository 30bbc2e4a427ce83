package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./roster} itself: bad usage is one sentence and a non-zero exit, never a stack trace. */
class RosterScriptTest {
  static final Path ROOT = RepoRoot.find();

  record Result(int code, String out, String err) {}

  @TempDir Path tmp;

  @Test
  void unknownOptionIsOneSentenceAndExit2() throws Exception {
    Result r = roster(Map.of(), "up", "--frsh");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .startsWith("roster: Unknown option --frsh for 'up'; usage: ./roster up")
        .doesNotContain("\n")
        .doesNotContain("Exception");
  }

  @Test
  void helpIsOnStandardOutputWithExit0ForEveryCommand() throws Exception {
    for (String[] args :
        List.of(
            new String[] {"--help"},
            new String[] {"up", "--help"},
            new String[] {"tail", "--help"},
            new String[] {"dlq", "replay", "--help"},
            new String[] {"review", "--help"})) {
      Result r = roster(Map.of(), args);
      assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
      assertThat(r.out()).contains("usage: ./roster");
      assertThat(r.err()).doesNotContain("building");
    }
  }

  @Test
  void unknownOptionsOfTailDlqAndReviewAreOneSentenceAndExit2BeforeAnyBuild() throws Exception {
    Result r = roster(Map.of(), "tail", "hr", "--follow");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .startsWith("roster: Unknown option --follow for 'tail'; usage: ./roster tail")
        .doesNotContain("\n");
    r = roster(Map.of(), "dlq", "replay", "--everything");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .startsWith("roster: Unknown option --everything for 'dlq replay'; usage: ./roster dlq")
        .doesNotContain("\n");
    r = roster(Map.of(), "review", "--watch");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .startsWith("roster: Unknown option --watch for 'review'; usage: ./roster review")
        .doesNotContain("\n");
    r = roster(Map.of(), "tail", "--max");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("roster: --max needs a value");
  }

  @Test
  void javaTooOldIsOneSentenceAndNonZero() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("jdk11/bin"));
    Path java = bin.resolve("java");
    Files.writeString(
        java, "#!/bin/sh\necho '    java.specification.version = 11' >&2\necho 'openjdk 11' >&2\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Result r = roster(Map.of("JAVA_HOME", tmp.resolve("jdk11").toString()), "status");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip())
        .isEqualTo(
            "roster: Java 17 or newer is required but "
                + java
                + " is Java 11: install a newer JDK or set JAVA_HOME.");
  }

  @Test
  void postWithoutAFileOrStackSaysWhatToDo() throws Exception {
    Result r = roster(Map.of(), "post", "--data-dir", tmp.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("roster: post needs a file: ./roster post FILE.json.");
    Path event = Files.writeString(tmp.resolve("e.json"), "{}");
    r =
        roster(
            Map.of("ROSTER_WEBHOOK_SECRET", ""),
            "post",
            event.toString(),
            "--data-dir",
            tmp.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip())
        .isEqualTo(
            "roster: No webhook secret: set ROSTER_WEBHOOK_SECRET or start the stack with ./roster"
                + " up.");
  }

  Result roster(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of(ROOT.resolve("roster").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().remove("JAVA_HOME");
    pb.environment().putAll(env);
    pb.redirectOutput(tmp.resolve("out.txt").toFile())
        .redirectError(tmp.resolve("err.txt").toFile());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("./roster finished").isTrue();
    return new Result(
        p.exitValue(),
        Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
  }
}
