package dev.roster.auditor.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** CSV cells: RFC 4180 quoting, and no text cell that a spreadsheet would run as a formula. */
class CsvTest {
  @Test
  void textStartingLikeAFormulaIsNeutralisedWithALeadingQuote() {
    assertThat(Csv.field("=HYPERLINK(\"http://evil\")"))
        .isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
    assertThat(Csv.field("+1")).isEqualTo("'+1");
    assertThat(Csv.field("-2+3")).isEqualTo("'-2+3");
    assertThat(Csv.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(Csv.field("\tcmd")).isEqualTo("'\tcmd");
    assertThat(Csv.field("\rcmd")).isEqualTo("\"'\rcmd\"");
  }

  @Test
  void otherTextNumbersTimestampsAndBooleansAreWrittenAsTheyAre() {
    assertThat(Csv.field("a=b")).isEqualTo("a=b");
    assertThat(Csv.field("Developer, \"senior\"")).isEqualTo("\"Developer, \"\"senior\"\"\"");
    assertThat(Csv.field(-1.5)).isEqualTo("-1.5");
    assertThat(Csv.field(-3)).isEqualTo("-3");
    assertThat(Csv.field(Instant.parse("2026-03-01T09:00:00Z"))).isEqualTo("2026-03-01T09:00:00Z");
    assertThat(Csv.field(true)).isEqualTo("true");
    assertThat(Csv.field("")).isEmpty();
    assertThat(Csv.field(null)).isEmpty();
  }
}
