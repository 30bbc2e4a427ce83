package dev.roster.auditor.console;

import io.quarkus.qute.TemplateExtension;
import io.quarkus.qute.TemplateInstance;
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

  /**
   * The paging links of a listing page: {@code q} (the filter form), {@code next} (null on the last
   * page) and {@code first}, all on {@code self} with the request's filter.
   */
  public static TemplateInstance paged(
      TemplateInstance page, String self, MultivaluedMap<String, String> query, String nextCursor) {
    return page.data("q", Form.of(query))
        .data(
            "next",
            nextCursor == null ? null : with(self, query, Set.of(), Map.of("cursor", nextCursor)))
        .data("first", with(self, query, Set.of("cursor"), Map.of()));
  }

  /** The CSV download of the same filter from the API's {@code path}, without paging. */
  public static String csv(String path, MultivaluedMap<String, String> query, String... alsoDrop) {
    Set<String> drop = new java.util.HashSet<>(Set.of("cursor", "limit"));
    drop.addAll(List.of(alsoDrop));
    return with(path, query, drop, Map.of("format", "csv"));
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
