package dev.roster.policy.review;

import dev.roster.policy.DenyAllVerdict;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a review read of one Roster-owned user in one account, with what the mapping expects of it.
 * Names follow the provisioner's {@code UserState}; credential counts are of <em>active</em> ones.
 *
 * @param deactivated a leaver (Roster's status tag or its deny-all), as {@code
 *     UserState.deactivated()} says
 * @param loginProfile a console password is set
 * @param passwordLastUsed when the console password was last used (empty: never, or not known)
 * @param mfaDevices MFA devices assigned to the user
 * @param accessKeys every access key, active or not
 * @param expectedGroups the groups the mapping gives this user in this account (none for a leaver)
 * @param cutOff for a leaver, IAM's policy simulation judged by {@link
 *     DenyAllVerdict#fromSimulation} (empty: not verified, unknown)
 */
public record ReviewedUser(
    String userName,
    String employeeId,
    boolean deactivated,
    boolean loginProfile,
    Optional<Instant> passwordLastUsed,
    int mfaDevices,
    List<AccessKey> accessKeys,
    int activeSshKeys,
    int activeServiceCredentials,
    int activeSigningCertificates,
    Set<String> inlinePolicies,
    Set<String> attachedPolicies,
    Set<String> groups,
    Set<String> expectedGroups,
    Optional<DenyAllVerdict> cutOff) {

  public ReviewedUser {
    Objects.requireNonNull(userName, "userName");
    Objects.requireNonNull(passwordLastUsed, "passwordLastUsed");
    Objects.requireNonNull(cutOff, "cutOff");
    accessKeys = List.copyOf(accessKeys);
    inlinePolicies = Set.copyOf(inlinePolicies);
    attachedPolicies = Set.copyOf(attachedPolicies);
    groups = Set.copyOf(groups);
    expectedGroups = Set.copyOf(expectedGroups);
    if (mfaDevices < 0
        || activeSshKeys < 0
        || activeServiceCredentials < 0
        || activeSigningCertificates < 0) {
      throw new IllegalArgumentException("negative credential count for " + userName);
    }
  }

  public static Builder builder(String userName, String employeeId) {
    return new Builder(userName, employeeId);
  }

  public Builder toBuilder() {
    Builder b = new Builder(userName, employeeId);
    b.deactivated = deactivated;
    b.loginProfile = loginProfile;
    b.passwordLastUsed = passwordLastUsed;
    b.mfaDevices = mfaDevices;
    b.accessKeys = accessKeys;
    b.activeSshKeys = activeSshKeys;
    b.activeServiceCredentials = activeServiceCredentials;
    b.activeSigningCertificates = activeSigningCertificates;
    b.inlinePolicies = inlinePolicies;
    b.attachedPolicies = attachedPolicies;
    b.groups = groups;
    b.expectedGroups = expectedGroups;
    b.cutOff = cutOff;
    return b;
  }

  /** The active access keys, in the order given. */
  public List<AccessKey> activeAccessKeys() {
    return accessKeys.stream().filter(AccessKey::active).toList();
  }

  /** Starts from an active user with no credentials, policies or groups. */
  public static final class Builder {
    private final String userName;
    private final String employeeId;
    private boolean deactivated;
    private boolean loginProfile;
    private Optional<Instant> passwordLastUsed = Optional.empty();
    private int mfaDevices;
    private List<AccessKey> accessKeys = List.of();
    private int activeSshKeys;
    private int activeServiceCredentials;
    private int activeSigningCertificates;
    private Set<String> inlinePolicies = Set.of();
    private Set<String> attachedPolicies = Set.of();
    private Set<String> groups = Set.of();
    private Set<String> expectedGroups = Set.of();
    private Optional<DenyAllVerdict> cutOff = Optional.empty();

    private Builder(String userName, String employeeId) {
      this.userName = userName;
      this.employeeId = employeeId;
    }

    public Builder deactivated(boolean value) {
      deactivated = value;
      return this;
    }

    /** A console password, last used at {@code lastUsed} (null: never). */
    public Builder loginProfile(Instant lastUsed) {
      loginProfile = true;
      passwordLastUsed = Optional.ofNullable(lastUsed);
      return this;
    }

    public Builder noLoginProfile() {
      loginProfile = false;
      passwordLastUsed = Optional.empty();
      return this;
    }

    public Builder mfaDevices(int value) {
      mfaDevices = value;
      return this;
    }

    public Builder accessKeys(AccessKey... keys) {
      accessKeys = List.of(keys);
      return this;
    }

    public Builder activeSshKeys(int value) {
      activeSshKeys = value;
      return this;
    }

    public Builder activeServiceCredentials(int value) {
      activeServiceCredentials = value;
      return this;
    }

    public Builder activeSigningCertificates(int value) {
      activeSigningCertificates = value;
      return this;
    }

    public Builder inlinePolicies(String... names) {
      inlinePolicies = Set.of(names);
      return this;
    }

    public Builder attachedPolicies(String... arns) {
      attachedPolicies = Set.of(arns);
      return this;
    }

    public Builder groups(String... names) {
      groups = Set.of(names);
      return this;
    }

    public Builder expectedGroups(String... names) {
      expectedGroups = Set.of(names);
      return this;
    }

    public Builder cutOff(DenyAllVerdict verdict) {
      cutOff = Optional.ofNullable(verdict);
      return this;
    }

    public ReviewedUser build() {
      return new ReviewedUser(
          userName,
          employeeId,
          deactivated,
          loginProfile,
          passwordLastUsed,
          mfaDevices,
          accessKeys,
          activeSshKeys,
          activeServiceCredentials,
          activeSigningCertificates,
          inlinePolicies,
          attachedPolicies,
          groups,
          expectedGroups,
          cutOff);
    }
  }
}
