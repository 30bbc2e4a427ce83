package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What the provisioner did with one HR event, published once per event on {@link
 * Topics#IAM_CHANGES} as CloudEvents type {@link CloudEvents#OUTCOME_TYPE}.
 *
 * <p>{@code cutOffAt}: when the deny-all policy was in place in the last account the event cuts off
 * (a leave, or accounts a role change takes away); absent when no account needed a cut-off or when
 * not every one of them was cut off. {@code accounts}: one entry per mapped account, in mapping
 * order. {@code effectiveAt}: for outcome {@link Outcome#SCHEDULED}, when the held event will be
 * applied. All three are additive: readers of the older shape ignore them, and a record without
 * them (an older provisioner) reads with {@code accounts} empty.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvisioningOutcome(
    String eventId,
    String employeeId,
    Outcome outcome,
    Counts counts,
    OffsetDateTime startedAt,
    OffsetDateTime cutOffAt,
    OffsetDateTime completedAt,
    String reason,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<AccountOutcome> accounts,
    OffsetDateTime effectiveAt) {

  public ProvisioningOutcome {
    accounts = accounts == null ? List.of() : List.copyOf(accounts);
  }

  /** An outcome of an event applied now (no {@code effectiveAt} to announce). */
  public ProvisioningOutcome(
      String eventId,
      String employeeId,
      Outcome outcome,
      Counts counts,
      OffsetDateTime startedAt,
      OffsetDateTime cutOffAt,
      OffsetDateTime completedAt,
      String reason,
      List<AccountOutcome> accounts) {
    this(
        eventId,
        employeeId,
        outcome,
        counts,
        startedAt,
        cutOffAt,
        completedAt,
        reason,
        accounts,
        null);
  }

  /** The shape before per-account results: no cut-off time, no accounts. */
  public ProvisioningOutcome(
      String eventId,
      String employeeId,
      Outcome outcome,
      Counts counts,
      OffsetDateTime startedAt,
      OffsetDateTime completedAt,
      String reason) {
    this(
        eventId,
        employeeId,
        outcome,
        counts,
        startedAt,
        null,
        completedAt,
        reason,
        List.of(),
        null);
  }

  /** How many IAM mutations the event needed and what became of them. */
  public record Counts(int planned, int applied, int failed) {}
}
