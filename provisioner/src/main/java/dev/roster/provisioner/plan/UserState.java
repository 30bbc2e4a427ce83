package dev.roster.provisioner.plan;

import java.util.Map;
import java.util.Set;

/**
 * What IAM holds for one user in one account, as far as Roster cares. Credential sets hold only the
 * ids of <em>active</em> credentials: inactive ones need nothing. When {@code credentialsRead} is
 * false only the user, its tags, groups and inline policy names were read (enough to converge an
 * active user); deactivation needs the full state.
 */
public record UserState(
    String userName,
    Map<String, String> tags,
    Set<String> groups,
    Set<String> inlinePolicies,
    boolean credentialsRead,
    boolean loginProfile,
    Set<String> activeAccessKeys,
    Set<String> activeSshKeys,
    Set<String> activeServiceCredentials,
    Set<String> activeSigningCertificates,
    Set<String> mfaDevices,
    Set<String> attachedPolicies) {

  public UserState {
    tags = Map.copyOf(tags);
    groups = Set.copyOf(groups);
    inlinePolicies = Set.copyOf(inlinePolicies);
    activeAccessKeys = Set.copyOf(activeAccessKeys);
    activeSshKeys = Set.copyOf(activeSshKeys);
    activeServiceCredentials = Set.copyOf(activeServiceCredentials);
    activeSigningCertificates = Set.copyOf(activeSigningCertificates);
    mfaDevices = Set.copyOf(mfaDevices);
    attachedPolicies = Set.copyOf(attachedPolicies);
  }

  /** A user with tags, groups and inline policies only (credentials not read). */
  public static UserState basic(
      String userName, Map<String, String> tags, Set<String> groups, Set<String> inlinePolicies) {
    return basic(userName, tags, groups, inlinePolicies, Set.of());
  }

  /**
   * A user with tags, groups, inline and attached policies (credentials not read): what an active
   * user's convergence needs, and what GetAccountAuthorizationDetails gives for every user at once.
   */
  public static UserState basic(
      String userName,
      Map<String, String> tags,
      Set<String> groups,
      Set<String> inlinePolicies,
      Set<String> attachedPolicies) {
    return new UserState(
        userName,
        tags,
        groups,
        inlinePolicies,
        false,
        false,
        Set.of(),
        Set.of(),
        Set.of(),
        Set.of(),
        Set.of(),
        attachedPolicies);
  }

  /** This state with the credentials of {@code full} (a full read of the same user). */
  public UserState withCredentials(UserState full) {
    return new UserState(
        userName,
        tags,
        groups,
        inlinePolicies,
        full.credentialsRead,
        full.loginProfile,
        full.activeAccessKeys,
        full.activeSshKeys,
        full.activeServiceCredentials,
        full.activeSigningCertificates,
        full.mfaDevices,
        attachedPolicies);
  }

  /** Roster deactivated this user (leave), as recorded by the deny-all policy or the status tag. */
  public boolean deactivated() {
    return inlinePolicies.contains(Tags.DENY_ALL_POLICY)
        || Tags.STATUS_DEACTIVATED.equals(tags.get(Tags.STATUS));
  }
}
