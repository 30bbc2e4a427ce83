package dev.roster.sandbox.iam;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.roster.sandbox.iam.protocol.IamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Faults injected on purpose, changeable at run time: throttling (a fraction of calls and/or a
 * token bucket per account, answered like IAM with {@code Throttling: Rate exceeded}, HTTP 400),
 * {@code ServiceFailure} (HTTP 500) or {@code ConcurrentModification} (HTTP 409) for a fraction of
 * calls, and added latency.
 *
 * <p>Rules are keyed by account and action; {@code null} means every account or every action. For a
 * call, the most specific rule of each kind wins (account and action, then action, then account,
 * then the catch-all), so a test can throttle everything but exempt one action with fraction 0.
 */
public final class Faults {
  private static final String ANY = "*";

  private final Map<String, Double> throttle = new ConcurrentHashMap<>();
  private final Map<String, Double> fail = new ConcurrentHashMap<>();
  private final Map<String, Double> concurrentModification = new ConcurrentHashMap<>();
  private final Map<String, Latency> latency = new ConcurrentHashMap<>();
  private final Map<String, BucketRule> bucketRules = new ConcurrentHashMap<>();
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  Faults() {}

  /** Throttles {@code fraction} (0..1) of matching calls; 0 exempts them from broader rules. */
  public Faults throttle(String accountId, String action, double fraction) {
    throttle.put(key(accountId, action), checkFraction(fraction));
    return this;
  }

  /**
   * Limits an account (null: each account separately) to {@code ratePerSecond} calls per second
   * with bursts of {@code burst}, like IAM's per-account request rate; a rate of 0 or less removes
   * the bucket.
   */
  public Faults tokenBucket(String accountId, double ratePerSecond, int burst) {
    String key = accountId == null ? ANY : accountId;
    if (ratePerSecond <= 0) {
      bucketRules.remove(key);
    } else {
      if (burst < 1) {
        throw new IllegalArgumentException("burst must be at least 1");
      }
      bucketRules.put(key, new BucketRule(accountId, ratePerSecond, burst));
    }
    buckets.clear();
    return this;
  }

  /** Fails {@code fraction} (0..1) of matching calls with {@code ServiceFailure}, HTTP 500. */
  public Faults fail(String accountId, String action, double fraction) {
    fail.put(key(accountId, action), checkFraction(fraction));
    return this;
  }

  /**
   * Answers {@code fraction} (0..1) of matching calls with {@code ConcurrentModification}, HTTP
   * 409, as IAM does while another request changes the same entity; the call changes nothing.
   */
  public Faults concurrentModification(String accountId, String action, double fraction) {
    concurrentModification.put(key(accountId, action), checkFraction(fraction));
    return this;
  }

  /**
   * Delays matching calls by {@code fixed} plus a uniformly random part of up to {@code jitter}.
   */
  public Faults latency(String accountId, String action, Duration fixed, Duration jitter) {
    latency.put(
        key(accountId, action),
        new Latency(accountId, action, fixed.toMillis(), jitter == null ? 0 : jitter.toMillis()));
    return this;
  }

  /** Removes every fault. */
  public Faults clear() {
    throttle.clear();
    fail.clear();
    concurrentModification.clear();
    latency.clear();
    bucketRules.clear();
    buckets.clear();
    return this;
  }

  /**
   * The latency fault for one call, in milliseconds (0: none). The sandbox answers the call that
   * much later without holding a thread, then applies {@link #check}.
   */
  long delayMillis(String accountId, String action) {
    Latency delay = mostSpecific(latency, accountId, action);
    if (delay == null) {
      return 0;
    }
    long jitter =
        delay.jitterMillis() > 0
            ? ThreadLocalRandom.current().nextLong(delay.jitterMillis() + 1)
            : 0;
    return Math.max(0, delay.fixedMillis() + jitter);
  }

