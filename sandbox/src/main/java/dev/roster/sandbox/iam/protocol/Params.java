package dev.roster.sandbox.iam.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The form parameters of one Query request, with IAM's validation: a missing or malformed value is
 * a {@code ValidationError} naming the member the way IAM does ({@code userName}).
 */
public final class Params {
  /** IAM's name pattern for users, groups, roles and policy names. */
  public static final Pattern NAME = Pattern.compile("[\\w+=,.@-]+");

  private static final Pattern PATH = Pattern.compile("(/)|(/[\\u0021-\\u007E]+/)");
  private static final Pattern PATH_PREFIX = Pattern.compile("/[\\u0021-\\u007F]*");
  private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
  private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

  private final Map<String, String> values;

  public Params(Map<String, String> values) {
    this.values = values;
  }

  public String action() {
    return values.get("Action");
  }

  public String version() {
    return values.get("Version");
  }

  public String optional(String name) {
    return values.get(name);
  }

  public String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw IamException.validation(
          "1 validation error detected: Value null at '"
              + member(name)
              + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  /** A required user, group, role or policy name: 1..max of {@code [\w+=,.@-]}. */
  public String name(String param, int max) {
    return checkName(param, required(param), max);
  }

  public String optionalName(String param, int max) {
    String value = optional(param);
    return value == null ? null : checkName(param, value, max);
  }

  private String checkName(String param, String value, int max) {
    length(param, value, 1, max);
    pattern(param, value, NAME);
    return value;
  }

  /** An entity path, {@code /} by default. */
  public String path(String param) {
    String value = optional(param);
    if (value == null) {
      return "/";
    }
    length(param, value, 1, 512);
    pattern(param, value, PATH);
    return value;
  }

  public String pathPrefix(String param) {
    String value = optional(param);
    if (value == null) {
      return "/";
    }
    length(param, value, 1, 512);
    pattern(param, value, PATH_PREFIX);
    return value;
  }

  /** A required string of bounded length. */
  public String text(String param, int min, int max) {
    String value = required(param);
    length(param, value, min, max);
    return value;
  }

  public Status status(String param) {
    String value = required(param);
    try {
      return Status.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw IamException.validation(
          "1 validation error detected: Value '"
              + value
              + "' at '"
              + member(param)
              + "' failed to satisfy constraint: Member must satisfy enum value set: [Active,"
              + " Inactive]");
    }
  }

  public boolean bool(String param, boolean fallback) {
    String value = optional(param);
    if (value == null) {
      return fallback;
    }
    if (!value.equals("true") && !value.equals("false")) {
      throw IamException.validation(
          "1 validation error detected: Value '"
              + value
              + "' at '"
              + member(param)
              + "' failed to satisfy constraint: Member must be a boolean");
    }
    return Boolean.parseBoolean(value);
  }

  /** {@code MaxItems}: 1..1000, 100 when absent, like IAM. */
  public int maxItems() {
    String value = optional("MaxItems");
    if (value == null) {
      return 100;
    }
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw IamException.validation(
          "1 validation error detected: Value '"
              + value
              + "' at 'maxItems' failed to satisfy constraint: Member must be an integer");
    }
    if (n < 1 || n > 1000) {
      throw IamException.validation(
          "1 validation error detected: Value '"
              + n
              + "' at 'maxItems' failed to satisfy constraint: Member must have value "
              + (n < 1 ? "greater than or equal to 1" : "less than or equal to 1000"));
    }
    return n;
  }

  /** A Query list: {@code Prefix.member.1}, {@code Prefix.member.2}, ... */
  public List<String> list(String prefix) {
    List<String> out = new ArrayList<>();
    for (int i = 1; ; i++) {
      String value = values.get(prefix + ".member." + i);
      if (value == null) {
        return out;
      }
      out.add(value);
    }
  }

  /** Tags as {@code Tags.member.N.Key}/{@code .Value}, validated like IAM (order kept). */
  public Map<String, String> tags(String prefix) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 1; ; i++) {
      String key = values.get(prefix + ".member." + i + ".Key");
      String value = values.get(prefix + ".member." + i + ".Value");
      if (key == null && value == null) {
        break;
      }
      if (key == null) {
        throw IamException.validation(
            "1 validation error detected: Value null at 'tags."
                + i
                + ".member.key' failed to satisfy constraint: Member must not be null");
      }
      if (value == null) {
        throw IamException.validation(
            "1 validation error detected: Value null at 'tags."
                + i
                + ".member.value' failed to satisfy constraint: Member must not be null");
      }
      checkTagKey("tags." + i + ".member.key", key);
      length("tags." + i + ".member.value", value, 0, 256);
      pattern("tags." + i + ".member.value", value, TAG_VALUE);
      for (String existing : tags.keySet()) {
        if (existing.equalsIgnoreCase(key)) {
          throw IamException.invalidInput(
              "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
        }
      }
      tags.put(key, value);
    }
    if (tags.size() > 50) {
      throw IamException.validation(
          "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must"
              + " have length less than or equal to 50");
    }
    return tags;
  }

  /** Tag keys for UntagUser: {@code TagKeys.member.N}. */
  public List<String> tagKeys(String prefix) {
    List<String> keys = list(prefix);
    if (keys.size() > 50) {
      throw IamException.validation(
          "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member"
              + " must have length less than or equal to 50");
    }
    for (int i = 0; i < keys.size(); i++) {
      checkTagKey("tagKeys." + (i + 1) + ".member", keys.get(i));
    }
    return keys;
  }

  private static void checkTagKey(String member, String key) {
    lengthMember(member, key, 1, 128);
    if (!TAG_KEY.matcher(key).matches()) {
      throw patternError(member, key, TAG_KEY);
    }
    if (key.regionMatches(true, 0, "aws:", 0, 4)) {
      throw IamException.invalidInput("User tags cannot start with the reserved prefix 'aws:'.");
    }
  }

  private static void length(String param, String value, int min, int max) {
    lengthMember(member(param), value, min, max);
  }

  private static void lengthMember(String member, String value, int min, int max) {
    int n = value.codePointCount(0, value.length());
    if (n < min) {
      throw IamException.validation(
          "1 validation error detected: Value '"
              + value
              + "' at '"
              + member
              + "' failed to satisfy constraint: Member must have length greater than or equal to "
              + min);
    }
    if (n > max) {
      throw IamException.validation(
          "1 validation error detected: Value '"
              + value
              + "' at '"
              + member
              + "' failed to satisfy constraint: Member must have length less than or equal to "
              + max);
    }
  }

  private static void pattern(String param, String value, Pattern pattern) {
    if (!pattern.matcher(value).matches()) {
      throw patternError(member(param), value, pattern);
    }
  }

  private static IamException patternError(String member, String value, Pattern pattern) {
    return IamException.validation(
        "1 validation error detected: Value '"
            + value
            + "' at '"
            + member
            + "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
            + pattern.pattern());
  }

  /** IAM names members in camel case: {@code UserName} becomes {@code userName}. */
  static String member(String param) {
    return Character.toLowerCase(param.charAt(0)) + param.substring(1);
  }
}
