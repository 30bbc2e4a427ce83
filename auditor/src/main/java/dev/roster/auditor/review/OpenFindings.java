package dev.roster.auditor.review;

import dev.roster.auditor.AuditMetrics;
import dev.roster.auditor.query.ReviewQueries;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the gauge {@code roster_findings{kind,account}} equal to the open findings: counted from
 * the database at start-up and after every stored batch of {@code reviews} (the only time the
 * answer can change, since a resolution needs a stored completed review).
 */
@ApplicationScoped
public class OpenFindings {
  private final ReviewQueries queries;
  private final AuditMetrics metrics;

  public OpenFindings(ReviewQueries queries, AuditMetrics metrics) {
    this.queries = queries;
    this.metrics = metrics;
  }

  void start(@Observes StartupEvent event) {
    refresh();
  }

  /** Recounts; a failure is logged and leaves the gauge as it was (the next batch retries). */
  public void refresh() {
    try {
      Map<List<String>, Long> counts = new LinkedHashMap<>();
      for (ReviewQueries.OpenCount c : queries.openCounts()) {
        counts.put(Arrays.asList(c.kind(), c.account()), c.open());
      }
      metrics.openFindings(counts);
    } catch (RuntimeException e) {
      Log.warnf("cannot count open findings for roster_findings: %s", e.getMessage());
    }
  }
}