  /** Throws the throttling or failure the rules pick for one call (after its latency). */
  void check(String accountId, String action) {
    BucketRule rule = bucketRules.getOrDefault(accountId, bucketRules.get(ANY));
    if (rule != null
        && !buckets
            .computeIfAbsent(accountId, id -> new TokenBucket(rule.ratePerSecond(), rule.burst()))
            .tryAcquire()) {
      throw IamException.throttling();
    }
    Double throttled = mostSpecific(throttle, accountId, action);
    if (throttled != null && ThreadLocalRandom.current().nextDouble() < throttled) {
      throw IamException.throttling();
    }
    Double failed = mostSpecific(fail, accountId, action);
    if (failed != null && ThreadLocalRandom.current().nextDouble() < failed) {
      throw IamException.serviceFailure();
    }
    Double conflicting = mostSpecific(concurrentModification, accountId, action);
    if (conflicting != null && ThreadLocalRandom.current().nextDouble() < conflicting) {
      throw IamException.concurrentModification();
    }
  }

  /** The current rules, as the admin API shows and accepts them. */
  public Config config() {
    return new Config(
        rules(throttle),
        new ArrayList<>(bucketRules.values()),
        rules(fail),
        new ArrayList<>(latency.values()),
        rules(concurrentModification));
  }

  /** Replaces every rule with {@code config}. */
  public Faults configure(Config config) {
    clear();
    if (config.throttle() != null) {
      config.throttle().forEach(r -> throttle(r.account(), r.action(), r.fraction()));
    }
    if (config.tokenBucket() != null) {
      config.tokenBucket().forEach(b -> tokenBucket(b.account(), b.ratePerSecond(), b.burst()));
    }
    if (config.fail() != null) {
      config.fail().forEach(r -> fail(r.account(), r.action(), r.fraction()));
    }
    if (config.concurrentModification() != null) {
      config
          .concurrentModification()
          .forEach(r -> concurrentModification(r.account(), r.action(), r.fraction()));
    }
    if (config.latency() != null) {
      config
          .latency()
          .forEach(
              l ->
                  latency(
                      l.account(),
                      l.action(),
                      Duration.ofMillis(l.fixedMillis()),
                      Duration.ofMillis(l.jitterMillis())));
    }
    return this;
  }

  private static List<Fraction> rules(Map<String, Double> map) {
    List<Fraction> out = new ArrayList<>();
    map.forEach(
        (k, v) -> {
          String[] parts = k.split("\\|", 2);
          out.add(new Fraction(unkey(parts[0]), unkey(parts[1]), v));
        });
    return out;
  }

  private static <T> T mostSpecific(Map<String, T> rules, String accountId, String action) {
    if (rules.isEmpty()) {
      return null;
    }
    T rule = rules.get(accountId + "|" + action);
    if (rule == null) {
      rule = rules.get(ANY + "|" + action);
    }
    if (rule == null) {
      rule = rules.get(accountId + "|" + ANY);
    }
    if (rule == null) {
      rule = rules.get(ANY + "|" + ANY);
    }
    return rule;
  }

  private static String key(String accountId, String action) {
    return (accountId == null ? ANY : accountId) + "|" + (action == null ? ANY : action);
  }

  private static String unkey(String part) {
    return ANY.equals(part) ? null : part;
  }

  private static double checkFraction(double fraction) {
    if (fraction < 0 || fraction > 1) {
      throw new IllegalArgumentException("fraction must be within 0..1: " + fraction);
    }
    return fraction;
  }

  /** All fault rules; null account or action means all. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Config(
      List<Fraction> throttle,
      List<BucketRule> tokenBucket,
      List<Fraction> fail,
      List<Latency> latency,
      List<Fraction> concurrentModification) {}

  /** A throttle, fail or concurrent-modification rule. */
  public record Fraction(String account, String action, double fraction) {}

  /** A token bucket rule. */
  public record BucketRule(String account, double ratePerSecond, int burst) {}

  /** A latency rule. */
  public record Latency(String account, String action, long fixedMillis, long jitterMillis) {}

  /** Refills continuously at {@code rate} tokens per second up to {@code burst}. */
  private static final class TokenBucket {
    private final double rate;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();

    TokenBucket(double rate, int burst) {
      this.rate = rate;
      this.burst = burst;
      this.tokens = burst;
    }

    synchronized boolean tryAcquire() {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }
}
