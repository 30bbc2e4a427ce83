package dev.roster.auditor.console;

import dev.roster.auditor.query.ReconciliationViews.Detail;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A reconciliation's stored differences as a table: one row per account, one column per kind, a
 * total per row and a total row; {@code reportedDiffers} when the provisioner's own counts (its
 * latest status record) disagree with what was stored (e.g. a difference record dead-lettered).
 */
public record DifferenceCounts(
    List<String> kinds, List<Row> rows, Row total, boolean reportedDiffers) {

  /** One account's counts, in the order of {@code kinds}. */
  public record Row(String account, List<Long> cells, long total) {}

  public static DifferenceCounts of(Detail d) {
    List<String> kinds = List.copyOf(d.counts().keySet());
    List<Row> rows = new ArrayList<>();
    d.countsByAccount().forEach((account, counts) -> rows.add(row(account, kinds, counts)));
    boolean differs = false;
    Map<String, Integer> reported = d.reported() == null ? null : d.reported().counts();
    if (reported != null) {
      for (String k : kinds) {
        long r = reported.getOrDefault(k, 0);
        differs |= r != d.counts().get(k);
      }
      differs |= reported.keySet().stream().anyMatch(k -> !kinds.contains(k));
    }
    return new DifferenceCounts(kinds, rows, row("all accounts", kinds, d.counts()), differs);
  }

  private static Row row(String account, List<String> kinds, Map<String, Long> counts) {
    List<Long> cells =
        kinds.stream().map(k -> Objects.requireNonNullElse(counts.get(k), 0L)).toList();
    return new Row(account, cells, cells.stream().mapToLong(Long::longValue).sum());
  }
}
