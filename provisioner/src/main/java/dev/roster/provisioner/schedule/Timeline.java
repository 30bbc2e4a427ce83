package dev.roster.provisioner.schedule;

import dev.roster.events.EventType;
import dev.roster.events.EventValidator;
import dev.roster.events.HrEvent;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.events.Topics;
import dev.roster.events.Validation;
import dev.roster.provisioner.ChangeRecords;
import dev.roster.provisioner.DlqReason;
import dev.roster.provisioner.Provisioner;
import dev.roster.provisioner.Provisioner.Result;
import dev.roster.provisioner.ProvisionerMetrics;
import dev.roster.provisioner.iam.Fenced;
import dev.roster.provisioner.messaging.Publisher;
import dev.roster.provisioner.messaging.RecordDelivery;
import io.quarkus.logging.Log;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decides when a consumed HR event takes effect, and applies it then through the one path every
 * event takes ({@link Provisioner#process(HrEvent, BooleanSupplier,
 * dev.roster.provisioner.Delivery)}):
 *
 * <ul>
 *   <li>an event due more than {@code tolerance} after now is <b>held</b>: written to the
 *       employee's {@link EmployeeSchedule} (acknowledged by Kafka), then outcome {@code scheduled}
 *       with its {@code effectiveAt}; IAM is not touched;
 *   <li>a {@code cancel} of a held event of the same employee removes it: outcome {@code cancelled}
 *       for both; of anything else: {@code failed}, {@code not-pending};
 *   <li>every other event is applied now, after whatever of the employee's was due before it
 *       (effective order);
 *   <li>a held entry is applied when due ({@link #fireDue}), then removed: a crash in between fires
 *       it again, which is a redelivery (idempotent);
 *   <li>a leave supersedes the employee's held hires and role changes posted before it (outcome
 *       {@code skipped} naming the leave): a hire held for the 1st and an immediate leave never
 *       create access.
 * </ul>
 *
 * Every method is called with the employee's {@link Schedule#lock} held and a fence ticket ({@code
 * owned}) of the employee's partition.
 */
public final class Timeline {
  private static final Set<DlqReason> NOT_APPLIED =
      EnumSet.of(DlqReason.MALFORMED, DlqReason.UNKNOWN_ROLE, DlqReason.FUTURE_OCCURRED_AT);

  private static final Set<DlqReason> GRANTS_HELD =
      EnumSet.of(
          DlqReason.UNMANAGED_USER,
          DlqReason.MISSING_GROUP,
          DlqReason.PRIVILEGED_GROUP,
          DlqReason.USERNAME_HELD);

  private final Provisioner provisioner;
  private final Publisher publisher;
  private final ProvisionerMetrics metrics;
  private final Schedule schedule;
  private final Clock clock;
  private final Duration tolerance;
  private final ZoneId defaultZone;
  private final Retention retention;

  public Timeline(
      Provisioner provisioner,
      Publisher publisher,
      ProvisionerMetrics metrics,
      Schedule schedule,
      Clock clock,
      Duration tolerance,
      ZoneId defaultZone,
      Retention retention) {
    this.provisioner = provisioner;
    this.publisher = publisher;
    this.metrics = metrics;
    this.schedule = schedule;
    this.clock = clock;
    this.tolerance = tolerance;
    this.defaultZone = defaultZone;
    this.retention = retention;
  }

  public ZoneId defaultZone() {
    return defaultZone;
  }

  /**
   * Whether a valid event from {@code hr.events} would be applied now rather than held (a cancel
   * never is): what {@link #handle} decides, asked ahead of its turn.
   */
  public boolean appliesNow(HrEvent event) {
    return event.type() != EventType.CANCEL && !holds(event);
  }

  private boolean holds(HrEvent event) {
    return event.isDueAfter(clock.instant().plus(tolerance))
        // An occurredAt too far ahead is refused as it always was, not held until then.
        && EventValidator.futureOccurredAt(event, clock.instant()).isEmpty();
  }

  /** A valid event consumed from {@code hr.events}. */
  public void handle(ConsumerRecord<String, String> record, HrEvent event, BooleanSupplier owned) {
    handle(record, event, owned, Optional.empty());
  }

  /** The same, after the event's early cut-off (see {@link Provisioner#cutOffEarly}). */
  public void handle(
      ConsumerRecord<String, String> record,
      HrEvent event,
      BooleanSupplier owned,
      Optional<Provisioner.EarlyCut> early) {
    int partition = record.partition();
    // Whatever of the employee's fell due before this event arrived goes first (e.g. after a
    // restart); other employees' due entries are the timer's.
    fireDue(partition, event.employeeId(), owned);
    EmployeeSchedule mine = schedule.of(partition, event.employeeId());
    Optional<Closed> closed = mine.closed(event.eventId());
    if (closed.isPresent()) {
      // A redelivery of a record the schedule already ended: the same outcome again, nothing more.
      publish(
          outcome(
              event.eventId(),
              event.employeeId(),
              closed.get().outcome(),
              closed.get().reason(),
              null));
      return;
    }
    if (event.type() == EventType.CANCEL) {
      cancel(record, event, mine, owned);
    } else if (holds(event)) {
      hold(record, event, mine, owned);
    } else {
      apply(record, event, record.offset(), owned, early);
    }
  }

