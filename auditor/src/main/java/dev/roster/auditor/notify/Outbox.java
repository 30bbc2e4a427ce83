package dev.roster.auditor.notify;

import dev.roster.auditor.chain.AccountOutcome;
import dev.roster.auditor.chain.EntryKind;
import dev.roster.auditor.chain.LogEntry;
import dev.roster.auditor.db.Columns;
import dev.roster.auditor.reconciliation.ReconciliationDraft;
import dev.roster.auditor.review.ReviewDraft;
import dev.roster.events.EventJson;
import dev.roster.events.EventType;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The only writer of {@code notification_outbox} and {@code notification_delivery}. The stores call
 * it inside their own transaction, after their rows are written, so a notification exists exactly
 * when the fact it reports was stored: both commit or neither does. Nothing is written while
 * notifications are off. Append-only: a delivery (or giving up) is a row of its own.
 */
@ApplicationScoped
public class Outbox {
  private static final String INSERT =
      "INSERT INTO notification_outbox (notification_id, kind, event_id, body) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (notification_id) DO NOTHING RETURNING seq";
  private static final String LEAVES =
      "SELECT event_id FROM audit_log WHERE kind = 'hr_event' AND event_type = ?"
          + " AND event_id = ANY (?)";
  private static final String LATEST_OUTCOMES =
      "SELECT DISTINCT ON (event_id) event_id, employee_id, outcome, cut_off_at, accounts"
          + " FROM audit_log WHERE kind = 'provisioning_outcome' AND event_id = ANY (?)"
          + " ORDER BY event_id, seq DESC";
  private static final String KNOWN_FINDINGS =
      "SELECT DISTINCT finding_id FROM review_finding WHERE finding_id = ANY (?)";
  private static final String PENDING =
      "SELECT o.seq, o.notification_id, o.kind, o.event_id, o.body FROM notification_outbox o"
          + " WHERE o.created_at < ? AND NOT EXISTS"
          + " (SELECT 1 FROM notification_delivery d WHERE d.outbox_seq = o.seq)"
          + " ORDER BY o.seq LIMIT ?";
  private static final String DELIVERY =
      "INSERT INTO notification_delivery (outbox_seq, result, attempts, status_code)"
          + " VALUES (?, ?, ?, ?) ON CONFLICT (outbox_seq) DO NOTHING";

  private final AgroalDataSource dataSource;
  private final boolean enabled;
  private final NotificationBodies bodies;

  public Outbox(AgroalDataSource dataSource, NotifyConfig config) {
    this.dataSource = dataSource;
    this.enabled = config.url().isPresent();
    this.bodies = new NotificationBodies(config.linkBaseUrl(), Clock.systemUTC());
  }

