package dev.roster.auditor.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.auditor.db.Columns;
import dev.roster.auditor.db.Rows;
import dev.roster.auditor.query.ReviewViews.Finding;
import dev.roster.auditor.query.ReviewViews.Review;
import dev.roster.events.EventJson;
import dev.roster.events.FindingKind;
import dev.roster.events.ReconciliationStatus;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The read side of the review tables. A finding's state is computed here from its sightings (rows
 * of {@code review_finding}) and the completed reviews (rows of {@code review_status}); nothing is
 * ever written back.
 */
@ApplicationScoped
public class ReviewQueries {
  private static final ObjectMapper JSON = EventJson.mapper();

  public static final String OPEN = "open";
  public static final String RESOLVED = "resolved";

  private final AgroalDataSource dataSource;

  public ReviewQueries(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Filters of {@code GET /v1/findings}; null = any. {@code from} (inclusive) and {@code to}
   * (exclusive) are on firstSeenAt; {@code status} is {@link #OPEN} or {@link #RESOLVED}.
   */
  public record FindingFilter(
      FindingKind kind,
      String account,
      String employeeId,
      Instant from,
      Instant to,
      String status) {
    public static final FindingFilter ANY = new FindingFilter(null, null, null, null, null, null);
  }

  /**
   * Every finding with its first and latest sighting and its resolution: the latest sighting is the
   * one with the highest observedAt; the resolving review is the first completed review (by
   * startedAt) that started after that sighting was observed, reviewed the finding's account and
   * holds no sighting of it. {@code kind} and {@code account} (part of what a findingId names)
   * narrow the sightings read.
   */
  private static String findings(FindingFilter filter, List<Object> args) {
    StringBuilder sightings =
        new StringBuilder(
            "SELECT f.*, min(f.seq) OVER w AS first_seq, min(f.observed_at) OVER w AS"
                + " first_seen_at, row_number() OVER (PARTITION BY f.finding_id"
                + " ORDER BY f.observed_at DESC, f.seq DESC) AS latest FROM review_finding f"
                + " WHERE true");
    if (filter.kind() != null) {
      sightings.append(" AND f.kind = ?");
      args.add(filter.kind().wireName());
    }
    if (filter.account() != null) {
      sightings.append(" AND f.account = ?");
      args.add(filter.account());
    }
    sightings.append(" WINDOW w AS (PARTITION BY f.finding_id)");
    return "WITH sighting AS ("
        + sightings
        + "), finding AS (SELECT s.*, (SELECT r.completed_at FROM review_status r"
        + " WHERE r.status = 'completed' AND r.started_at > s.observed_at"
        // a review resolves only what it looked at: a finding of an account it did not review
        // stays as it was (no account list = every account; an organization-wide finding is
        // looked at by every review)
        + " AND (s.account IS NULL OR r.accounts IS NULL"
        + " OR r.accounts::jsonb @> jsonb_build_array(s.account))"
        + " AND NOT EXISTS (SELECT 1 FROM review_finding x WHERE x.review_id = r.review_id"
        + " AND x.finding_id = s.finding_id) ORDER BY r.started_at, r.seq LIMIT 1) AS resolved_at"
        + " FROM sighting s WHERE s.latest = 1)";
  }

  /** At most {@code limit} findings first stored before {@code cursor}, newest first. */
  public List<Finding> list(FindingFilter filter, Long cursor, int limit) {
    List<Object> args = new ArrayList<>();
    StringBuilder sql = new StringBuilder(findings(filter, args));
    sql.append(" SELECT * FROM finding WHERE true");
    if (filter.employeeId() != null) {
      sql.append(" AND employee_id = ?");
      args.add(filter.employeeId());
    }
    if (filter.from() != null) {
      sql.append(" AND first_seen_at >= ?");
      args.add(filter.from());
    }
    if (filter.to() != null) {
      sql.append(" AND first_seen_at < ?");
      args.add(filter.to());
    }
    if (OPEN.equals(filter.status())) {
      sql.append(" AND resolved_at IS NULL");
    } else if (RESOLVED.equals(filter.status())) {
      sql.append(" AND resolved_at IS NOT NULL");
    }
    if (cursor != null) {
      sql.append(" AND first_seq < ?");
      args.add(cursor);
    }
    sql.append(" ORDER BY first_seq DESC LIMIT ?");
    args.add(limit);
    return Rows.select(
        dataSource,
        "finding",
        sql.toString(),
        args,
        rs -> {
          Instant resolvedAt = Columns.instant(rs, "resolved_at");
          return new Finding(
              rs.getLong("first_seq"),
              rs.getString("finding_id"),
              rs.getString("kind"),
              rs.getString("account"),
              rs.getString("employee_id"),
              rs.getString("user_name"),
              rs.getString("subject"),
              rs.getString("detail"),
              Columns.instant(rs, "first_seen_at"),
              Columns.instant(rs, "observed_at"),
              resolvedAt,
              resolvedAt == null ? OPEN : RESOLVED,
              rs.getString("review_id"));
        });
  }

  /** Open findings of one kind in one account ({@code account} null: organization-wide). */
  public record OpenCount(String kind, String account, long open) {}

  /** Open findings counted per kind and account (pairs without an open finding left out). */
  public List<OpenCount> openCounts() {
    List<Object> args = new ArrayList<>();
    String sql =
        findings(FindingFilter.ANY, args)
            + " SELECT kind, account, count(*) AS n FROM finding WHERE resolved_at IS NULL"
            + " GROUP BY kind, account";
    return Rows.select(
        dataSource,
        "finding",
        sql,
        args,
        rs -> new OpenCount(rs.getString("kind"), rs.getString("account"), rs.getLong("n")));
  }

  /**
   * Reviews whose first status record is older than {@code cursor}, newest first (a review keeps
   * its place while its status changes), with the status of their latest record; {@code status}
   * null = any.
   */
  public List<Review> reviews(ReconciliationStatus status, Long cursor, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT f.seq AS first_seq, l.*, (SELECT count(*) FROM review_finding d"
                + " WHERE d.review_id = f.review_id) AS finding_count FROM review_status f"
                + " JOIN LATERAL (SELECT * FROM review_status s WHERE s.review_id = f.review_id"
                + " ORDER BY s.kafka_offset DESC, s.seq DESC LIMIT 1) l ON true"
                + " WHERE NOT EXISTS (SELECT 1 FROM review_status e"
                + " WHERE e.review_id = f.review_id AND e.seq < f.seq)");
    List<Object> args = new ArrayList<>();
    if (cursor != null) {
      sql.append(" AND f.seq < ?");
      args.add(cursor);
    }
    if (status != null) {
      sql.append(" AND l.status = ?");
      args.add(status.wireName());
    }
    sql.append(" ORDER BY f.seq DESC LIMIT ?");
    args.add(limit);
    return Rows.select(
        dataSource,
        "review",
        sql.toString(),
        args,
        rs ->
            new Review(
                rs.getLong("first_seq"),
                rs.getString("review_id"),
                rs.getString("status"),
                Columns.instant(rs, "started_at"),
                Columns.instant(rs, "completed_at"),
                parse(rs.getString("accounts"), new TypeReference<List<String>>() {}),
                parse(
                    rs.getString("counts"), new TypeReference<java.util.Map<String, Integer>>() {}),
                rs.getLong("finding_count"),
                rs.getString("reason"),
                Columns.instant(rs, "recorded_at")));
  }

  private static <T> T parse(String json, TypeReference<T> type) {
    if (json == null) {
      return null;
    }
    try {
      return JSON.readValue(json, type);
    } catch (IOException e) {
      throw new IllegalStateException("stored review JSON is unreadable", e);
    }
  }
}