  private void hold(
      ConsumerRecord<String, String> record,
      HrEvent event,
      EmployeeSchedule mine,
      BooleanSupplier owned) {
    Instant due = event.effectiveOrOccurred().toInstant();
    if (mine.pending(event.eventId()).isEmpty()) {
      fenceCheck(owned, event.eventId());
      schedule.put(
          record.partition(),
          mine.with(
              new Pending(
                  event.eventId(),
                  Pending.Kind.EVENT,
                  due,
                  record.offset(),
                  event.type().wireName(),
                  record.value())));
    }
    Log.infof(
        "event %s (%s) of employee %s held until %s",
        event.eventId(), event.type().wireName(), event.employeeId(), event.effectiveAt());
    publish(
        outcome(
            event.eventId(),
            event.employeeId(),
            Outcome.SCHEDULED,
            "held until " + event.effectiveAt(),
            event.effectiveAt()));
  }

  private void cancel(
      ConsumerRecord<String, String> record,
      HrEvent cancel,
      EmployeeSchedule mine,
      BooleanSupplier owned) {
    String target = cancel.cancelsEventId();
    Optional<Pending> held = mine.pending(target).filter(p -> p.kind() == Pending.Kind.EVENT);
    if (held.isEmpty()) {
      String reason =
          DlqReason.NOT_PENDING.wireName()
              + ": event "
              + target
              + " of employee "
              + cancel.employeeId()
              + " is not pending (already applied, cancelled, or unknown); nothing changed";
      Log.warnf("cancel %s: %s", cancel.eventId(), reason);
      if (publish(
          record, outcome(cancel.eventId(), cancel.employeeId(), Outcome.FAILED, reason, null))) {
        publisher.deadLetter(record, DlqReason.NOT_PENDING, reason);
      }
      return;
    }
    String heldReason = "cancelled by event " + cancel.eventId();
    String cancelReason = "cancelled event " + target + " (" + held.get().type() + ")";
    fenceCheck(owned, cancel.eventId());
    schedule.put(
        record.partition(),
        mine.without(p -> p.id().equals(target))
            .closing(new Closed(target, Outcome.CANCELLED, heldReason))
            .closing(new Closed(cancel.eventId(), Outcome.CANCELLED, cancelReason)));
    Log.infof("event %s of employee %s %s", target, cancel.employeeId(), heldReason);
    publish(outcome(target, cancel.employeeId(), Outcome.CANCELLED, heldReason, null));
    publish(outcome(cancel.eventId(), cancel.employeeId(), Outcome.CANCELLED, cancelReason, null));
  }

  /**
   * Applies the event now, as the consumer always did, then what follows from it for the employee's
   * pending entries.
   *
   * @param seq the offset of the record that posted it
   */
  private void apply(
      ConsumerRecord<String, String> record, HrEvent event, long seq, BooleanSupplier owned) {
    apply(record, event, seq, owned, Optional.empty());
  }

  private void apply(
      ConsumerRecord<String, String> record,
      HrEvent event,
      long seq,
      BooleanSupplier owned,
      Optional<Provisioner.EarlyCut> early) {
    Result result = provisioner.process(event, owned, new RecordDelivery(publisher, record), early);
    metrics.processed(event, result);
    remember(record.partition(), event, result, owned);
    if (event.type() == EventType.LEAVE && result.dlqReason() != DlqReason.FUTURE_OCCURRED_AT) {
      supersede(record.partition(), event, seq, owned);
      // Not announced as an outcome of its own until it fires: the employee's outcomes stay one
      // per HR event for as long as the user is kept.
      retention.afterLeave(record.partition(), event, seq, result, owned);
    } else if (event.type() == EventType.HIRE && result.outcome().outcome() == Outcome.COMPLETED) {
      retention.afterHire(record.partition(), event, owned);
    }
  }

  /**
   * Keeps the HR state the event leaves as the employee's {@link Applied} (what the drift check
   * holds IAM against), unless nothing of it was applied: refused as a whole, its grants held for a
   * refusal that would only repeat, or skipped as older than what IAM holds. A leave is kept
   * whatever failed in IAM, and so is a hire or role change that failed for a passing cause: the
   * drift check is then their next attempt.
   */
  private void remember(int partition, HrEvent event, Result result, BooleanSupplier owned) {
    if (result.outcome().outcome() == Outcome.SKIPPED
        || NOT_APPLIED.contains(result.dlqReason())
        || (event.type() != EventType.LEAVE && GRANTS_HELD.contains(result.dlqReason()))) {
      return;
    }
    EmployeeSchedule mine = schedule.of(partition, event.employeeId());
    if (mine.applied() != null && !mine.applied().replacedBy(event)) {
      return;
    }
    Applied next = Applied.after(event, mine.applied());
    if (next.equals(mine.applied())) {
      return; // a redelivery: the state is already kept, no second write
    }
    fenceCheck(owned, event.eventId());
    schedule.put(partition, mine.applying(next));
  }

