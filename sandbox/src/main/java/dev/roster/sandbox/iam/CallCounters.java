package dev.roster.sandbox.iam;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Calls received per account and action, throttled and failed ones included. */
final class CallCounters {
  private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

  void record(String accountId, String action) {
    counts
        .computeIfAbsent(accountId, a -> new ConcurrentHashMap<>())
        .computeIfAbsent(action, a -> new LongAdder())
        .increment();
  }

  /** Calls of {@code action} in {@code accountId}; null matches every account or action. */
  long calls(String accountId, String action) {
    long total = 0;
    for (Map.Entry<String, Map<String, LongAdder>> account : counts.entrySet()) {
      if (accountId != null && !accountId.equals(account.getKey())) {
        continue;
      }
      for (Map.Entry<String, LongAdder> a : account.getValue().entrySet()) {
        if (action == null || action.equals(a.getKey())) {
          total += a.getValue().sum();
        }
      }
    }
    return total;
  }

  Map<String, Map<String, Long>> snapshot() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    counts.forEach(
        (account, actions) -> {
          Map<String, Long> m = new TreeMap<>();
          actions.forEach((action, n) -> m.put(action, n.sum()));
          out.put(account, m);
        });
    return out;
  }

  void clear() {
    counts.clear();
  }
}
