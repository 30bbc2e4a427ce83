package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;

/**
 * What the provisioner did with one HR event, published once per event on {@link
 * Topics#IAM_CHANGES} as CloudEvents type {@link CloudEvents#OUTCOME_TYPE}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvisioningOutcome(
    String eventId,
    String employeeId,
    Outcome outcome,
    Counts counts,
    OffsetDateTime startedAt,
    OffsetDateTime completedAt,
    String reason) {

  /** How many IAM mutations the event needed and what became of them. */
  public record Counts(int planned, int applied, int failed) {}
}