  /** The employee's held hires and role changes posted before the leave never apply. */
  private void supersede(int partition, HrEvent leave, long seq, BooleanSupplier owned) {
    EmployeeSchedule mine = schedule.of(partition, leave.employeeId());
    List<Pending> gone =
        mine.pending().stream()
            .filter(p -> p.kind() == Pending.Kind.EVENT)
            .filter(p -> !p.type().equals(EventType.LEAVE.wireName()))
            .filter(p -> p.seq() < seq)
            .toList();
    if (gone.isEmpty()) {
      return;
    }
    EmployeeSchedule next = mine.without(gone::contains);
    for (Pending p : gone) {
      next = next.closing(new Closed(p.id(), Outcome.SKIPPED, supersededReason(leave, p)));
    }
    fenceCheck(owned, leave.eventId());
    schedule.put(partition, next);
    for (Pending p : gone) {
      Log.infof(
          "event %s of employee %s: %s", p.id(), leave.employeeId(), supersededReason(leave, p));
      publish(
          outcome(p.id(), leave.employeeId(), Outcome.SKIPPED, supersededReason(leave, p), null));
    }
  }

  private static String supersededReason(HrEvent leave, Pending p) {
    return "superseded: leave "
        + leave.eventId()
        + " applied before this held "
        + p.type()
        + " took effect; it was posted after it, so it is never applied";
  }

  /**
   * Applies every entry of the employee due now, earliest first, each removed once applied (its
   * outcome published).
   */
  public void fireDue(int partition, String employeeId, BooleanSupplier owned) {
    while (true) {
      EmployeeSchedule first = schedule.of(partition, employeeId);
      Optional<Pending> due = first.firstDue(clock.instant());
      if (due.isEmpty()) {
        return;
      }
      Pending entry = due.get();
      fenceCheck(owned, entry.id());
      if (entry.kind() == Pending.Kind.RETENTION) {
        retention.fire(partition, first.employeeId(), entry, owned);
      } else {
        fire(partition, first.employeeId(), entry, owned);
      }
      EmployeeSchedule after = schedule.of(partition, first.employeeId());
      if (after.pending(entry.id()).isPresent()) {
        fenceCheck(owned, entry.id());
        schedule.put(partition, after.without(p -> p.id().equals(entry.id())));
      }
    }
  }

  private void fire(int partition, String employeeId, Pending entry, BooleanSupplier owned) {
    // The record as it was consumed, for the dead-letter topic if it fails now.
    ConsumerRecord<String, String> record =
        new ConsumerRecord<>(Topics.HR_EVENTS, partition, entry.seq(), employeeId, entry.value());
    Validation validation =
        EventValidator.validate(entry.value().getBytes(StandardCharsets.UTF_8), defaultZone);
    if (!validation.isValid()) {
      // It was valid when held: only a changed contract gets here. Say so, never drop silently.
      String reason =
          DlqReason.MALFORMED.wireName() + ": held event no longer valid: " + validation.errors();
      if (publish(record, outcome(entry.id(), employeeId, Outcome.FAILED, reason, null))) {
        publisher.deadLetter(record, DlqReason.MALFORMED, reason);
      }
      return;
    }
    HrEvent event = validation.event();
    Log.infof(
        "event %s (%s) of employee %s due at %s: applying (%d ms late)",
        event.eventId(),
        event.type().wireName(),
        employeeId,
        entry.dueAt(),
        Duration.between(entry.dueAt(), clock.instant()).toMillis());
    apply(record, event, entry.seq(), owned);
  }

  ProvisioningOutcome outcome(
      String eventId, String employeeId, Outcome outcome, String reason, OffsetDateTime effective) {
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    return new ProvisioningOutcome(
        eventId,
        employeeId,
        outcome,
        new ProvisioningOutcome.Counts(0, 0, 0),
        now,
        null,
        now,
        ChangeRecords.truncate(reason),
        List.of(),
        effective);
  }

  private void publish(ProvisioningOutcome outcome) {
    publisher.publish(List.of(), outcome);
  }

  private boolean publish(ConsumerRecord<String, String> record, ProvisioningOutcome outcome) {
    return new RecordDelivery(publisher, record).publish(List.of(), outcome);
  }

  static void fenceCheck(BooleanSupplier owned, String id) {
    if (!owned.getAsBoolean()) {
      throw new Fenced("schedule entry " + id + " (partition handed over)");
    }
  }
}
