package dev.roster.sandbox.iam.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class XmlTest {

  @Test
  void escapesMarkupAndControlCharacters() {
    String xml = new Xml().el("Value", "<a href=\"x\">&'\u0001</a>").toString();

    assertThat(xml)
        .isEqualTo("<Value>&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#1;&lt;/a&gt;</Value>");
  }

  @Test
  void writesInstantsAsIso8601SecondsAndOmitsNulls() {
    String xml =
        new Xml()
            .el("CreateDate", Instant.parse("2026-11-28T04:35:45.123Z"))
            .el("Missing", null)
            .toString();

    assertThat(xml).isEqualTo("<CreateDate>2026-11-28T04:35:45Z</CreateDate>");
  }
}
