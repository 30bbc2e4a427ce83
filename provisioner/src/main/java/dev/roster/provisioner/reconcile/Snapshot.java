package dev.roster.provisioner.reconcile;

import dev.roster.events.SnapshotEmployee;
import dev.roster.events.SnapshotMode;
import dev.roster.events.SnapshotPart;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A whole HR snapshot, its parts joined in order. */
public record Snapshot(
    String snapshotId,
    SnapshotMode mode,
    OffsetDateTime receivedAt,
    List<SnapshotEmployee> employees) {

  public Snapshot {
    employees = List.copyOf(employees);
  }

  /**
   * The snapshot of these parts, or an error when they are not exactly parts 0..parts-1 of one
   * snapshot with {@code total} employees.
   */
  public static Snapshot of(List<SnapshotPart> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no parts");
    }
    List<SnapshotPart> sorted =
        parts.stream().sorted(Comparator.comparingInt(SnapshotPart::part)).toList();
    SnapshotPart first = sorted.get(0);
    List<SnapshotEmployee> employees = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      SnapshotPart p = sorted.get(i);
      if (p.part() != i
          || p.parts() != first.parts()
          || !p.snapshotId().equals(first.snapshotId())
          || p.mode() != first.mode()) {
        throw new IllegalArgumentException(
            "snapshot " + first.snapshotId() + ": part " + p.part() + " does not fit part " + i);
      }
      employees.addAll(p.employees());
    }
    if (sorted.size() != first.parts() || employees.size() != first.total()) {
      throw new IllegalArgumentException(
          "snapshot "
              + first.snapshotId()
              + ": "
              + sorted.size()
              + " of "
              + first.parts()
              + " parts, "
              + employees.size()
              + " of "
              + first.total()
              + " employees");
    }
    return new Snapshot(first.snapshotId(), first.mode(), first.receivedAt(), employees);
  }
}
