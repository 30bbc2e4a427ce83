package dev.roster.auditor.chain;

import dev.roster.auditor.AuditMetrics;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Re-verifies the chain from the stored rows: every entry must sit at the next seq, carry the
 * previous entry's hash as {@code prev_hash}, and hash to its stored {@code hash}; a whole-chain
 * run also checks the last entry against the chain head.
 */
@ApplicationScoped
public class ChainVerifier {
  private final LogStore store;
  private final AuditMetrics metrics;

  public ChainVerifier(LogStore store, AuditMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  /** The answer of {@code GET /v1/integrity}. */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record Report(
      boolean ok, long entries, long headSeq, String headHash, Long firstBrokenSeq) {}

  /**
   * Verifies {@code fromSeq..toSeq} (null: from 1 / to the head). A range starting after 1 is
   * anchored on the stored hash of the entry before it.
   */
  public Report verify(Long fromSeq, Long toSeq) {
    LogStore.Head head = store.head();
    long from = fromSeq == null ? 1 : fromSeq;
    long to = toSeq == null ? head.seq() : Math.min(toSeq, head.seq());
    boolean wholeTail = to == head.seq();
    Walk walk = new Walk(from, from == 1 ? ChainHash.GENESIS : store.hashAt(from - 1));
    if (walk.prev == null) {
      walk.breakAt(from - 1);
    }
    if (from <= to) {
      store.scan(from, to, walk::accept);
    }
    if (walk.firstBroken == null && walk.expected <= to) {
      walk.breakAt(walk.expected); // rows missing at the end of the range
    }
    if (walk.firstBroken == null && wholeTail && to > 0 && !head.hash().equals(walk.prev)) {
      walk.breakAt(head.seq()); // the head no longer matches the last entry
    }
    boolean ok = walk.firstBroken == null;
    metrics.verified(ok);
    if (!ok) {
      Log.warnf("audit chain broken at seq %d (verified %d..%d)", walk.firstBroken, from, to);
    }
    long lastSeq = from <= to ? to : head.seq();
    String lastHash = wholeTail || from > to ? head.hash() : walk.prev;
    return new Report(ok, walk.entries, lastSeq, lastHash, walk.firstBroken);
  }

  private static final class Walk {
    long expected;
    String prev;
    long entries;
    Long firstBroken;

    Walk(long from, String prev) {
      this.expected = from;
      this.prev = prev;
    }

    void accept(LogEntry e) {
      entries++;
      if (firstBroken == null) {
        if (e.seq() != expected) {
          breakAt(expected);
        } else if (!e.prevHash().equals(prev) || !ChainHash.hash(prev, e).equals(e.hash())) {
          breakAt(e.seq());
        }
      }
      expected = e.seq() + 1;
      prev = e.hash();
    }

    void breakAt(long seq) {
      if (firstBroken == null) {
        firstBroken = seq;
      }
    }
  }
}
