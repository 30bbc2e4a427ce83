package dev.roster.provisioner;

import dev.roster.events.HrEvent;
import dev.roster.provisioner.iam.Fenced;
import dev.roster.provisioner.journal.Intent;
import dev.roster.provisioner.journal.Journal;
import dev.roster.provisioner.journal.JournaledOp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One event's intent, extended by its accounts as each one's cut-off is decided: an account returns
 * from {@link #add} once the journal holds an intent with its operation, so it can put it at once
 * instead of waiting for the slowest account's read. Writes of the event go one at a time (one key,
 * the later write always a superset of the earlier), and an account that comes while a write is in
 * flight rides on the next one with every other account that came meanwhile: at most two write
 * round trips for any account, however many there are.
 */
final class IntentWriter {
  private final HrEvent event;
  private final Journal journal;
  private final Supplier<Optional<Intent>> earlier;
  private final BooleanSupplier owned;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition written = lock.newCondition();
  private final List<JournaledOp> added = new ArrayList<>();
  private final Set<String> durable = new HashSet<>();
  private Intent wanted;
  private boolean writing;

  /**
   * @param earlier the intent an earlier attempt left unfinished, kept in every write (asked once,
   *     by the first account that needs a write)
   */
  IntentWriter(
      HrEvent event, Journal journal, Supplier<Optional<Intent>> earlier, BooleanSupplier owned) {
    this.event = event;
    this.journal = journal;
    this.earlier = earlier;
    this.owned = owned;
  }

  /**
   * Returns once the journal holds {@code op} (with everything added before it and the earlier
   * attempt's intent): write-ahead for its mutation.
   *
   * @throws Fenced when the partition was handed over before the write
   */
  void add(JournaledOp op) {
    Intent base =
        earlier.get().orElseGet(() -> new Intent(event.eventId(), event.employeeId(), List.of()));
    lock.lock();
    try {
      if (wanted == null) {
        wanted = base;
      }
      wanted = wanted.with(List.of(op));
      added.add(op);
      while (!durable.contains(op.changeId())) {
        if (writing) {
          written.awaitUninterruptibly();
          continue;
        }
        writing = true;
        Intent next = wanted;
        lock.unlock();
        try {
          if (!owned.getAsBoolean()) {
            throw new Fenced("event " + event.eventId() + " (before its cut-off)");
          }
          journal.begin(next);
        } finally {
          lock.lock();
          writing = false;
          written.signalAll();
        }
        next.operations().forEach(o -> durable.add(o.changeId()));
      }
    } finally {
      lock.unlock();
    }
  }

  /** The operations added here, in order (those whose write failed included: in doubt, kept). */
  List<JournaledOp> added() {
    lock.lock();
    try {
      return List.copyOf(added);
    } finally {
      lock.unlock();
    }
  }
}
