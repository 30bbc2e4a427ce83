package dev.roster.auditor.query;

import dev.roster.auditor.chain.EntryKind;
import dev.roster.events.ChangeStatus;
import dev.roster.events.EventType;
import io.quarkus.panache.common.Parameters;
import java.time.Instant;

/** Validated query filters; {@code from} is inclusive, {@code to} exclusive. */
public final class Filters {
  private Filters() {}

  /** Filters of {@code GET /v1/changes}, on the change's {@code at}. */
  public record ChangeFilter(
      EntryKind kind,
      String employeeId,
      String eventId,
      String account,
      String action,
      ChangeStatus status,
      Instant from,
      Instant to) {

    Where where() {
      // Without a kind, both: a privileged grant is an IAM change too.
      Where w =
          new Where(
              kind == null
                  ? "kind in ('iam_change', 'privileged_grant')"
                  : "kind = '" + kind.wireName() + "'");
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

  /**
   * Filters of {@code GET /v1/scheduled}: pending events, {@code from}/{@code to} on when they take
   * effect (the scheduled outcome's {@code effectiveAt}, else the HR event's).
   */
  public record ScheduledFilter(String employeeId, EventType type, Instant from, Instant to) {
    /**
     * A scheduled outcome {@code o} with no later outcome of the same event, and its HR event
     * {@code h} if stored yet (the two arrive on different topics).
     */
    static final String PENDING =
        "select o, h from AuditEntry o left join AuditEntry h"
            + " on h.kind = 'hr_event' and h.eventId = o.eventId"
            + " where o.kind = 'provisioning_outcome' and o.outcome = 'scheduled'"
            + " and not exists (select l.seq from AuditEntry l"
            + " where l.kind = 'provisioning_outcome' and l.eventId = o.eventId"
            + " and l.seq > o.seq)";

    Where where() {
      Where w = new Where(PENDING, "o.seq");
      w.eq("o.employeeId", employeeId);
      w.eq("h.eventType", type == null ? null : type.wireName());
      w.range("coalesce(o.effectiveAt, h.effectiveAt)", from, to);
      return w;
    }
  }

  /** A JPQL condition built from the filters that are set, with named parameters. */
  static final class Where {
    private final StringBuilder jpql;
    private final String seq;
    private final Parameters params = new Parameters();

    Where(String base) {
      this(base, "seq");
    }

    /** {@code seq}: the path keyset pagination runs on (qualified in a query with joins). */
    Where(String base, String seq) {
      this.jpql = new StringBuilder(base);
      this.seq = seq;
    }

    /** {@code path = value} when set; the parameter is named after the path's last segment. */
    void eq(String path, Object value) {
      if (value != null) {
        String param = path.substring(path.lastIndexOf('.') + 1);
        jpql.append(" and ").append(path).append(" = :").append(param);
        params.and(param, value);
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
        jpql.append(" and ").append(seq).append(" < :cursor");
        params.and("cursor", cursor);
      }
      return this;
    }

    String jpql() {
      return jpql + " order by " + seq + " desc";
    }

    Parameters params() {
      return params;
    }
  }
}
