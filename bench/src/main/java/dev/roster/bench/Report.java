package dev.roster.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The result of one benchmark run: figures with baselines, notes, and the machine. */
public final class Report {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private final String benchmark;
  private final Machine machine;
  private final Instant startedAt = Instant.now();
  private final List<Figure> figures = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private Instant finishedAt;

  public Report(String benchmark, Machine machine) {
    this.benchmark = benchmark;
    this.machine = machine;
  }

  public Report add(Figure figure) {
    figures.add(figure);
    System.out.println("  " + benchmark + ": " + row(figure));
    return this;
  }

  public Report note(String note) {
    notes.add(note);
    System.out.println("  " + benchmark + ": note: " + note);
    return this;
  }

  public String benchmark() {
    return benchmark;
  }

  public List<Figure> figures() {
    return List.copyOf(figures);
  }

  public Result finish() {
    finishedAt = Instant.now();
    return new Result(
        benchmark,
        startedAt,
        Duration.between(startedAt, finishedAt).toMillis() / 1000.0,
        machine,
        List.copyOf(figures),
        List.copyOf(notes));
  }

  /** What lands in JSON. */
  public record Result(
      String benchmark,
      Instant startedAt,
      double durationSeconds,
      Machine machine,
      List<Figure> figures,
      List<String> notes) {}

  /** A fixed-width table: figure, value, baseline, ratio, target. */
  public static String table(Result result) {
    String[] head = {"figure", "value", "baseline", "ratio", "target", "met"};
    List<String[]> rows = new ArrayList<>();
    rows.add(head);
    for (Figure f : result.figures()) {
      rows.add(
          new String[] {
            f.name(),
            f.value() == null ? "n/a" : number(f.value()) + " " + f.unit(),
            f.baseline() == null
                ? ""
                : number(f.baseline()) + " " + f.unit() + " (" + f.baselineName() + ")",
            f.ratio() == null ? "" : String.format(Locale.ROOT, "%.2f×", f.ratio()),
            f.target() == null ? "" : f.target(),
            f.met() == null ? (f.value() == null ? "-" : "") : f.met() ? "yes" : "NO"
          });
    }
    int[] width = new int[head.length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("== ")
        .append(result.benchmark())
        .append(" (")
        .append(String.format(Locale.ROOT, "%.0f s", result.durationSeconds()))
        .append(")\n");
    out.append("machine: ").append(result.machine().oneLine()).append('\n');
    for (int n = 0; n < rows.size(); n++) {
      String[] r = rows.get(n);
      for (int i = 0; i < r.length; i++) {
        out.append(String.format("%-" + width[i] + "s", r[i]));
        out.append(i + 1 < r.length ? " | " : "\n");
      }
      if (n == 0) {
        for (int i = 0; i < r.length; i++) {
          out.append("-".repeat(width[i])).append(i + 1 < r.length ? "-+-" : "\n");
        }
      }
    }
    for (Figure f : result.figures()) {
      if (f.note() != null) {
        out.append("  * ").append(f.name()).append(": ").append(f.note()).append('\n');
      }
    }
    for (String note : result.notes()) {
      out.append("  - ").append(note).append('\n');
    }
    return out.toString();
  }

  static String row(Figure f) {
    return f.name()
        + " = "
        + (f.value() == null ? "n/a (" + f.note() + ")" : number(f.value()) + " " + f.unit())
        + (f.baseline() == null
            ? ""
            : " vs " + number(f.baseline()) + " (" + f.baselineName() + ")")
        + (f.ratio() == null ? "" : String.format(Locale.ROOT, " ratio %.2f", f.ratio()));
  }

  /** Human figures: no false precision. */
  public static String number(double v) {
    double a = Math.abs(v);
    if (a >= 1000 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** The summary file as Markdown: one table per benchmark, for the README. */
  public static String markdown(Path summary) {
    try {
      var root = JSON.readTree(summary.toFile()).path("benchmarks");
      StringBuilder out = new StringBuilder();
      root.fields()
          .forEachRemaining(
              e -> {
                var r = e.getValue();
                var m = r.path("machine");
                out.append("### ").append(e.getKey()).append("\n\n");
                out.append(
                    "Run %s, %.0f s; %d cores (%s), %d MiB, %s; load average at start %.1f.\n\n"
                        .formatted(
                            r.path("startedAt").asText(),
                            r.path("durationSeconds").asDouble(),
                            m.path("cores").asInt(),
                            m.path("cpu").asText(),
                            m.path("memoryMiB").asLong(),
                            m.path("jdk").asText(),
                            m.path("loadAverageAtStart").asDouble()));
                out.append("| figure | value | baseline | ratio | target | met |\n");
                out.append("|---|---|---|---|---|---|\n");
                for (var f : r.path("figures")) {
                  String unit = f.path("unit").asText();
                  out.append("| ")
                      .append(f.path("name").asText())
                      .append(" | ")
                      .append(
                          f.has("value")
                              ? number(f.path("value").asDouble()) + " " + unit
                              : "n/a: " + f.path("note").asText())
                      .append(" | ")
                      .append(
                          f.has("baseline")
                              ? number(f.path("baseline").asDouble())
                                  + " "
                                  + unit
                                  + " ("
                                  + f.path("baselineName").asText()
                                  + ")"
                              : "")
                      .append(" | ")
                      .append(
                          f.has("ratio")
                              ? String.format(Locale.ROOT, "%.2f×", f.path("ratio").asDouble())
                              : "")
                      .append(" | ")
                      .append(f.path("target").asText(""))
                      .append(" | ")
                      .append(f.has("met") ? (f.path("met").asBoolean() ? "yes" : "**no**") : "")
                      .append(" |\n");
                }
                out.append('\n');
              });
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code <dir>/<benchmark>-<time>.json} and merges the result into {@code
   * <dir>/summary.json} (latest result per benchmark).
   */
  public static Path write(Result result, Path dir) {
    try {
      Files.createDirectories(dir);
      String stamp =
          DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
              .withZone(ZoneOffset.UTC)
              .format(result.startedAt());
      Path file = dir.resolve(result.benchmark() + "-" + stamp + ".json");
      JSON.writeValue(file.toFile(), result);
      Path summary = dir.resolve("summary.json");
      ObjectNode all =
          Files.exists(summary)
              ? (ObjectNode) JSON.readTree(summary.toFile())
              : JSON.createObjectNode();
      ObjectNode benchmarks =
          all.has("benchmarks") ? (ObjectNode) all.get("benchmarks") : all.putObject("benchmarks");
      benchmarks.set(result.benchmark(), JSON.valueToTree(result));
      all.put("updatedAt", Instant.now().toString());
      JSON.writeValue(summary.toFile(), all);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
