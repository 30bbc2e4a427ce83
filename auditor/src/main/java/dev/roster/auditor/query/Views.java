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

  /** {@link Page} of pending events, for the OpenAPI document. */
  public record ScheduledPage(List<Scheduled> items, String nextCursor) {}

  /**
   * A pending event: the provisioner holds it until {@code effectiveAt} (its latest outcome is
   * {@code scheduled}). {@code seq} is the scheduled outcome's, {@code scheduledAt} when the
   * provisioner recorded the hold; {@code type} is null while the HR event itself is not stored
   * yet.
   */
  public record Scheduled(
      long seq,
      String eventId,
      String type,
      String employeeId,
      Instant effectiveAt,
      Instant scheduledAt) {

    static Scheduled of(AuditEntry outcome, AuditEntry event) {
      return new Scheduled(
          outcome.seq,
          outcome.eventId,
          event == null ? null : event.eventType,
          outcome.employeeId,
          outcome.effectiveAt != null
              ? outcome.effectiveAt
              : event == null ? null : event.effectiveAt,
          outcome.completedAt != null ? outcome.completedAt : outcome.recordedAt);
    }
  }

  /**
   * Whether an outcome says the event was applied (completed, failed or skipped): not held ({@code
   * scheduled}), not rescinded ({@code cancelled}). Lags are measured only then, from {@code
   * effectiveAt}; a hold recorded before the effective time would give a negative one.
   */
  public static boolean applied(String outcome) {
    return outcome != null && !"scheduled".equals(outcome) && !"cancelled".equals(outcome);
  }

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
      Instant at,
      String kind,
      String privilegedReason) {

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
          e.at,
          e.kind,
          "privileged_grant".equals(e.kind) ? e.reason : null);
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
      String cancelsEventId,
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
          event.cancelsEventId(),
          e.recordedAt);
    }
  }

  /**
   * What the provisioner made of an HR event. {@code cutOffAt}: when the deny-all was in place in
   * the last concerned account (null if not everywhere); {@code accounts}: per account (null for an
   * outcome published without the list); {@code effectiveAt}: for {@code scheduled}, when the held
   * event will be applied.
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
      List<AccountView> accounts,
      Instant effectiveAt) {

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
          AccountView.of(e.accounts),
          e.effectiveAt);
    }
  }

  /**
   * One account of an outcome: {@code state} is cut_off, completed, failed or skipped; {@code
   * notices} what to know although nothing failed (empty when none).
   */
  public record AccountView(
      String account,
      String name,
      String state,
      String reason,
      Boolean cutOffVerified,
      List<String> notices) {
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
                          a.cutOffVerified(),
                          a.notices()))
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

  /**
   * Everything about one person in time order, and the events of theirs the provisioner still holds
   * ({@code pending}, soonest first).
   */
  public record Timeline(String employeeId, List<TimelineEntry> entries, List<Scheduled> pending) {}

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
