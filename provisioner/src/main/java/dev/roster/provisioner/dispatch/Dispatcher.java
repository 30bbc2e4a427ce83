package dev.roster.provisioner.dispatch;

import io.quarkus.logging.Log;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Runs many jobs at once while the jobs of one key (an employee) run one at a time, in the order
 * they were submitted.
 *
 * <ul>
 *   <li>At most {@code maxInFlight} jobs run at once.
 *   <li>Up to {@code lookahead} more are admitted and wait: when a slot frees, it goes to the
 *       oldest waiting <b>urgent</b> job (a leave) whose key has nothing earlier running or
 *       waiting, else to the oldest such job of any kind. So leaves overtake hires and role changes
 *       of other employees at the limit, never an earlier event of their own employee.
 *   <li>Beyond that, {@link #submit} does not admit: its stage completes only once there is room,
 *       which is how the caller (the Kafka intake) is held back instead of buffering without bound.
 * </ul>
 *
 * Thread-safe; jobs run on the given executor, which must run up to {@code maxInFlight} at once.
 */
public final class Dispatcher {
  private final int maxInFlight;
  private final int window;
  private final Executor executor;

  private final Map<String, ArrayDeque<Job>> waitingByKey = new HashMap<>();
  private final Set<String> runningKeys = new HashSet<>();
  private final TreeSet<Job> readyUrgent = new TreeSet<>(Comparator.comparingLong(Job::seq));
  private final TreeSet<Job> readyOther = new TreeSet<>(Comparator.comparingLong(Job::seq));
  private final ArrayDeque<Submission> intake = new ArrayDeque<>();
  private long seq;
  private int running;
  private int waiting;
  private int peak;

  public Dispatcher(int maxInFlight, int lookahead, Executor executor) {
    if (maxInFlight < 1 || lookahead < 0) {
      throw new IllegalArgumentException(
          "max in flight must be at least 1 and lookahead not negative: "
              + maxInFlight
              + ", "
              + lookahead);
    }
    this.maxInFlight = maxInFlight;
    this.window = maxInFlight + lookahead;
    this.executor = executor;
  }

  private record Job(String key, boolean urgent, long seq, Runnable work) {}

  private record Submission(Job job, CompletableFuture<Void> admitted) {}

  /**
   * Submits a job of {@code key}; {@code urgent} jobs get free slots first. The stage completes
   * when the job is admitted (at once while there is room), not when it has run.
   */
  public CompletionStage<Void> submit(String key, boolean urgent, Runnable work) {
    List<Job> start;
    CompletableFuture<Void> admitted;
    synchronized (this) {
      Job job = new Job(key, urgent, seq++, work);
      if (intake.isEmpty() && running + waiting < window) {
        admit(job);
        admitted = CompletableFuture.completedFuture(null);
      } else {
        admitted = new CompletableFuture<>();
        intake.add(new Submission(job, admitted));
      }
      start = pump();
    }
    start.forEach(this::run);
    return admitted;
  }

  /** Jobs running now. */
  public synchronized int running() {
    return running;
  }

  /** Jobs admitted and waiting for a slot. */
  public synchronized int waiting() {
    return waiting;
  }

  /** The most jobs that ever ran at once. */
  public synchronized int peak() {
    return peak;
  }

  private void admit(Job job) {
    waiting++;
    ArrayDeque<Job> queue = waitingByKey.computeIfAbsent(job.key(), k -> new ArrayDeque<>());
    queue.add(job);
    if (queue.size() == 1 && !runningKeys.contains(job.key())) {
      ready(job);
    }
  }

  private void ready(Job job) {
    (job.urgent() ? readyUrgent : readyOther).add(job);
  }

  /** Takes the jobs that may start now off the ready sets; the caller runs them unlocked. */
  private List<Job> pump() {
    List<Job> start = new ArrayList<>();
    while (running < maxInFlight) {
      Job next = readyUrgent.isEmpty() ? readyOther.pollFirst() : readyUrgent.pollFirst();
      if (next == null) {
        break;
      }
      ArrayDeque<Job> queue = waitingByKey.get(next.key());
      queue.pollFirst(); // it is the head: only heads are ready
      waiting--;
      running++;
      peak = Math.max(peak, running);
      runningKeys.add(next.key());
      start.add(next);
    }
    return start;
  }

  private void run(Job job) {
    executor.execute(
        () -> {
          try {
            job.work().run();
          } catch (RuntimeException | Error e) {
            // The job reports its own failures; this only keeps the key from being stuck.
            Log.errorf(e, "job of %s failed: %s", job.key(), e.getMessage());
          } finally {
            finished(job);
          }
        });
  }

  private void finished(Job job) {
    List<Job> start;
    List<CompletableFuture<Void>> admitted = new ArrayList<>();
    synchronized (this) {
      running--;
      runningKeys.remove(job.key());
      ArrayDeque<Job> queue = waitingByKey.get(job.key());
      if (queue.isEmpty()) {
        waitingByKey.remove(job.key());
      } else {
        ready(queue.peekFirst());
      }
      while (!intake.isEmpty() && running + waiting < window) {
        Submission s = intake.poll();
        admit(s.job());
        admitted.add(s.admitted());
      }
      start = pump();
    }
    start.forEach(this::run);
    // Outside the lock: completing lets the intake submit the next job from this thread.
    admitted.forEach(f -> f.complete(null));
  }
}
