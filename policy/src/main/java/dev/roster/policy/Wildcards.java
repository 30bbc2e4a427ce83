package dev.roster.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * IAM's string globbing: {@code *} is any run of characters, {@code ?} exactly one. In documents of
 * version 2012-10-17 {@code ${key}} is a policy variable, replaced by the request's value of that
 * condition key ({@code ${*}}, {@code ${?}} and {@code ${$}} are the literal characters).
 */
final class Wildcards {
  private Wildcards() {}

  /** Plain globbing, without variables (actions). */
  static boolean matches(String pattern, String value, boolean ignoreCase) {
    return compile(pattern, ignoreCase, null).matcher(value).matches();
  }

  /**
   * Globbing with policy variables; {@code MAYBE} when the pattern uses a variable the context does
   * not know (or knows with several values).
   */
  static Match matches(
      String pattern,
      String value,
      boolean ignoreCase,
      boolean variables,
      Map<String, List<String>> context) {
    if (variables && unresolved(pattern, context)) {
      return Match.MAYBE;
    }
    return Match.of(
        compile(pattern, ignoreCase, variables ? context : null).matcher(value).matches());
  }

  /** Whether a pattern uses a variable the context cannot fill in with exactly one value. */
  static boolean unresolved(String pattern, Map<String, List<String>> context) {
    int i = pattern.indexOf("${");
    while (i >= 0) {
      int end = pattern.indexOf('}', i);
      if (end < 0) {
        return false;
      }
      String key = pattern.substring(i + 2, end);
      if (!key.equals("*") && !key.equals("?") && !key.equals("$")) {
        List<String> values = context.get(key.toLowerCase(Locale.ROOT));
        if (values == null || values.size() != 1) {
          return true;
        }
      }
      i = pattern.indexOf("${", end);
    }
    return false;
  }

  /** Replaces variables with their (literal) values; the context must know every one. */
  static String substitute(String text, Map<String, List<String>> context) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int start = text.indexOf("${", i);
      int end = start < 0 ? -1 : text.indexOf('}', start);
      if (start < 0 || end < 0) {
        out.append(text, i, text.length());
        break;
      }
      out.append(text, i, start);
      String key = text.substring(start + 2, end);
      out.append(
          switch (key) {
            case "*", "?", "$" -> key;
            default -> context.get(key.toLowerCase(Locale.ROOT)).get(0);
          });
      i = end + 1;
    }
    return out.toString();
  }

  private static Pattern compile(
      String pattern, boolean ignoreCase, Map<String, List<String>> context) {
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (context != null
          && c == '$'
          && pattern.startsWith("${", i)
          && pattern.indexOf('}', i) > 0) {
        int end = pattern.indexOf('}', i);
        regex.append(Pattern.quote(substitute(pattern.substring(i, end + 1), context)));
        i = end + 1;
        continue;
      }
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
      i++;
    }
    int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    return Pattern.compile(regex.toString(), flags);
  }
}
