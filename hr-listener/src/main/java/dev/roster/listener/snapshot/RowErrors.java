package dev.roster.listener.snapshot;

import dev.roster.events.FieldError;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * The errors of a snapshot, by row: every one counted, the first {@link #MAX_LISTED} (by row) kept
 * for the answer, each with the pointer {@code /rows/<row number><pointer in the row>}.
 */
final class RowErrors {
  /** Enough to fix a systematic mistake from; a body with more still gets the counts. */
  static final int MAX_LISTED = 1000;

  private record Listed(int row, FieldError error) {}

  private final List<Listed> listed = new ArrayList<>();
  private final BitSet rows = new BitSet();
  private int total;

  void add(int row, FieldError inRow) {
    total++;
    rows.set(row);
    // Rows arrive in order within a pass; a later pass (duplicates) is merged by row below.
    listed.add(new Listed(row, inRow.under("/rows/" + row)));
    if (listed.size() > 2 * MAX_LISTED) {
      trim();
    }
  }

  boolean isEmpty() {
    return total == 0;
  }

  int total() {
    return total;
  }

  int rows() {
    return rows.cardinality();
  }

  /** The first {@link #MAX_LISTED} errors by row (within a row, in the order found). */
  List<FieldError> listed() {
    trim();
    return listed.stream().map(Listed::error).toList();
  }

  private void trim() {
    listed.sort(Comparator.comparingInt(Listed::row));
    while (listed.size() > MAX_LISTED) {
      listed.remove(listed.size() - 1);
    }
  }
}
