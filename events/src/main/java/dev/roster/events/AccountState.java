package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** What became of one HR event in one AWS account ({@link AccountOutcome#state()}). */
public enum AccountState {
  /**
   * The deny-all policy is on the user (access is gone) but the cleanup after it did not finish: a
   * leave, or an account a role change takes away, that failed after the cut-off.
   */
  CUT_OFF("cut_off"),
  /** Everything the event needed in this account is done. */
  COMPLETED("completed"),
  /** This account's part failed; for a leave that did not reach the cut-off, access may be open. */
  FAILED("failed"),
  /** Nothing to do here: the account is not concerned, or a later event was already applied. */
  SKIPPED("skipped");

  private final String wireName;

  AccountState(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public static Optional<AccountState> fromWire(String value) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(value)).findFirst();
  }

  @JsonCreator
  static AccountState fromJson(String value) {
    return fromWire(value)
        .orElseThrow(() -> new IllegalArgumentException("unknown account state: " + value));
  }
}
