package dev.roster.auditor.messaging;

/**
 * Why a record went to {@code audit.dlq}; the wire name is the {@code dlq_reason} header and the
 * {@code reason} tag of {@code roster_auditor_dead_lettered_total}.
 */
public enum DlqReason {
  /** Not a valid record of its type: bad JSON, a contract violation, a missing id, no value. */
  MALFORMED("malformed"),
  /** A {@code ce_type} the auditor does not know on that topic. */
  UNKNOWN_TYPE("unknown-type"),
  /** Readable, but the database refused to store it (a data error, SQLState in the cause). */
  DATABASE_REFUSED("database-refused");

  private final String wireName;

  DlqReason(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
