package dev.roster.sandbox.iam.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The request context of one evaluation: condition keys (case-insensitive) and their values; it
 * records every key a policy asked for and did not find ({@code MissingContextValues}).
 */
final class Context {
  private final Map<String, List<String>> values = new LinkedHashMap<>();
  final Set<String> missing = new TreeSet<>();

  Context(Map<String, List<String>> entries) {
    entries.forEach((k, v) -> values.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
  }

  /** The values of a key, or null (and the key is remembered as missing). */
  List<String> get(String key) {
    List<String> v = values.get(key.toLowerCase(Locale.ROOT));
    if (v == null) {
      missing.add(key);
    }
    return v;
  }

  /**
   * Fills in {@code ${key}} policy variables ({@code ${*}}, {@code ${?}}, {@code ${$}} are the
   * characters); null when one is unknown or has several values.
   */
  String resolve(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int start = text.indexOf("${", i);
      int end = start < 0 ? -1 : text.indexOf('}', start);
      if (end < 0) {
        out.append(text.substring(i));
        break;
      }
      out.append(text, i, start);
      String key = text.substring(start + 2, end);
      if (key.equals("*") || key.equals("?") || key.equals("$")) {
        out.append(key);
      } else {
        List<String> v = get(key);
        if (v == null || v.size() != 1) {
          return null;
        }
        out.append(v.get(0));
      }
      i = end + 1;
    }
    return out.toString();
  }
}
