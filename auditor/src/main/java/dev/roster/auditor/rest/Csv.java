package dev.roster.auditor.rest;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.Objects;

/**
 * RFC 4180 CSV lines: fields quoted when they hold a comma, quote or line break. A text cell that
 * starts with {@code =}, {@code +}, {@code -}, {@code @}, tab or carriage return gets a leading
 * {@code '}, so a spreadsheet shows it as text instead of running it as a formula (HR names,
 * reasons and error messages are attacker-controlled text). Numbers, timestamps and booleans are
 * written as they are (a negative lag stays a number).
 */
public final class Csv {
  public static final String MEDIA_TYPE = "text/csv";

  /** First characters a spreadsheet reads as the start of a formula. */
  private static final String FORMULA_START = "=+-@\t\r";

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
    if (value instanceof CharSequence && !s.isEmpty() && FORMULA_START.indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
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

  /**
   * CSV when {@code format=csv} (what a plain link can ask for: a browser sends its own Accept),
   * JSON when {@code format=json}, else as {@link #wanted(jakarta.ws.rs.core.HttpHeaders)}.
   */
  public static boolean wanted(jakarta.ws.rs.core.HttpHeaders headers, String format) {
    if (format == null || format.isBlank()) {
      return wanted(headers);
    }
    return switch (format.trim()) {
      case "csv" -> true;
      case "json" -> false;
      default ->
          throw ProblemException.badParameter(
              "format", "unknown format '" + format + "', expected csv or json");
    };
  }

  private static final jakarta.ws.rs.core.MediaType JSON =
      jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE;

  public static Object[] header(String... names) {
    return Arrays.stream(names).map(Objects::toString).toArray();
  }
}
