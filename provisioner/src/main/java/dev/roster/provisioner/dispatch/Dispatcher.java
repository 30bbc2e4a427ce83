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
 *   <li>A running job may {@link #releaseSlot release its slot} (a leave once its cut-off is done):
 *       the slot goes to the next job while the rest of this one (the cleanup) goes on in a
 *       separate stage of at most {@code cleanupInFlight} jobs. Its key stays busy until it
 *       finishes, so the employee's next event still waits for it, and it is acknowledged (its
 *       offset committed) only then.
 * </ul>
 *
 * Thread-safe; jobs run on the given executor, which must run up to {@code maxInFlight +
 * cleanupInFlight} at once.
 */
public final class Dispatcher {
  private final int maxInFlight;
  private final int window;
  private final int cleanupInFlight;
  private final Executor executor;
  private final ThreadLocal<Job> current = new ThreadLocal<>();

  private final Map<String, ArrayDeque<Job>> waitingByKey = new HashMap<>();
  private final Set<String> runningKeys = new HashSet<>();
  private final TreeSet<Job> readyUrgent = new TreeSet<>(Comparator.comparingLong(Job::seq));
  private final TreeSet<Job> readyOther = new TreeSet<>(Comparator.comparingLong(Job::seq));
  private final ArrayDeque<Submission> intake = new ArrayDeque<>();
  private long seq;
  private int running;
  private int cleaning;
  private int waiting;
  private int peak;

  /** No cleanup stage: a job keeps its slot until it finishes. */
  public Dispatcher(int maxInFlight, int lookahead, Executor executor) {
    this(maxInFlight, lookahead, 0, executor);
  }

  /**
   * @param cleanupInFlight jobs that released their slot and still run, at most
   */
  public Dispatcher(int maxInFlight, int lookahead, int cleanupInFlight, Executor executor) {
    if (maxInFlight < 1 || lookahead < 0 || cleanupInFlight < 0) {
      throw new IllegalArgumentException(
          "max in flight must be at least 1 and lookahead not negative: "
              + maxInFlight
              + ", "
              + lookahead);
    }
    this.maxInFlight = maxInFlight;
    this.window = maxInFlight + lookahead;
    this.cleanupInFlight = cleanupInFlight;
    this.executor = executor;
  }

  private static final class Job {
    final String key;
    final boolean urgent;
    final long seq;
    final Runnable work;
    boolean released; // guarded by the dispatcher

    Job(String key, boolean urgent, long seq, Runnable work) {
      this.key = key;
      this.urgent = urgent;
      this.seq = seq;
      this.work = work;
    }

    String key() {
      return key;
    }

    boolean urgent() {
      return urgent;
    }

    long seq() {
      return seq;
    }

    Runnable work() {
      return work;
    }
  }

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

  /** Whether no job of {@code key} is running, waiting or held at the intake. */
  public synchronized boolean idle(String key) {
    return !runningKeys.contains(key)
        && !waitingByKey.containsKey(key)
        && intake.stream().noneMatch(s -> s.job().key().equals(key));
  }

  /** Jobs running now. */
  public synchronized int running() {
    return running;
  }

  /** Jobs that released their slot and still run (cleanups). */
  public synchronized int cleaning() {
    return cleaning;
  }

  /**
   * Called on a running job's thread: the rest of the job frees its slot for the next job, its key
   * still busy until it finishes. Nothing when called elsewhere, twice, or while the cleanup stage
   * is full (the job then keeps its slot).
   */
  public void releaseSlot() {
    Job job = current.get();
    if (job == null) {
      return;
    }
    List<Job> start;
    List<CompletableFuture<Void>> admitted;
    synchronized (this) {
      if (job.released || cleaning >= cleanupInFlight) {
        return;
      }
      job.released = true;
      running--;
      cleaning++;
      admitted = admitIntake();
      start = pump();
    }
    start.forEach(this::run);
    admitted.forEach(f -> f.complete(null));
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
          Job outer = current.get(); // an executor that runs jobs inline nests them
          current.set(job);
          try {
            job.work().run();
          } catch (RuntimeException | Error e) {
            // The job reports its own failures; this only keeps the key from being stuck.
            Log.errorf(e, "job of %s failed: %s", job.key(), e.getMessage());
          } finally {
            if (outer == null) {
              current.remove();
            } else {
              current.set(outer);
            }
            finished(job);
          }
        });
  }

  private void finished(Job job) {
    List<Job> start;
    List<CompletableFuture<Void>> admitted;
    synchronized (this) {
      if (job.released) {
        cleaning--;
      } else {
        running--;
      }
      runningKeys.remove(job.key());
      ArrayDeque<Job> queue = waitingByKey.get(job.key());
      if (queue.isEmpty()) {
        waitingByKey.remove(job.key());
      } else {
        ready(queue.peekFirst());
      }
      admitted = admitIntake();
      start = pump();
    }
    start.forEach(this::run);
    // Outside the lock: completing lets the intake submit the next job from this thread.
    admitted.forEach(f -> f.complete(null));
  }

  /** Admits held submissions while the window has room; their stages are completed unlocked. */
  private List<CompletableFuture<Void>> admitIntake() {
    List<CompletableFuture<Void>> admitted = new ArrayList<>();
    while (!intake.isEmpty() && running + waiting < window) {
      Submission s = intake.poll();
      admit(s.job());
      admitted.add(s.admitted());
    }
    return admitted;
  }
}
