package dev.roster.events;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One part of an HR snapshot on {@link Topics#HR_SNAPSHOTS} (CloudEvents type {@link
 * CloudEvents#SNAPSHOT_PART_TYPE}), keyed by {@code snapshotId}. hr-listener validates the whole
 * snapshot before it publishes part 0, so a snapshot on the topic is complete and valid once part
 * {@code parts - 1} is there. {@code part} counts from 0; {@code total} is the number of employees
 * of the whole snapshot; each part holds at most {@link #MAX_EMPLOYEES}.
 */
public record SnapshotPart(
    String snapshotId,
    SnapshotMode mode,
    OffsetDateTime receivedAt,
    int part,
    int parts,
    int total,
    List<SnapshotEmployee> employees) {

  /** Employees per part: about 300 KB of JSON, well under Kafka's default 1 MB record limit. */
  public static final int MAX_EMPLOYEES = 1000;

  /** The largest snapshot hr-listener accepts. */
  public static final int MAX_TOTAL = 100_000;

  public SnapshotPart {
    employees = employees == null ? List.of() : List.copyOf(employees);
  }

  public boolean last() {
    return part == parts - 1;
  }
}
