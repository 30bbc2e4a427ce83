package dev.roster.provisioner.dispatch;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The offsets of one partition that were received and not yet finished, and so the offset that is
 * safe to commit: the lowest one not finished (or, when every one received is finished, the one
 * after the highest). Records of a partition finish in any order once several run at once; a commit
 * past an unfinished one would lose it on a hand-over or a crash. Not thread-safe.
 */
public final class OffsetTracker {
  private final TreeSet<Long> unfinished = new TreeSet<>();
  private long highestFinished = -1;

  /** A record polled (before it runs; in offset order). */
  public void received(long offset) {
    unfinished.add(offset);
  }

  /** A record handled to completion. */
  public void finished(long offset) {
    unfinished.remove(offset);
    highestFinished = Math.max(highestFinished, offset);
  }

  /** Whether the record is received and not finished. */
  public boolean pending(long offset) {
    return unfinished.contains(offset);
  }

  /**
   * The offset to commit (the next record to read after a restart): every record before it is
   * finished. Empty while nothing is finished (nothing to move).
   */
  public OptionalLong commitPoint() {
    if (highestFinished < 0) {
      return OptionalLong.empty();
    }
    long after = highestFinished + 1;
    return OptionalLong.of(unfinished.isEmpty() ? after : Math.min(unfinished.first(), after));
  }
}
