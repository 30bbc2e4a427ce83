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

  /**
   * CSV only when the client asks for it before JSON or a wildcard (a plain {@code Accept: *}{@code
   * /*} gets JSON).
   */
  public static boolean wanted(jakarta.ws.rs.core.HttpHeaders headers) {
    for (jakarta.ws.rs.core.MediaType t : headers.getAcceptableMediaTypes()) {
      if (t.isWildcardType() || t.isWildcardSubtype() || t.isCompatible(JSON)) {
        return false;
      }
      if ("text".equals(t.getType()) && "csv".equals(t.getSubtype())) {
        return true;
      }
    }
    return false;
  }

  private static final jakarta.ws.rs.core.MediaType JSON =
      jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE;

  public static Object[] header(String... names) {
    return Arrays.stream(names).map(Objects::toString).toArray();
  }
}
