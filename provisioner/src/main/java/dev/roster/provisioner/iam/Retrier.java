package dev.roster.provisioner.iam;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Retries transient IAM failures with exponential backoff and full jitter. The SDK's own retries
 * are off, so every attempt here is one real call and the metrics count what IAM actually saw.
 *
 * <p>Two budgets: throttling ({@link #THROTTLING_CODES}, HTTP 429 and 503) says IAM is busy, not
 * broken, and under heavy throttling a fixed number of attempts runs out while every call would
 * succeed a little later (a leave must not end {@code retries-exhausted} because IAM was busy); so
 * throttled attempts are retried for as long as their backoff adds up to at most {@code
 * throttleBudget}, and do not count against {@code maxAttempts}, which bounds the other transient
 * failures. An unreachable IAM (no connection, no answer in time) is waited out the same way,
 * within {@code unreachableBudget}: a leave's deny-all must not be given up after a few seconds of
 * network trouble. Either way, once {@code proceed} answers false no further attempt is made.
 */
public final class Retrier {
  /** IAM error codes that say "try again later". */
  static final Set<String> TRANSIENT_CODES =
      Set.of(
          "Throttling",
          "ThrottlingException",
          "RequestLimitExceeded",
          "TooManyRequestsException",
          "ServiceFailure",
          "ServiceUnavailable",
          "InternalFailure",
          "ConcurrentModification",
          "EntityTemporarilyUnmodifiable");

  /** IAM error codes that say "too many requests": retried within the throttle budget. */
  static final Set<String> THROTTLING_CODES =
      Set.of(
          "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException");

  /**
   * IAM error codes that say the caller's temporary credentials are no longer valid although the
   * SDK believed them fresh (revoked, or STS's clock ahead of ours): renewed, then retried.
   */
  static final Set<String> EXPIRED_CREDENTIAL_CODES =
      Set.of("ExpiredToken", "ExpiredTokenException");

  /** Fetches new credentials for an account (a fresh STS AssumeRole). */
  public interface Renewer {
    void renew(String account);
  }

  /** Blocks the calling (worker) thread between attempts; replaceable in unit tests. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration throttleBudget;
  private final Duration unreachableBudget;
  private final MeterRegistry registry;
  private final Sleeper sleeper;
  private final Renewer renewer;

  /** Without a budget for an unreachable IAM: its failures count against {@code maxAttempts}. */
  public Retrier(
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration throttleBudget,
      MeterRegistry registry,
      Sleeper sleeper) {
    this(maxAttempts, initialBackoff, maxBackoff, throttleBudget, Duration.ZERO, registry, sleeper);
  }

  /**
   * @param unreachableBudget how long (backoff slept) a call that gets no connection or no answer
   *     in time keeps being retried; such attempts do not count against {@code maxAttempts}. Zero:
   *     they do, like any transient failure
   */
  public Retrier(
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration throttleBudget,
      Duration unreachableBudget,
      MeterRegistry registry,
      Sleeper sleeper) {
    this(
        maxAttempts,
        initialBackoff,
        maxBackoff,
        throttleBudget,
        unreachableBudget,
        registry,
        sleeper,
        account -> {});
  }

  private Retrier(
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration throttleBudget,
      Duration unreachableBudget,
      MeterRegistry registry,
      Sleeper sleeper,
      Renewer renewer) {
    this.maxAttempts = Math.max(1, maxAttempts);
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.throttleBudget = throttleBudget;
    this.unreachableBudget = unreachableBudget;
    this.registry = registry;
    this.sleeper = sleeper;
    this.renewer = renewer;
  }

  /**
   * This retrier, renewing an account's credentials with {@code renewer} when IAM answers that they
   * expired ({@link #EXPIRED_CREDENTIAL_CODES}) before the next attempt; such attempts count
   * against {@code maxAttempts}.
   */
  public Retrier renewingCredentials(Renewer renewer) {
    return new Retrier(
        maxAttempts,
        initialBackoff,
        maxBackoff,
        throttleBudget,
        unreachableBudget,
        registry,
        sleeper,
        renewer);
  }

  /** A call's value and the attempts it took. */
  public record Attempted<T>(T value, int attempts) {}

  public <T> Attempted<T> call(String account, String action, Supplier<T> call) {
    return call(account, action, call, () -> true);
  }

  /**
   * As {@link #call(String, String, Supplier)}, asking {@code proceed} before every retry: once it
   * answers false (the partition changed hands) no further attempt is made and {@link Fenced} is
   * thrown, so a call in backoff cannot land after the new owner started.
   */
  public <T> Attempted<T> call(
      String account, String action, Supplier<T> call, BooleanSupplier proceed) {
    int throttled = 0; // attempts answered with throttling
    Duration throttledFor = Duration.ZERO; // backoff slept after them
    int unreachable = 0; // attempts that got no connection or no answer, within their budget
    Duration unreachableFor = Duration.ZERO;
    for (int attempt = 1; ; attempt++) {
      if (attempt > 1 && !proceed.getAsBoolean()) {
        throw new Fenced(action + " in " + account + " (retry " + (attempt - 1) + ")");
      }
      try {
        T value = call.get();
        count(account, action, "success");
        return new Attempted<>(value, attempt);
      } catch (AwsServiceException | SdkClientException e) {
        boolean expired = isExpiredCredentials(e);
        boolean transientError = expired || isTransient(e);
        boolean throttle = transientError && isThrottling(e);
        String code = errorCode(e);
        count(account, action, transientError ? "transient" : "error");
        Duration delay;
        boolean retry;
        if (throttle) {
          throttled++;
          delay = backoff(throttled);
          retry = throttledFor.plus(delay).compareTo(throttleBudget) <= 0;
          throttledFor = throttledFor.plus(delay);
        } else if (!unreachableBudget.isZero() && isUnreachable(e)) {
          unreachable++;
          delay = backoff(unreachable);
          retry = unreachableFor.plus(delay).compareTo(unreachableBudget) <= 0;
          unreachableFor = unreachableFor.plus(delay);
        } else {
          delay = backoff(attempt - throttled - unreachable);
          retry = transientError && attempt - throttled - unreachable < maxAttempts;
        }
        if (!retry) {
          throw new IamFailure(
              action,
              code,
              e instanceof AwsServiceException ase ? ase.requestId() : null,
              transientError,
              attempt,
              message(e),
              e);
        }
        if (expired) {
          Log.warnf("%s in %s: %s, renewing the account's credentials", action, account, code);
          renewer.renew(account);
        }
        registry.counter("roster.iam.retries", "account", account, "action", action).increment();
        Log.debugf(
            "%s in %s: %s, retry %d in %d ms", action, account, code, attempt, delay.toMillis());
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IamFailure(
              action, code, null, false, attempt, "interrupted while backing off", e);
        }
      }
    }
  }

  /** Full jitter: uniformly random in [0, min(cap, initial * 2^(attempt-1))]. */
  Duration backoff(int attempt) {
    long ceiling =
        Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 20));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
  }

  private void count(String account, String action, String outcome) {
    registry
        .counter("roster.iam.calls", "account", account, "action", action, "outcome", outcome)
        .increment();
  }

  /** Throttling: IAM (or STS, refreshing credentials) asks to slow down. */
  static boolean isThrottling(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof AwsServiceException ase
          && (ase.isThrottlingException()
              || THROTTLING_CODES.contains(errorCode(ase))
              || ase.statusCode() == 429
              || ase.statusCode() == 503)) {
        return true;
      }
    }
    return false;
  }

  /** Credentials IAM no longer accepts, though not yet expired by their own clock. */
  static boolean isExpiredCredentials(Throwable e) {
    return e instanceof AwsServiceException ase
        && EXPIRED_CREDENTIAL_CODES.contains(errorCode(ase));
  }

  /** No answer from IAM at all: no connection, or none in time (not an error IAM sent). */
  static boolean isUnreachable(Throwable e) {
    if (e instanceof AwsServiceException) {
      return false;
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return true;
    }
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  static boolean isTransient(Throwable e) {
    if (e instanceof AwsServiceException ase) {
      return ase.isThrottlingException()
          || TRANSIENT_CODES.contains(errorCode(ase))
          || ase.statusCode() >= 500;
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return true;
    }
    // Connection errors, or credentials that could not be refreshed because STS was throttled.
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof IOException || (c instanceof AwsServiceException && isTransient(c))) {
        return true;
      }
    }
    return false;
  }

  static String errorCode(Throwable e) {
    if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
      String code = ase.awsErrorDetails().errorCode();
      if (code != null) {
        return code;
      }
    }
    return e.getClass().getSimpleName();
  }

  private static String message(Throwable e) {
    if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
      return ase.awsErrorDetails().errorMessage();
    }
    return e.getMessage();
  }
}
