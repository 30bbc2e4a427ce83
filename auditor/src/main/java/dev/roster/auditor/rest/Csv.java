package dev.roster.auditor.rest;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.Objects;

/** RFC 4180 CSV lines: fields quoted when they hold a comma, quote or line break. */
public final class Csv {
  public static final String MEDIA_TYPE = "text/csv";

  private Csv() {}

  public static void line(Writer w, Object... fields) throws IOException {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        w.write(',');
      }
      w.write(field(fields[i]));
    }
    w.write("\r\n");
  }

  public static String field(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  public static Object[] header(String... names) {
    return Arrays.stream(names).map(Objects::toString).toArray();
  }
}
