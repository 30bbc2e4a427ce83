package dev.roster.auditor.chain;

import java.time.Instant;
import java.util.List;

/**
 * What an applied outcome's per-account list says about a cut-off: the accounts neither {@code
 * cut_off} nor {@code completed} (failed or skipped: in doubt, flagged) and those whose cut-off IAM
 * did not verify. The one rule the leavers report and the notifications both follow.
 */
public record CutOffCheck(List<String> notCutOff, List<String> notVerified) {

  /** The check of an outcome's accounts (null: an outcome without the list, nothing to name). */
  public static CutOffCheck of(List<AccountOutcome> accounts) {
    if (accounts == null) {
      return new CutOffCheck(List.of(), List.of());
    }
    return new CutOffCheck(
        accounts.stream().filter(a -> !a.state().cutOff()).map(AccountOutcome::account).toList(),
        accounts.stream()
            .filter(a -> Boolean.FALSE.equals(a.cutOffVerified()))
            .map(AccountOutcome::account)
            .toList());
  }

  /** Whether access is possibly open after an applied outcome that has the per-account list. */
  public boolean possiblyOpen(Instant cutOffAt) {
    return cutOffAt == null || !notCutOff.isEmpty() || !notVerified.isEmpty();
  }

  /** Whether an account's part failed or was not cut off, or no cut-off time was reported. */
  public boolean notCutOff(Instant cutOffAt) {
    return cutOffAt == null || !notCutOff.isEmpty();
  }
}
