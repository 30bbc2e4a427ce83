package dev.roster.provisioner.schedule;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The schedule store in memory, for tests of the consumer alone. */
public final class InMemoryScheduleStore implements ScheduleStore {
  public final Map<Integer, Map<String, EmployeeSchedule>> values = new ConcurrentHashMap<>();

  @Override
  public void ensurePartitions(int partitions) {}

  @Override
  public Map<String, EmployeeSchedule> load(int partition) {
    return new HashMap<>(values.getOrDefault(partition, Map.of()));
  }

  @Override
  public void write(int partition, EmployeeSchedule value) {
    values
        .computeIfAbsent(partition, p -> new ConcurrentHashMap<>())
        .put(value.employeeId(), value);
  }
}
