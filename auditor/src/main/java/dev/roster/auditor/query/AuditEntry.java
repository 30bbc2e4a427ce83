package dev.roster.auditor.query;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/**
 * Read side of {@code audit_log} (writes go through {@code LogStore}'s JDBC batches). Immutable:
 * Hibernate never issues an UPDATE or DELETE for it, and the database would refuse one anyway.
 */
@Entity
@Immutable
@Table(name = "audit_log")
public class AuditEntry extends PanacheEntityBase {
  @Id public long seq;
  public String kind;

  @Column(name = "prev_hash")
  public String prevHash;

  public String hash;

  @Column(name = "recorded_at")
  public Instant recordedAt;

  @Column(name = "event_id")
  public String eventId;

  @Column(name = "employee_id")
  public String employeeId;

  @Column(name = "event_type")
  public String eventType;

  @Column(name = "occurred_at")
  public Instant occurredAt;

  @Column(name = "effective_at")
  public Instant effectiveAt;

  public String payload;

  @Column(name = "change_id")
  public String changeId;

  public String account;
  public String action;

  @Column(name = "user_name")
  public String userName;

  public String target;
  public String status;
  public String error;

  @Column(name = "aws_request_id")
  public String awsRequestId;

  public Instant at;
  public String outcome;

  @Column(name = "planned_count")
  public Integer plannedCount;

  @Column(name = "applied_count")
  public Integer appliedCount;

  @Column(name = "failed_count")
  public Integer failedCount;

  @Column(name = "started_at")
  public Instant startedAt;

  @Column(name = "completed_at")
  public Instant completedAt;

  public String reason;

  @Column(name = "cut_off_at")
  public Instant cutOffAt;

  /** Canonical JSON array of the per-account outcome (see {@code AccountOutcome}), or null. */
  public String accounts;
}
