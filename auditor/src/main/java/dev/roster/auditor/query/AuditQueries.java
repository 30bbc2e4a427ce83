package dev.roster.auditor.query;

import dev.roster.auditor.chain.AccountOutcome;
import dev.roster.auditor.chain.CutOffCheck;
import dev.roster.auditor.db.Columns;
import dev.roster.auditor.query.Filters.ChangeFilter;
import dev.roster.auditor.query.Filters.HrEventFilter;
import dev.roster.auditor.query.Filters.ScheduledFilter;
import dev.roster.auditor.query.Views.Change;
import dev.roster.auditor.query.Views.HrEventDetail;
import dev.roster.auditor.query.Views.HrEventView;
import dev.roster.auditor.query.Views.Leaver;
import dev.roster.auditor.query.Views.OutcomeView;
import dev.roster.auditor.query.Views.Scheduled;
import dev.roster.auditor.query.Views.Timeline;
import dev.roster.auditor.query.Views.TimelineEntry;
import dev.roster.events.EventJson;
import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The read-only questions auditors ask. Listings are newest first, keyset-paginated on seq. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class AuditQueries {
  /** An employee's timeline is small; this bounds a pathological one. */
  private static final int TIMELINE_MAX = 10_000;

  private final AgroalDataSource dataSource;

  public AuditQueries(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** At most {@code limit} changes older than {@code cursor}; one more tells a next page exists. */
  public List<AuditEntry> changes(ChangeFilter filter, Long cursor, int limit) {
    return page(filter.where().before(cursor), limit);
  }

  public List<AuditEntry> hrEvents(HrEventFilter filter, Long cursor, int limit) {
    return page(filter.where().before(cursor), limit);
  }

  /** Pending events (latest outcome scheduled) older than {@code cursor}, newest hold first. */
  public List<Scheduled> scheduled(ScheduledFilter filter, Long cursor, int limit) {
    Filters.Where where = filter.where().before(cursor);
    TypedQuery<Object[]> q =
        AuditEntry.getEntityManager().createQuery(where.jpql(), Object[].class);
    where.params().map().forEach(q::setParameter);
    return q.setMaxResults(limit).getResultList().stream()
        .map(row -> Scheduled.of((AuditEntry) row[0], (AuditEntry) row[1]))
        .toList();
  }

  private static List<AuditEntry> page(Filters.Where where, int limit) {
    PanacheQuery<AuditEntry> q = AuditEntry.find(where.jpql(), where.params());
    return q.range(0, limit - 1).list();
  }

  /** The HR event, the changes it caused and its outcome; empty when the event is unknown. */
  public Optional<HrEventDetail> hrEvent(String eventId) {
    List<AuditEntry> all = AuditEntry.list("eventId = ?1 order by seq", eventId);
    Optional<AuditEntry> event = all.stream().filter(e -> "hr_event".equals(e.kind)).findFirst();
    if (event.isEmpty()) {
      return Optional.empty();
    }
    HrEventView view = HrEventView.of(event.get());
    List<Change> changes =
        all.stream()
            .filter(e -> "iam_change".equals(e.kind) || "privileged_grant".equals(e.kind))
            .map(Change::of)
            .toList();
    OutcomeView outcome =
        all.stream()
            .filter(e -> "provisioning_outcome".equals(e.kind))
            .reduce((first, second) -> second) // the latest outcome
            .map(OutcomeView::of)
            .orElse(null);
    // A held or rescinded event has no completion or cut-off yet, whatever the hold's own times.
    boolean applied = outcome != null && Views.applied(outcome.outcome());
    Instant completedAt = applied ? outcome.completedAt() : null;
    Instant cutOffAt = applied ? outcome.cutOffAt() : null;
    Duration lag = Views.lag(event.get().effectiveAt, completedAt);
    Duration cutOffLag = Views.lag(event.get().effectiveAt, cutOffAt);
    return Optional.of(
        new HrEventDetail(
            view,
            changes,
            outcome,
            completedAt,
            Views.iso(lag),
            Views.seconds(lag),
            cutOffAt,
            Views.iso(cutOffLag),
            Views.seconds(cutOffLag)));
  }

  /** Everything about one person in time order; empty when nothing is known about them. */
  public Optional<Timeline> timeline(String employeeId) {
    List<AuditEntry> all =
        AuditEntry.find("employeeId = ?1 order by seq", employeeId)
            .range(0, TIMELINE_MAX - 1)
            .list();
    if (all.isEmpty()) {
      return Optional.empty();
    }
    List<TimelineEntry> entries = new ArrayList<>(all.size());
    for (AuditEntry e : all) {
      entries.add(
          switch (e.kind) {
            case "hr_event" ->
                new TimelineEntry(e.seq, e.kind, e.occurredAt, HrEventView.of(e), null, null);
            case "iam_change", "privileged_grant" ->
                new TimelineEntry(e.seq, e.kind, time(e.at, e), null, Change.of(e), null);
            default ->
                new TimelineEntry(
                    e.seq, e.kind, time(e.completedAt, e), null, null, OutcomeView.of(e));
          });
    }
    entries.sort(Comparator.comparing(TimelineEntry::at).thenComparingLong(TimelineEntry::seq));
    List<Scheduled> pending =
        new ArrayList<>(
            scheduled(new ScheduledFilter(employeeId, null, null, null), null, TIMELINE_MAX));
    pending.sort(
        Comparator.comparing(
                Scheduled::effectiveAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingLong(Scheduled::seq));
    return Optional.of(new Timeline(employeeId, entries, pending));
  }

  private static Instant time(Instant t, AuditEntry e) {
    return t != null ? t : e.recordedAt;
  }

  private static final String LEAVERS =
      """
      SELECT h.employee_id, h.event_id, h.effective_at, o.outcome, o.completed_at, o.cut_off_at,
             o.accounts,
             (SELECT count(*) FROM audit_log c
               WHERE c.kind = 'iam_change' AND c.event_id = h.event_id AND c.status = 'failed'
                 AND NOT EXISTS (SELECT 1 FROM audit_log a
                                  WHERE a.kind = 'iam_change' AND a.change_id = c.change_id
                                    AND a.status = 'applied')) AS failed_changes
        FROM audit_log h
        LEFT JOIN LATERAL (SELECT p.outcome, p.completed_at, p.cut_off_at, p.accounts
                             FROM audit_log p
                            WHERE p.kind = 'provisioning_outcome' AND p.event_id = h.event_id
                            ORDER BY p.seq DESC LIMIT 1) o ON true
       WHERE h.kind = 'hr_event' AND h.event_type = 'leave'
         AND (CAST(? AS timestamptz) IS NULL OR h.effective_at >= ?)
         AND (CAST(? AS timestamptz) IS NULL OR h.effective_at < ?)
       ORDER BY h.effective_at, h.seq
      """;

  /**
   * Per leave with {@code from <= effectiveAt < to}: when the provisioner cut access off and
   * finished (its latest outcome, once applied: not for {@code scheduled} or {@code cancelled}),
   * both lags, and whether access is possibly still open: no outcome yet; held past its
   * effectiveAt; for an outcome with the per-account list, no {@code cutOffAt} or any account
   * neither cut_off nor completed; for an outcome without it (published before the contract had
   * it), a change that failed without a later successful retry or an outcome other than completed.
   */
  public List<Leaver> leavers(Instant from, Instant to) {
    Instant now = Instant.now();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(LEAVERS)) {
      Columns.setInstant(s, 1, from);
      Columns.setInstant(s, 2, from);
      Columns.setInstant(s, 3, to);
      Columns.setInstant(s, 4, to);
      List<Leaver> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Instant effectiveAt = Columns.instant(rs, "effective_at");
          String outcome = rs.getString("outcome");
          // Held (scheduled) or rescinded (cancelled): nothing applied, so no completion, no
          // cut-off and no lag; the hold's completedAt precedes effectiveAt.
          boolean applied = Views.applied(outcome);
          Instant completedAt = applied ? Columns.instant(rs, "completed_at") : null;
          Instant cutOffAt = applied ? Columns.instant(rs, "cut_off_at") : null;
          List<AccountOutcome> accounts =
              AccountOutcome.parse(rs.getString("accounts"), EventJson.mapper());
          int failed = rs.getInt("failed_changes");
          Duration lag = Views.lag(effectiveAt, completedAt);
          Duration cutOffLag = Views.lag(effectiveAt, cutOffAt);
          CutOffCheck check = CutOffCheck.of(accounts);
          List<String> notCutOff = check.notCutOff();
          List<String> notVerified = check.notVerified();
          boolean open;
          if (outcome == null) {
            open = true;
          } else if ("scheduled".equals(outcome)) {
            // Held: access stays until effectiveAt by design; past it, the leave is overdue.
            open = !effectiveAt.isAfter(now);
          } else if ("cancelled".equals(outcome)) {
            open = false; // rescinded before it took effect: nobody is leaving
          } else if (accounts != null) {
            open = check.possiblyOpen(cutOffAt);
          } else {
            open = failed > 0 || !"completed".equals(outcome);
          }
          rows.add(
              new Leaver(
                  rs.getString("employee_id"),
                  rs.getString("event_id"),
                  effectiveAt,
                  completedAt,
                  Views.iso(lag),
                  Views.seconds(lag),
                  cutOffAt,
                  Views.iso(cutOffLag),
                  Views.seconds(cutOffLag),
                  outcome,
                  failed,
                  failed > 0,
                  notCutOff,
                  notVerified,
                  open));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("leavers report failed", e);
    }
  }
}
