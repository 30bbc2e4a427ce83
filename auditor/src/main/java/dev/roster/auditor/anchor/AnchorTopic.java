package dev.roster.auditor.anchor;

/**
 * The anchor topic. Belongs beside the other names in {@code dev.roster.events.Topics}; kept here
 * until the contract module has it.
 */
public final class AnchorTopic {
  /** Compacted; one key, so compaction keeps the latest signed chain head. */
  public static final String AUDIT_ANCHORS = "audit.anchors";

  /** The key of every anchor record. */
  public static final String KEY = "audit-chain";

  private AnchorTopic() {}
}
