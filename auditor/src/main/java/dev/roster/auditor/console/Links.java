package dev.roster.auditor.console;

import io.quarkus.qute.TemplateExtension;
import jakarta.ws.rs.core.MultivaluedMap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** Builds the console's links: the current filter with some parameters replaced or dropped. */
public final class Links {
  private Links() {}

  /**
   * {@code path?query} with the request's non-blank parameters, minus {@code drop}, plus {@code
   * add} (values URL-encoded; the template then HTML-escapes the whole link).
   */
  public static String with(
      String path,
      MultivaluedMap<String, String> query,
      Set<String> drop,
      Map<String, String> add) {
    StringJoiner q = new StringJoiner("&");
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      if (drop.contains(e.getKey()) || add.containsKey(e.getKey())) {
        continue;
      }
      for (String v : e.getValue()) {
        if (v != null && !v.isBlank()) {
          q.add(enc(e.getKey()) + "=" + enc(v));
        }
      }
    }
    add.forEach((k, v) -> q.add(enc(k) + "=" + enc(v)));
    return q.length() == 0 ? path : path + "?" + q;
  }

  /** {@code {id.url}} in a template: a value URL-encoded for a query string. */
  @TemplateExtension
  static String url(String value) {
    return value == null ? "" : enc(value);
  }

  /** A value as one URL path segment ({@code %20} for a space, {@code %2F} for a slash). */
  public static String pathSegment(String value) {
    return enc(value).replace("+", "%20");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
