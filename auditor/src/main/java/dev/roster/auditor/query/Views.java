package dev.roster.auditor.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.roster.auditor.chain.AccountOutcome;
import dev.roster.events.Employee;
import dev.roster.events.EventJson;
import dev.roster.events.HrEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/** The JSON shapes of the query API (kept apart from the stored form). */
public final class Views {
  private Views() {}

  /** A page of a keyset-paginated listing; {@code nextCursor} is null on the last page. */
  public record Page<T>(List<T> items, String nextCursor) {}

  /** {@link Page} of changes, for the OpenAPI document. */
  public record ChangePage(List<Change> items, String nextCursor) {}

  /** {@link Page} of HR events, for the OpenAPI document. */
  public record HrEventPage(List<HrEventView> items, String nextCursor) {}

  /** One IAM change: the provisioner's fields plus {@code seq}. */
  public record Change(
      long seq,
      String changeId,
      String eventId,
      String employeeId,
      String account,
      String action,
      String userName,
      String target,
      String status,
      String error,
      String awsRequestId,
      Instant at) {

    public static Change of(AuditEntry e) {
      return new Change(
          e.seq,
          e.changeId,
          e.eventId,
          e.employeeId,
          e.account,
          e.action,
          e.userName,
          e.target,
          e.status,
          e.error,
          e.awsRequestId,
          e.at);
    }
  }

  /** One HR event as HR sent it (offsets kept), plus {@code seq} and when it was recorded. */
  public record HrEventView(
      long seq,
      String eventId,
      String type,
      String employeeId,
      OffsetDateTime occurredAt,
      OffsetDateTime effectiveAt,
      Employee employee,
      String reason,
      Instant recordedAt) {

    public static HrEventView of(AuditEntry e) {
      HrEvent event;
      try {
        event = EventJson.mapper().readValue(e.payload, HrEvent.class);
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException("stored HR event " + e.eventId + " is unreadable", ex);
      }
      return new HrEventView(
          e.seq,
          event.eventId(),
          event.type().wireName(),
          event.employeeId(),
          event.occurredAt(),
          event.effectiveOrOccurred(),
          event.employee(),
          event.reason(),
          e.recordedAt);
    }
  }

  /**
   * What the provisioner made of an HR event. {@code cutOffAt}: when the deny-all was in place in
   * the last concerned account (null if not everywhere); {@code accounts}: per account (null for an
   * outcome published without the list).
   */
  public record OutcomeView(
      long seq,
      String eventId,
      String employeeId,
      String outcome,
      Counts counts,
      Instant startedAt,
      Instant completedAt,
      String reason,
      Instant cutOffAt,
      List<AccountView> accounts) {

    public record Counts(Integer planned, Integer applied, Integer failed) {}

    public static OutcomeView of(AuditEntry e) {
      return new OutcomeView(
          e.seq,
          e.eventId,
          e.employeeId,
          e.outcome,
          new Counts(e.plannedCount, e.appliedCount, e.failedCount),
          e.startedAt,
          e.completedAt,
          e.reason,
          e.cutOffAt,
          AccountView.of(e.accounts));
    }
  }

  /** One account of an outcome: {@code state} is cut_off, completed, failed or skipped. */
  public record AccountView(
      String account, String name, String state, String reason, Boolean cutOffVerified) {
    static List<AccountView> of(String stored) {
      List<AccountOutcome> accounts = AccountOutcome.parse(stored, EventJson.mapper());
      return accounts == null
          ? null
          : accounts.stream()
              .map(
                  a ->
                      new AccountView(
                          a.account(),
                          a.name(),
                          a.state().wireName(),
                          a.reason(),
                          a.cutOffVerified()))
              .toList();
    }
  }

  /**
   * {@code GET /v1/hr-events/{eventId}}: the event, what it caused, and how long it took ({@code
   * lag} ISO-8601, {@code lagSeconds} a number).
   */
  public record HrEventDetail(
      HrEventView event,
      List<Change> changes,
      OutcomeView outcome,
      Instant completedAt,
      String lag,
      Double lagSeconds,
      Instant cutOffAt,
      String cutOffLag,
      Double cutOffLagSeconds) {}

  /** One line of an employee's timeline; exactly one of the three bodies is set. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TimelineEntry(
      long seq, String kind, Instant at, HrEventView hrEvent, Change change, OutcomeView outcome) {}

  public record Timeline(String employeeId, List<TimelineEntry> entries) {}

  /**
   * One leave in the deprovisioning SLA report: completion and cut-off (effectiveAt to the deny-all
   * in the last account) with their lags; {@code accountsNotCutOff} lists the accounts of the
   * latest outcome that are neither cut_off nor completed, {@code accountsNotVerified} those whose
   * deny-all IAM's policy simulation did not confirm (both count as access possibly open).
   */
  public record Leaver(
      String employeeId,
      String eventId,
      Instant effectiveAt,
      Instant completedAt,
      String lag,
      Double lagSeconds,
      Instant cutOffAt,
      String cutOffLag,
      Double cutOffLagSeconds,
      String outcome,
      int failedChanges,
      boolean anyChangeFailed,
      List<String> accountsNotCutOff,
      List<String> accountsNotVerified,
      boolean accessPossiblyOpen) {}

  public record LeaversReport(Instant from, Instant to, List<Leaver> items) {}

  /** Lag between two instants, or null when the second is unknown. */
  public static Duration lag(Instant from, Instant to) {
    return from == null || to == null ? null : Duration.between(from, to);
  }

  /** ISO-8601 ({@code PT1M30.5S}), or null. */
  public static String iso(Duration d) {
    return d == null ? null : d.toString();
  }

  public static Double seconds(Duration d) {
    return d == null ? null : d.toNanos() / 1e9;
  }
}
