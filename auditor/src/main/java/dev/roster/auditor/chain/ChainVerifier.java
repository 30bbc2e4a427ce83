package dev.roster.auditor.chain;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.roster.auditor.AuditMetrics;
import dev.roster.auditor.anchor.Anchor;
import dev.roster.auditor.anchor.AnchorKey;
import dev.roster.auditor.anchor.AnchorTopicClient;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/**
 * Re-verifies the chain from the stored rows: every entry must sit at the next seq, carry the
 * previous entry's hash as {@code prev_hash}, and hash to its stored {@code hash}; a whole-chain
 * run also checks the last entry against the chain head, and every run that covers the latest
 * signed anchor on {@code audit.anchors} checks the stored hash at the anchored seq against it
 * (which a rewrite that recomputed every hash cannot match).
 */
@ApplicationScoped
public class ChainVerifier {
  private final LogStore store;
  private final AuditMetrics metrics;
  private final AnchorTopicClient anchors;
  private final AnchorKey key;

  public ChainVerifier(
      LogStore store, AuditMetrics metrics, AnchorTopicClient anchors, AnchorKey key) {
    this.store = store;
    this.metrics = metrics;
    this.anchors = anchors;
    this.key = key;
  }

  /** The answer of {@code GET /v1/integrity}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Report(
      boolean ok,
      long entries,
      long headSeq,
      String headHash,
      Long firstBrokenSeq,
      AnchorCheck anchor) {}

  /**
   * Which anchor a run checked and what it found: {@code result} is {@code matches}, {@code
   * mismatch} (the stored chain differs from what was signed), {@code bad-signature}, {@code
   * unknown-key} (signed by another key), {@code not-in-range} (a range run that does not cover the
   * anchored seq), {@code none} (nothing anchored yet) or {@code unavailable} (Kafka could not be
   * read).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AnchorCheck(Long seq, String hash, Instant signedAt, String keyId, String result) {
    static AnchorCheck of(Anchor a, String result) {
      return new AnchorCheck(a.seq(), a.hash(), a.signedAt(), a.keyId(), result);
    }
  }

  /**
   * Verifies {@code fromSeq..toSeq} (null: from 1 / to the head). A range starting after 1 is
   * anchored on the stored hash of the entry before it.
   */
  public Report verify(Long fromSeq, Long toSeq) {
    LogStore.Head head = store.head();
    long from = fromSeq == null ? 1 : fromSeq;
    long to = toSeq == null ? head.seq() : Math.min(toSeq, head.seq());
    Walk walk = walk(head, from, to, from == 1 ? ChainHash.GENESIS : store.hashAt(from - 1));
    AnchorCheck anchor = checkAnchor(head, from, to, walk);
    boolean ok = walk.firstBroken == null && !anchor.result().equals("mismatch") && trusted(anchor);
    metrics.verified(ok);
    if (!ok) {
      Log.warnf(
          "audit chain broken at seq %s (verified %d..%d, anchor %s)",
          walk.firstBroken, from, to, anchor.result());
    }
    return report(ok, head, from, to, walk, anchor);
  }

  /**
   * Whether the stored chain still holds the anchored entry and extends it without a break up to
   * the head: what must be true before a new head is signed, so that each anchor vouches for the
   * one before it and the latest one covers the whole chain.
   */
  public Report verifyExtends(long anchoredSeq, String anchoredHash) {
    LogStore.Head head = store.head();
    Walk walk;
    if (anchoredSeq > head.seq()) {
      walk = new Walk(head.seq() + 1, head.hash());
      walk.breakAt(head.seq() + 1);
    } else if (!anchoredHash.equals(
        anchoredSeq == 0 ? ChainHash.GENESIS : store.hashAt(anchoredSeq))) {
      walk = new Walk(anchoredSeq + 1, anchoredHash);
      walk.breakAt(anchoredSeq);
    } else {
      walk = walk(head, anchoredSeq + 1, head.seq(), anchoredHash);
    }
    return report(walk.firstBroken == null, head, anchoredSeq + 1, head.seq(), walk, null);
  }

  private static Report report(
      boolean ok, LogStore.Head head, long from, long to, Walk walk, AnchorCheck anchor) {
    boolean wholeTail = to == head.seq();
    long lastSeq = from <= to ? to : head.seq();
    String lastHash = wholeTail || from > to ? head.hash() : walk.prev;
    return new Report(ok, walk.entries, lastSeq, lastHash, walk.firstBroken, anchor);
  }

  private Walk walk(LogStore.Head head, long from, long to, String prev) {
    boolean wholeTail = to == head.seq();
    Walk walk = new Walk(from, prev);
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
    return walk;
  }

  private AnchorCheck checkAnchor(LogStore.Head head, long from, long to, Walk walk) {
    Optional<Anchor> latest;
    try {
      latest = anchors.latest();
    } catch (RuntimeException e) {
      Log.warnf("cannot read the latest anchor: %s", e.getMessage());
      return new AnchorCheck(null, null, null, null, "unavailable");
    }
    if (latest.isEmpty()) {
      return new AnchorCheck(null, null, null, null, "none");
    }
    Anchor a = latest.get();
    if (!key.keyId().equals(a.keyId())) {
      return AnchorCheck.of(a, "unknown-key");
    }
    if (a.hash() == null
        || a.signedAt() == null
        || a.signature() == null
        || !key.verify(Anchor.signedBytes(a.seq(), a.hash(), a.signedAt()), a.signature())) {
      return AnchorCheck.of(a, "bad-signature");
    }
    if (a.seq() > head.seq()) {
      walk.breakAt(head.seq() + 1); // entries the anchor saw are gone
      return AnchorCheck.of(a, "mismatch");
    }
    if (a.seq() < from - 1 || a.seq() > to) {
      return AnchorCheck.of(a, "not-in-range");
    }
    String stored = a.seq() == 0 ? ChainHash.GENESIS : store.hashAt(a.seq());
    if (!a.hash().equals(stored)) {
      walk.breakAt(a.seq());
      return AnchorCheck.of(a, "mismatch");
    }
    return AnchorCheck.of(a, "matches");
  }

  /** An anchor that cannot be trusted (forged, foreign key) makes the run fail, loudly. */
  private static boolean trusted(AnchorCheck anchor) {
    return !anchor.result().equals("bad-signature") && !anchor.result().equals("unknown-key");
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

    /** Keeps the lowest seq found broken. */
    void breakAt(long seq) {
      if (firstBroken == null || seq < firstBroken) {
        firstBroken = seq;
      }
    }
  }
}
