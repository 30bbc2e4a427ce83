package dev.roster.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides a statement's {@code Condition} block as far as the request context allows. Decided: the
 * String*, Arn*, Bool and Null operators (with {@code IfExists} and the {@code ForAnyValue:}/
 * {@code ForAllValues:} qualifiers) on keys the context holds. Everything else — other operators
 * (numeric, date, IP address, binary), keys the context does not hold, values with unknown policy
 * variables — is {@code MAYBE}.
 */
final class Conditions {
  private Conditions() {}

  static Match evaluate(
      Map<String, Map<String, List<String>>> condition,
      Map<String, List<String>> context,
      boolean variables) {
    Match result = Match.YES;
    for (Map.Entry<String, Map<String, List<String>>> op : condition.entrySet()) {
      for (Map.Entry<String, List<String>> key : op.getValue().entrySet()) {
        result =
            result.and(operator(op.getKey(), key.getKey(), key.getValue(), context, variables));
        if (result == Match.NO) {
          return result;
        }
      }
    }
    return result;
  }

  private static Match operator(
      String operator,
      String key,
      List<String> expected,
      Map<String, List<String>> context,
      boolean variables) {
    List<String> actual = context.get(key.toLowerCase(Locale.ROOT));
    if (actual == null) {
      return Match.MAYBE;
    }
    String op = operator;
    String qualifier = null;
    int colon = op.indexOf(':');
    if (colon > 0) {
      qualifier = op.substring(0, colon);
      op = op.substring(colon + 1);
    }
    if (op.endsWith("IfExists")) {
      // The key is present (it is in the context), so IfExists changes nothing.
      op = op.substring(0, op.length() - "IfExists".length());
    }
    if (op.equals("Null")) {
      if (expected.size() != 1) {
        return Match.MAYBE;
      }
      // The key is in the context, so it is not null.
      return Match.of(expected.get(0).equalsIgnoreCase("false"));
    }
    boolean negated = op.contains("Not");
    String base = op.replace("Not", "");
    Comparison comparison = comparison(base);
    if (comparison == null) {
      return Match.MAYBE;
    }
    if (variables) {
      for (String value : expected) {
        if (Wildcards.unresolved(value, context)) {
          return Match.MAYBE;
        }
      }
      expected = expected.stream().map(v -> Wildcards.substitute(v, context)).toList();
    }
    List<String> values = expected;
    if (qualifier == null) {
      if (actual.size() != 1) {
        return Match.MAYBE;
      }
      boolean any = values.stream().anyMatch(v -> comparison.test(v, actual.get(0)));
      return Match.of(negated != any);
    }
    if (qualifier.equals("ForAnyValue")) {
      boolean any =
          actual.stream().anyMatch(a -> values.stream().anyMatch(v -> comparison.test(v, a)));
      return Match.of(negated != any);
    }
    if (qualifier.equals("ForAllValues")) {
      boolean all =
          actual.stream()
              .allMatch(a -> negated != values.stream().anyMatch(v -> comparison.test(v, a)));
      return Match.of(all);
    }
    return Match.MAYBE;
  }

  /** How a condition value is compared with a context value. */
  private interface Comparison {
    boolean test(String expected, String actual);
  }

  private static Comparison comparison(String base) {
    return switch (base) {
      case "StringEquals" -> String::equals;
      case "StringEqualsIgnoreCase" -> String::equalsIgnoreCase;
      // IAM's ArnEquals globs like ArnLike.
      case "StringLike", "ArnLike", "ArnEquals" -> (e, a) -> Wildcards.matches(e, a, false);
      case "Bool" -> String::equalsIgnoreCase;
      default -> null;
    };
  }
}
