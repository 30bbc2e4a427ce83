package dev.roster.auditor.anchor;

/** How anchors are keyed on {@link dev.roster.events.Topics#AUDIT_ANCHORS}. */
public final class AnchorTopic {
  /** The key of every anchor record: one key, so compaction keeps the latest signed chain head. */
  public static final String KEY = "audit-chain";

  private AnchorTopic() {}
}
