package dev.roster.provisioner.schedule;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per employee, kept only while someone holds or waits for it (employees are many, and
 * each is busy for moments). The consumer holds an employee's lock while it applies their event and
 * the timer while it fires their due entries, so they take turns per employee without holding up
 * the employee's whole partition.
 */
final class EmployeeLocks {
  private final Map<String, Entry> locks = new HashMap<>();

  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    int users;
  }

  Schedule.Held lock(String employeeId) {
    Entry e = enter(employeeId);
    e.lock.lock();
    return () -> release(employeeId, e);
  }

  Optional<Schedule.Held> tryLock(String employeeId) {
    Entry e = enter(employeeId);
    if (e.lock.tryLock()) {
      return Optional.of(() -> release(employeeId, e));
    }
    leave(employeeId, e);
    return Optional.empty();
  }

  synchronized int size() {
    return locks.size();
  }

  private synchronized Entry enter(String employeeId) {
    Entry e = locks.computeIfAbsent(employeeId, k -> new Entry());
    e.users++;
    return e;
  }

  private void release(String employeeId, Entry e) {
    e.lock.unlock();
    leave(employeeId, e);
  }

  private synchronized void leave(String employeeId, Entry e) {
    if (--e.users == 0) {
      locks.remove(employeeId);
    }
  }
}
