package dev.roster.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flags and positional arguments of one sub-command ({@code tail}, {@code dlq ...}): an unknown
 * flag or a missing value is one sentence and exit code 2.
 */
record Args(Map<String, String> values, Set<String> switches, List<String> positional) {

  /**
   * Parses {@code args} from index {@code from}: {@code switchNames} take no value, {@code
   * valueNames} take the next argument; anything not starting with {@code -} is positional.
   */
  static Args parse(
      String command,
      String usage,
      String[] args,
      int from,
      Set<String> switchNames,
      Set<String> valueNames) {
    Map<String, String> values = new HashMap<>();
    Set<String> switches = new java.util.HashSet<>();
    List<String> positional = new ArrayList<>();
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (switchNames.contains(a)) {
        switches.add(a);
      } else if (valueNames.contains(a)) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new LauncherException(a + " needs a value; " + usage + ".", 2, null);
        }
        values.put(a, args[++i]);
      } else if (a.startsWith("-")) {
        throw new LauncherException(
            "Unknown option " + a + " for '" + command + "'; " + usage + ".", 2, null);
      } else {
        positional.add(a);
      }
    }
    return new Args(values, switches, positional);
  }

  boolean has(String flag) {
    return switches.contains(flag);
  }

  String value(String flag) {
    return values.get(flag);
  }

  /** A positive whole number, or {@code fallback} when the flag is absent. */
  long positive(String flag, long fallback, String usage) {
    String v = values.get(flag);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the one sentence below
    }
    throw new LauncherException(
        flag + " needs a positive number, not " + v + "; " + usage + ".", 2, null);
  }
}
