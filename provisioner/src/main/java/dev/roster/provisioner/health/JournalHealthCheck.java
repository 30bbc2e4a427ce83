package dev.roster.provisioner.health;

import dev.roster.provisioner.journal.Journal;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the write-ahead journal can be read to its end: an instance that cannot read what
 * another left unfinished must not be counted as serving (its events would wait on the journal).
 */
@Readiness
@ApplicationScoped
public class JournalHealthCheck implements HealthCheck {
  /** Well inside the readiness probe's timeout (deploy/k8s: 5 s). */
  static final Duration WITHIN = Duration.ofSeconds(2);

  private final Journal journal;

  public JournalHealthCheck(Journal journal) {
    this.journal = journal;
  }

  @Override
  public HealthCheckResponse call() {
    Optional<String> problem = journal.unavailable(WITHIN);
    return HealthCheckResponse.named("journal")
        .status(problem.isEmpty())
        .withData("reader", problem.orElse("caught up"))
        .build();
  }
}
