package dev.roster.sandbox.iam.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * IAM's condition operators, decided the way IAM decides them: a key missing from the context fails
 * a positive operator and passes a negated one; {@code ...IfExists} passes; {@code ForAnyValue:}
 * fails and {@code ForAllValues:} passes on a missing key. An operator the sandbox does not know
 * fails the condition.
 */
final class ConditionBlock {
  private ConditionBlock() {}

  static boolean holds(JsonNode condition, Context context, boolean variables) {
    if (condition == null) {
      return true;
    }
    for (Iterator<Map.Entry<String, JsonNode>> ops = condition.fields(); ops.hasNext(); ) {
      Map.Entry<String, JsonNode> op = ops.next();
      for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
        Map.Entry<String, JsonNode> key = keys.next();
        if (!one(op.getKey(), key.getKey(), values(key.getValue()), context, variables)) {
          return false;
        }
      }
    }
    return true;
  }

  private static List<String> values(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else {
      out.add(node.asText());
    }
    return out;
  }

  private static boolean one(
      String operator, String key, List<String> wanted, Context context, boolean variables) {
    String set = null;
    String op = operator;
    if (op.startsWith("ForAnyValue:") || op.startsWith("ForAllValues:")) {
      set = op.substring(0, op.indexOf(':'));
      op = op.substring(op.indexOf(':') + 1);
    }
    boolean ifExists = op.endsWith("IfExists");
    if (ifExists) {
      op = op.substring(0, op.length() - "IfExists".length());
    }
    List<String> actual = context.get(key);
    if (op.equals("Null")) {
      boolean absent = actual == null || actual.isEmpty();
      return wanted.stream().anyMatch(w -> Boolean.parseBoolean(w) == absent);
    }
    boolean negated = op.contains("Not");
    BiPredicate<String, String> test = comparison(op.replace("Not", ""));
    if (test == null) {
      return false;
    }
    if (actual == null || actual.isEmpty()) {
      if (ifExists) {
        return true;
      }
      if (set != null) {
        return set.equals("ForAllValues");
      }
      return negated;
    }
    List<String> expected = new ArrayList<>();
    for (String w : wanted) {
      String resolved = variables ? context.resolve(w) : w;
      if (resolved != null) {
        expected.add(resolved);
      }
    }
    if ("ForAllValues".equals(set)) {
      for (String a : actual) {
        if (anyMatch(test, expected, a) == negated) {
          return false;
        }
      }
      return true;
    }
    if ("ForAnyValue".equals(set)) {
      for (String a : actual) {
        if (anyMatch(test, expected, a) != negated) {
          return true;
        }
      }
      return false;
    }
    // A single-valued operator on several values: IAM matches if any value does.
    boolean any = false;
    for (String a : actual) {
      any |= anyMatch(test, expected, a);
    }
    return any != negated;
  }

  private static boolean anyMatch(
      BiPredicate<String, String> test, List<String> expected, String actual) {
    for (String e : expected) {
      if (test.test(e, actual)) {
        return true;
      }
    }
    return false;
  }

  private static BiPredicate<String, String> comparison(String op) {
    return switch (op) {
      case "StringEquals" -> (e, a) -> e.equals(a);
      case "StringEqualsIgnoreCase" -> (e, a) -> e.equalsIgnoreCase(a);
      case "StringLike", "ArnLike", "ArnEquals" -> (e, a) -> Glob.matches(e, a, false);
      case "Bool" -> (e, a) -> e.equalsIgnoreCase(a);
      case "NumericEquals" -> (e, a) -> number(a, e, 0);
      case "NumericLessThan" -> (e, a) -> number(a, e, -1);
      case "NumericLessThanEquals" -> (e, a) -> number(a, e, -1) || number(a, e, 0);
      case "NumericGreaterThan" -> (e, a) -> number(a, e, 1);
      case "NumericGreaterThanEquals" -> (e, a) -> number(a, e, 1) || number(a, e, 0);
      case "DateEquals" -> (e, a) -> date(a, e, 0);
      case "DateLessThan" -> (e, a) -> date(a, e, -1);
      case "DateLessThanEquals" -> (e, a) -> date(a, e, -1) || date(a, e, 0);
      case "DateGreaterThan" -> (e, a) -> date(a, e, 1);
      case "DateGreaterThanEquals" -> (e, a) -> date(a, e, 1) || date(a, e, 0);
      case "IpAddress" -> ConditionBlock::inCidr;
      default -> null;
    };
  }

  private static boolean number(String actual, String expected, int sign) {
    try {
      return Integer.signum(new BigDecimal(actual).compareTo(new BigDecimal(expected))) == sign;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean date(String actual, String expected, int sign) {
    try {
      return Integer.signum(instant(actual).compareTo(instant(expected))) == sign;
    } catch (DateTimeParseException | NumberFormatException e) {
      return false;
    }
  }

  private static Instant instant(String text) {
    return text.chars().allMatch(Character::isDigit)
        ? Instant.ofEpochSecond(Long.parseLong(text))
        : Instant.parse(text);
  }

  /** IPv4 only: {@code 203.0.113.0/24} against {@code 203.0.113.7}. */
  private static boolean inCidr(String cidr, String ip) {
    try {
      String[] parts = cidr.split("/");
      int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
      long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
      return (ipv4(parts[0]) & mask) == (ipv4(ip) & mask);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static long ipv4(String text) {
    String[] octets = text.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException(text);
    }
    long v = 0;
    for (String o : octets) {
      int n = Integer.parseInt(o);
      if (n < 0 || n > 255) {
        throw new IllegalArgumentException(text);
      }
      v = (v << 8) | n;
    }
    return v;
  }
}
