package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One account's part of a {@link ProvisioningOutcome}: {@code account} is the 12-digit AWS account
 * id, {@code name} the account's name in the role mapping, {@code reason} why it failed or was
 * skipped (absent when completed), {@code cutOffVerified} whether IAM's own policy simulation
 * confirmed that the user is denied every sensitive action once the deny-all was in place (absent
 * when the event cut nothing off in this account).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountOutcome(
    String account, String name, AccountState state, String reason, Boolean cutOffVerified) {

  /** An account the event did not cut off (no verification). */
  public AccountOutcome(String account, String name, AccountState state, String reason) {
    this(account, name, state, reason, null);
  }
}
