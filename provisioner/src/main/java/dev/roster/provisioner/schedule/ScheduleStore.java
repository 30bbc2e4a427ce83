package dev.roster.provisioner.schedule;

import java.util.Map;

/** Where the schedule is durable: one value per employee, in the employee's partition. */
public interface ScheduleStore {

  /** Makes sure the store has at least {@code partitions} partitions (those of hr.events). */
  void ensurePartitions(int partitions);

  /** Every employee's value in {@code partition}, as of now (read to the end). */
  Map<String, EmployeeSchedule> load(int partition);

  /** Writes an employee's value; returns once the broker acknowledged it. */
  void write(int partition, EmployeeSchedule value);
}
