package dev.roster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  static final Machine MACHINE = new Machine(2, 24_000, "cpu", "jdk", "os", 0.5, "-Xmx1g");

  @Test
  void ratioIsValueOverBaselineAndTargetsAreJudged() {
    Figure rate =
        Figure.of("rate", "events/s", 21_000).vs("trivial", 42_000).targetRatioAtLeast(0.5);
    assertThat(rate.ratio()).isEqualTo(0.5);
    assertThat(rate.met()).isTrue();
    assertThat(Figure.of("p99", "ms", 12).targetBelow(10).met()).isFalse();
    assertThat(Figure.missing("x", "ms", "not built").met()).isNull();
  }

  @Test
  void tableAndSummaryCarryEveryFigureAndTheMachine(@TempDir Path dir) throws Exception {
    Report report = new Report("ingest", MACHINE);
    report.add(Figure.of("rate", "events/s", 30_000).vs("trivial", 40_000).targetRatioAtLeast(0.5));
    report.add(Figure.missing("batch", "events/s", "not built"));
    Report.Result result = report.finish();

    String table = Report.table(result);
    assertThat(table)
        .contains("rate", "30,000 events/s", "40,000 events/s (trivial)", "0.75×", "yes");
    assertThat(table).contains("batch", "n/a", "not built");

    Report.write(result, dir);
    Report.write(new Report("micro", MACHINE).finish(), dir);
    JsonNode summary = Report.JSON.readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.at("/benchmarks/ingest/figures/0/ratio").asDouble()).isEqualTo(0.75);
    assertThat(summary.at("/benchmarks/ingest/machine/cores").asInt()).isEqualTo(2);
    assertThat(summary.at("/benchmarks/micro/benchmark").asText()).isEqualTo("micro");
    assertThat(Report.markdown(dir.resolve("summary.json")))
        .contains("### ingest", "| rate | 30,000 events/s | 40,000 events/s (trivial) | 0.75× |");
    try (var files = Files.list(dir)) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("ingest-"))).hasSize(1);
    }
  }
}
