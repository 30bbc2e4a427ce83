package dev.roster.auditor.query;

import dev.roster.events.ChangeStatus;
import dev.roster.events.EventType;
import io.quarkus.panache.common.Parameters;
import java.time.Instant;

/** Validated query filters; {@code from} is inclusive, {@code to} exclusive. */
public final class Filters {
  private Filters() {}

  /** Filters of {@code GET /v1/changes}, on the change's {@code at}. */
  public record ChangeFilter(
      String employeeId,
      String eventId,
      String account,
      String action,
      ChangeStatus status,
      Instant from,
      Instant to) {

    Where where() {
      Where w = new Where("kind = 'iam_change'");
      w.eq("employeeId", employeeId);
      w.eq("eventId", eventId);
      w.eq("account", account);
      w.eq("action", action);
      w.eq("status", status == null ? null : status.wireName());
      w.range("at", from, to);
      return w;
    }
  }

  /** Filters of {@code GET /v1/hr-events}, on the event's {@code occurredAt}. */
  public record HrEventFilter(String employeeId, EventType type, Instant from, Instant to) {
    Where where() {
      Where w = new Where("kind = 'hr_event'");
      w.eq("employeeId", employeeId);
      w.eq("eventType", type == null ? null : type.wireName());
      w.range("occurredAt", from, to);
      return w;
    }
  }

  /** A JPQL condition built from the filters that are set, with named parameters. */
  static final class Where {
    private final StringBuilder jpql;
    private final Parameters params = new Parameters();

    Where(String base) {
      this.jpql = new StringBuilder(base);
    }

    void eq(String field, Object value) {
      if (value != null) {
        jpql.append(" and ").append(field).append(" = :").append(field);
        params.and(field, value);
      }
    }

    void range(String field, Instant from, Instant to) {
      if (from != null) {
        jpql.append(" and ").append(field).append(" >= :from");
        params.and("from", from);
      }
      if (to != null) {
        jpql.append(" and ").append(field).append(" < :to");
        params.and("to", to);
      }
    }

    /** Keyset: strictly older (smaller seq) than the cursor. */
    Where before(Long cursor) {
      if (cursor != null) {
        jpql.append(" and seq < :cursor");
        params.and("cursor", cursor);
      }
      return this;
    }

    String jpql() {
      return jpql + " order by seq desc";
    }

    Parameters params() {
      return params;
    }
  }
}
