package dev.roster.provisioner.iam;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** Work started now on an executor, waited for later, its failure rethrown as it was thrown. */
public final class Fork {
  private Fork() {}

  /**
   * Does {@code work} now, on the calling thread, as {@link #start} would elsewhere: the returned
   * supplier answers or rethrows its failure. The last of several forks runs so, instead of a pool
   * thread while the caller only waits.
   */
  public static <T> Supplier<T> now(Supplier<T> work) {
    try {
      T value = work.get();
      return () -> value;
    } catch (RuntimeException e) {
      return () -> {
        throw e;
      };
    }
  }

  /**
   * Work {@code i} of {@code n} forked at once: started on {@code executor}, the last one done on
   * this thread (which would only wait), so one pool thread fewer per batch.
   */
  public static <T> Supplier<T> startUnlessLast(int i, int n, Supplier<T> work, Executor executor) {
    return i == n - 1 ? now(work) : start(work, executor);
  }

  /**
   * Starts {@code work} on {@code executor}; the returned supplier waits for it and rethrows its
   * failure (e.g. an {@link IamFailure}) as it is, not wrapped in a CompletionException.
   */
  public static <T> Supplier<T> start(Supplier<T> work, Executor executor) {
    CompletableFuture<T> pending = CompletableFuture.supplyAsync(work, executor);
    return () -> {
      try {
        return pending.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw e;
      }
    };
  }
}