  /** Whether notifications are on ({@code roster.notify.url} set). */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Inside the append that stored {@code stored}: a notification for each stored outcome of a leave
   * that leaves access possibly open, and, for a leave whose HR event arrives after its outcome
   * (the topics are consumed apart), for its latest outcome. The chain lock the append holds orders
   * both paths, and the notification id is per outcome, so each is announced once.
   */
  public List<Notification> afterAppend(Connection c, Collection<LogEntry> stored)
      throws SQLException {
    if (!enabled) {
      return List.of();
    }
    Map<String, Notification> notes = new LinkedHashMap<>();
    List<LogEntry> outcomes = new ArrayList<>();
    Set<String> leaveEvents = new HashSet<>();
    for (LogEntry e : stored) {
      if (e.kind() == EntryKind.PROVISIONING_OUTCOME) {
        outcomes.add(e);
      } else if (e.kind() == EntryKind.HR_EVENT
          && EventType.LEAVE.wireName().equals(e.eventType())) {
        leaveEvents.add(e.eventId());
      }
    }
    if (!outcomes.isEmpty()) {
      Set<String> leaves = new HashSet<>();
      try (PreparedStatement s = c.prepareStatement(LEAVES)) {
        s.setString(1, EventType.LEAVE.wireName());
        s.setArray(2, c.createArrayOf("text", outcomes.stream().map(LogEntry::eventId).toArray()));
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            leaves.add(rs.getString(1));
          }
        }
      }
      for (LogEntry o : outcomes) {
        if (leaves.contains(o.eventId())) {
          bodies
              .leaveOutcome(
                  o.eventId(),
                  o.employeeId(),
                  o.outcome(),
                  o.cutOffAt(),
                  AccountOutcome.parse(o.accounts(), EventJson.mapper()))
              .ifPresent(n -> notes.putIfAbsent(n.notificationId(), n));
        }
      }
    }
    if (!leaveEvents.isEmpty()) {
      try (PreparedStatement s = c.prepareStatement(LATEST_OUTCOMES)) {
        s.setArray(1, c.createArrayOf("text", leaveEvents.toArray()));
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            bodies
                .leaveOutcome(
                    rs.getString("event_id"),
                    rs.getString("employee_id"),
                    rs.getString("outcome"),
                    Columns.instant(rs, "cut_off_at"),
                    AccountOutcome.parse(rs.getString("accounts"), EventJson.mapper()))
                .ifPresent(n -> notes.putIfAbsent(n.notificationId(), n));
          }
        }
      }
    }
    return add(c, notes.values());
  }

  /** Inside the store of reconciliation records: the stored status records that are held. */
  public List<Notification> afterReconciliations(
      Connection c, Collection<ReconciliationDraft.Status> stored) throws SQLException {
    if (!enabled) {
      return List.of();
    }
    Map<String, Notification> notes = new LinkedHashMap<>();
    for (ReconciliationDraft.Status s : stored) {
      bodies.reconciliation(s).ifPresent(n -> notes.putIfAbsent(n.notificationId(), n));
    }
    return add(c, notes.values());
  }

  /**
   * Before the store of findings inserts them: the finding ids among them already stored (by any
   * review), whose sightings are repeats, not news. Empty while notifications are off.
   */
  public Set<String> knownFindings(Connection c, Collection<ReviewDraft.Finding> findings)
      throws SQLException {
    Set<String> known = new HashSet<>();
    if (!enabled || findings.isEmpty()) {
      return known;
    }
    try (PreparedStatement s = c.prepareStatement(KNOWN_FINDINGS)) {
      s.setArray(
          1,
          c.createArrayOf(
              "text", findings.stream().map(ReviewDraft.Finding::findingId).distinct().toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          known.add(rs.getString(1));
        }
      }
    }
    return known;
  }

  /** After the findings were inserted: one notification per finding id never stored before. */
  public List<Notification> afterFindings(
      Connection c, Collection<ReviewDraft.Finding> findings, Set<String> known)
      throws SQLException {
    if (!enabled) {
      return List.of();
    }
    Map<String, Notification> notes = new LinkedHashMap<>();
    for (ReviewDraft.Finding f : findings) {
      if (!known.contains(f.findingId())) {
        Notification n = bodies.newFinding(f);
        notes.putIfAbsent(n.notificationId(), n);
      }
    }
    return add(c, notes.values());
  }

  /** Inserts the notifications not stored yet; returns those inserted, with their seq. */
  private static List<Notification> add(Connection c, Collection<Notification> notes)
      throws SQLException {
    List<Notification> added = new ArrayList<>();
    if (notes.isEmpty()) {
      return added;
    }
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      for (Notification n : notes) {
        s.setString(1, n.notificationId());
        s.setString(2, n.kind().wireName());
        s.setString(3, n.eventId());
        s.setString(4, n.body());
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            added.add(
                new Notification(
                    rs.getLong(1), n.notificationId(), n.kind(), n.eventId(), n.body()));
          }
        }
      }
    }
    return added;
  }

  /**
   * Notifications created before {@code createdBefore} that nobody delivered or abandoned, oldest
   * first.
   */
  public List<Notification> pending(Instant createdBefore, int limit) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              List<Notification> out = new ArrayList<>();
              try (Connection c = dataSource.getConnection();
                  PreparedStatement s = c.prepareStatement(PENDING)) {
                Columns.setInstant(s, 1, createdBefore);
                s.setInt(2, limit);
                try (ResultSet rs = s.executeQuery()) {
                  while (rs.next()) {
                    // the table's CHECK allows only known kinds
                    NotificationKind kind =
                        NotificationKind.fromWire(rs.getString("kind")).orElseThrow();
                    out.add(
                        new Notification(
                            rs.getLong("seq"),
                            rs.getString("notification_id"),
                            kind,
                            rs.getString("event_id"),
                            rs.getString("body")));
                  }
                }
              }
              return out;
            });
  }

  /** What became of a notification: {@code delivered} or {@code abandoned}, once. */
  public void finished(Notification n, String result, int attempts, Integer statusCode) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              try (Connection c = dataSource.getConnection();
                  PreparedStatement s = c.prepareStatement(DELIVERY)) {
                s.setLong(1, n.seq());
                s.setString(2, result);
                s.setInt(3, attempts);
                if (statusCode == null) {
                  s.setNull(4, Types.INTEGER);
                } else {
                  s.setInt(4, statusCode);
                }
                s.executeUpdate();
              } catch (SQLException e) {
                throw new IllegalStateException("cannot record a notification's delivery", e);
              }
            });
  }
}
