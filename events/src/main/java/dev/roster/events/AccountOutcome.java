package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One account's part of a {@link ProvisioningOutcome}: {@code account} is the 12-digit AWS account
 * id, {@code name} the account's name in the role mapping, {@code reason} why it failed or was
 * skipped (absent when completed), {@code cutOffVerified} whether IAM's own policy simulation
 * confirmed that the user is denied every sensitive action once the deny-all was in place (absent
 * when the event cut nothing off in this account), {@code notices} facts the reader should know
 * although nothing failed (e.g. on a rehire: old credentials left inactive, break-glass group
 * memberships not restored).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountOutcome(
    String account,
    String name,
    AccountState state,
    String reason,
    Boolean cutOffVerified,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> notices) {

  public AccountOutcome {
    notices = notices == null ? List.of() : List.copyOf(notices);
  }

  /** An account's part without notices. */
  public AccountOutcome(
      String account, String name, AccountState state, String reason, Boolean cutOffVerified) {
    this(account, name, state, reason, cutOffVerified, List.of());
  }

  /** An account the event did not cut off (no verification). */
  public AccountOutcome(String account, String name, AccountState state, String reason) {
    this(account, name, state, reason, null);
  }
}
