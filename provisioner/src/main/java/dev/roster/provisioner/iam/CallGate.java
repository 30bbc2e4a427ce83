package dev.roster.provisioner.iam;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Per account, at most {@code permits} IAM operations at once, cut-off first: a cut-off's operation
 * (its read, its deny-all) takes the next free permit before any other, and every cut-off under way
 * in an account (from its user look-up to its deny-all, {@link #cutOff}) keeps one permit there for
 * its next call: another operation starts only while more permits are free than cut-offs are under
 * way. So where permits run short (a burst, a throttled account) every leaver's deny-all goes
 * before anyone's cleanup, hire or full read in that account, and where they do not, the others are
 * not held back by cut-offs they do not compete with. Accounts are independent, so a slow one holds
 * back only itself.
 */
public final class CallGate {
  /** What an operation is for. */
  public enum Priority {
    CUT_OFF,
    OTHER
  }

  /** A cut-off under way in one account; closing it ends it. */
  public interface Hold extends AutoCloseable {
    @Override
    void close();
  }

  /** No limit, no order (tests, tools). */
  public static final CallGate NONE = new CallGate(Integer.MAX_VALUE);

  private final int permits;
  private final Map<String, Account> accounts = new ConcurrentHashMap<>();

  /**
   * @param permits operations at once per account, at least 1
   */
  public CallGate(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("calls per account must be at least 1: " + permits);
    }
    this.permits = permits;
  }

  /** Marks a cut-off under way in {@code account} until the hold is closed. */
  public Hold cutOff(String account) {
    if (this == NONE) {
      return () -> {};
    }
    Account a = account(account);
    a.open(1);
    return new Hold() {
      private boolean closed;

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          a.open(-1);
        }
      }
    };
  }

  /** Runs {@code work} once {@code account} has a permit for it. */
  public <T> T call(String account, Priority priority, Supplier<T> work) {
    if (this == NONE) {
      return work.get();
    }
    Account a = account(account);
    a.acquire(priority);
    try {
      return work.get();
    } finally {
      a.release();
    }
  }

  /** Operations of this priority waiting for a permit in the account now. */
  public int waiting(String account, Priority priority) {
    return account(account).waiting(priority);
  }

  /** Cut-offs under way in the account now. */
  public int cutOffs(String account) {
    return account(account).cutOffs();
  }

  private Account account(String name) {
    return accounts.computeIfAbsent(name, n -> new Account(permits));
  }

  private static final class Account {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int free;
    private int cutOffsWaiting;
    private int othersWaiting;
    private int open;

    Account(int permits) {
      this.free = permits;
    }

    void acquire(Priority priority) {
      lock.lock();
      try {
        if (priority == Priority.CUT_OFF) {
          cutOffsWaiting++;
          try {
            while (free == 0) {
              changed.awaitUninterruptibly();
            }
          } finally {
            cutOffsWaiting--;
          }
        } else {
          othersWaiting++;
          try {
            // A permit for each cut-off under way: its next call never waits behind this one.
            while (free <= open || cutOffsWaiting > 0) {
              changed.awaitUninterruptibly();
            }
          } finally {
            othersWaiting--;
          }
        }
        free--;
      } finally {
        lock.unlock();
      }
    }

    void release() {
      lock.lock();
      try {
        free++;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void open(int delta) {
      lock.lock();
      try {
        open += delta;
        if (open == 0) {
          changed.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }

    int waiting(Priority priority) {
      lock.lock();
      try {
        return priority == Priority.CUT_OFF ? cutOffsWaiting : othersWaiting;
      } finally {
        lock.unlock();
      }
    }

    int cutOffs() {
      lock.lock();
      try {
        return open;
      } finally {
        lock.unlock();
      }
    }
  }
}
