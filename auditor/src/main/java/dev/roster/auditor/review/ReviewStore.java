package dev.roster.auditor.review;

import dev.roster.auditor.notify.Notification;
import dev.roster.auditor.notify.Outbox;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The only writer of {@code review_status} and {@code review_finding}: one call stores one batch in
 * one transaction, one INSERT per table over arrays of the batch's values with {@code ON CONFLICT
 * DO NOTHING}, so a redelivered record (or a finding a review already reported) stores nothing and
 * the rows the database returns tell how many were new. Outside the hash chain, like the
 * reconciliation tables: no chain lock.
 */
@ApplicationScoped
public class ReviewStore {
  public static final String STATUS = "status";
  public static final String FINDING = "finding";

  private static final String INSERT_STATUS =
      "INSERT INTO review_status (review_id, status, started_at, completed_at, accounts, counts,"
          + " reason, kafka_partition, kafka_offset)"
          + " SELECT * FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[],"
          + " ?::text[], ?::text[], ?::text[], ?::integer[], ?::bigint[])"
          + " ON CONFLICT DO NOTHING RETURNING 1";
  private static final String INSERT_FINDING =
      "INSERT INTO review_finding (review_id, finding_id, kind, account, employee_id, user_name,"
          + " subject, detail, observed_at, kafka_partition, kafka_offset)"
          + " SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
          + " ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::integer[], ?::bigint[])"
          + " ON CONFLICT DO NOTHING RETURNING 1";

  private final AgroalDataSource dataSource;
  private final Outbox outbox;

  public ReviewStore(AgroalDataSource dataSource, Outbox outbox) {
    this.dataSource = dataSource;
    this.outbox = outbox;
  }

  /**
   * Records stored and duplicates skipped, per type ({@link #STATUS}, {@link #FINDING}), and the
   * notifications written to the outbox (findings never stored before).
   */
  public record Result(
      Map<String, Integer> stored,
      Map<String, Integer> duplicates,
      List<Notification> notifications) {}

  /** Stores the drafts in their order, in a new transaction. */
  public Result append(List<ReviewDraft> drafts) {
    return QuarkusTransaction.requiringNew().call(() -> appendInTransaction(drafts));
  }

  private Result appendInTransaction(List<ReviewDraft> drafts) throws SQLException {
    List<ReviewDraft.Status> statuses = new ArrayList<>();
    List<ReviewDraft.Finding> findings = new ArrayList<>();
    for (ReviewDraft d : drafts) {
      if (d instanceof ReviewDraft.Status s) {
        statuses.add(s);
      } else {
        findings.add((ReviewDraft.Finding) d);
      }
    }
    Map<String, Integer> stored = new LinkedHashMap<>();
    Map<String, Integer> duplicates = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection()) {
      // Before the insert: what was stored before this batch is a repeat, not news.
      Set<String> known = outbox.knownFindings(c, findings);
      count(
          STATUS,
          statuses.size(),
          insert(
              c,
              INSERT_STATUS,
              statuses,
              List.of(
                  ReviewDraft.Status::reviewId,
                  s -> s.status().wireName(),
                  s -> text(s.startedAt()),
                  s -> text(s.completedAt()),
                  ReviewDraft.Status::accounts,
                  ReviewDraft.Status::counts,
                  ReviewDraft.Status::reason,
                  s -> Integer.toString(s.partition()),
                  s -> Long.toString(s.offset()))),
          stored,
          duplicates);
      count(
          FINDING,
          findings.size(),
          insert(
              c,
              INSERT_FINDING,
              findings,
              List.of(
                  ReviewDraft.Finding::reviewId,
                  ReviewDraft.Finding::findingId,
                  f -> f.kind().wireName(),
                  ReviewDraft.Finding::account,
                  ReviewDraft.Finding::employeeId,
                  ReviewDraft.Finding::userName,
                  ReviewDraft.Finding::subject,
                  ReviewDraft.Finding::detail,
                  f -> text(f.observedAt()),
                  f -> Integer.toString(f.partition()),
                  f -> Long.toString(f.offset()))),
          stored,
          duplicates);
      return new Result(stored, duplicates, outbox.afterFindings(c, findings, known));
    }
  }

  private static void count(
      String type,
      int offered,
      int inserted,
      Map<String, Integer> stored,
      Map<String, Integer> duplicates) {
    if (inserted > 0) {
      stored.put(type, inserted);
    }
    if (offered > inserted) {
      duplicates.put(type, offered - inserted);
    }
  }

  /**
   * One INSERT of every row: column {@code i} is bound as a text array of {@code columns.get(i)}
   * over the rows (the statement casts it); returns the rows inserted.
   */
  private static <T> int insert(
      Connection c, String sql, List<T> rows, List<Function<T, String>> columns)
      throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < columns.size(); i++) {
        Function<T, String> column = columns.get(i);
        s.setArray(i + 1, c.createArrayOf("text", rows.stream().map(column).toArray()));
      }
      int inserted = 0;
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          inserted++;
        }
      }
      return inserted;
    }
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
