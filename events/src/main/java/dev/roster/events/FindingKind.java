package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** What a review found about Roster's users, its mapping or the organization's layout. */
public enum FindingKind {
  /** A Roster user with a console password and no MFA device. */
  CONSOLE_WITHOUT_MFA("console-without-mfa"),
  /** An active access key created more than 90 days ago (CIS: rotate every 90 days). */
  OLD_ACCESS_KEY("old-access-key"),
  /**
   * An active access key not used for 45 days or more (CIS: disable credentials unused for 45
   * days).
   */
  UNUSED_ACCESS_KEY("unused-access-key"),
  /** More than one active access key on one user. */
  MULTIPLE_ACTIVE_KEYS("multiple-active-keys"),
  /**
   * A deactivated user with an active key, console password, MFA device or other credential, or
   * without the deny-all.
   */
  LEAVER_WITH_ACTIVE_CREDENTIAL("leaver-with-active-credential"),
  /** A policy attached to a Roster user other than {@code roster-deny-all}. */
  DIRECT_POLICY("direct-policy"),
  /** A Roster user in a group the mapping does not name (and not ignored). */
  UNMAPPED_GROUP("unmapped-group"),
  /**
   * A mapped group whose policies allow IAM writes or an escalation path, not marked privileged.
   */
  PRIVILEGED_GROUP("privileged-group"),
  /** A leaver whom IAM's policy simulation does not deny every sensitive action. */
  CUT_OFF_NOT_VERIFIED("cut-off-not-verified"),
  /** An account not in the OU the expected layout puts it in. */
  ACCOUNT_OUTSIDE_OU("account-outside-ou"),
  /** An SCP the expected layout names is not attached to its OU. */
  SCP_MISSING("scp-missing"),
  /** An SCP attached to an OU that neither the layout nor the previous review had. */
  SCP_ADDED("scp-added"),
  /** An SCP whose content hash differs from the previous review's. */
  SCP_CHANGED("scp-changed"),
  /** An OU with no SCP attached other than {@code FullAWSAccess}. */
  OU_WITHOUT_SCP("ou-without-scp");

  private final String wireName;

  FindingKind(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public static Optional<FindingKind> fromWire(String value) {
    return Arrays.stream(values()).filter(v -> v.wireName.equals(value)).findFirst();
  }

  @JsonCreator
  static FindingKind fromJson(String value) {
    return fromWire(value)
        .orElseThrow(() -> new IllegalArgumentException("unknown finding kind: " + value));
  }
}
