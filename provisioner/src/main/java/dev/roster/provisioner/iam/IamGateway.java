package dev.roster.provisioner.iam;

import dev.roster.policy.PolicySet;
import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.UserState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The IAM calls the provisioner needs, and no more. Accounts are named as in the role mapping.
 * Every method throws {@link IamFailure} once retries are exhausted or on a non-transient error.
 */
public interface IamGateway {

  /**
   * The user as IAM holds it, or empty when there is no user of that name.
   *
   * @param full also read console, credentials, MFA and attached policies (needed to deactivate)
   */
  Optional<UserState> readUser(String account, String userName, boolean full);

  /**
   * The same read when GetUser's answer is known already (a cut-off just had it): every other read
   * of {@link #readUser}, without asking GetUser again.
   *
   * @param found the user as GetUser answered (its name and tags)
   */
  default Optional<UserState> readUser(String account, UserState found, boolean full) {
    return readUser(account, found.userName(), full);
  }

  /**
   * What a cut-off needs to know before its deny-all, and no more: the user's tags (ownership,
   * watermark) and inline policy names (is the deny-all there), groups and attached policies left
   * empty; empty when there is no user of that name. One round trip where the calls can go at once.
   */
  default Optional<UserState> cutOffState(String account, String userName) {
    return readUser(account, userName, false);
  }

  /**
   * The least a cut-off needs when the deny-all cannot be there yet: the user's tags (ownership,
   * watermark, status) from GetUser alone, one call; inline policies may be left empty (the caller
   * asks {@link #cutOffState} when the user may already carry the deny-all). Empty when there is no
   * user of that name.
   */
  default Optional<UserState> cutOffUser(String account, String userName) {
    return cutOffState(account, userName);
  }

  /**
   * The user and every credential it has, active or not (what IAM requires gone before DeleteUser),
   * or empty when there is no user of that name.
   */
  default Optional<UserItems> items(String account, String userName) {
    throw new UnsupportedOperationException("items");
  }

  /** A user's full state and the ids of all its credentials, inactive ones included. */
  record UserItems(
      UserState state,
      java.util.Set<String> accessKeys,
      java.util.Set<String> sshKeys,
      java.util.Set<String> serviceCredentials,
      java.util.Set<String> signingCertificates) {}

  /**
   * Every user of the account with its tags, groups, inline and attached policies, credentials not
   * read: GetAccountAuthorizationDetails (users only), a page per 100 users, instead of five reads
   * per user. What a reconciliation compares with HR.
   */
  default List<UserState> accountUsers(String account) {
    throw new UnsupportedOperationException("accountUsers");
  }

  /**
   * What a security review reads of one user beyond {@link #accountUsers}: console password, MFA
   * devices, every access key with its last use ({@code GetAccessKeyLastUsed}, active keys only),
   * and the number of active SSH keys, service-specific credentials and signing certificates. Reads
   * sent together, as a leave's.
   */
  default ReviewCredentials reviewCredentials(String account, String userName) {
    throw new UnsupportedOperationException("reviewCredentials");
  }

  /** A user's credentials as a review reads them. */
  record ReviewCredentials(
      boolean loginProfile,
      int mfaDevices,
      List<dev.roster.policy.review.AccessKey> accessKeys,
      int activeSshKeys,
      int activeServiceCredentials,
      int activeSigningCertificates) {
    public ReviewCredentials {
      accessKeys = List.copyOf(accessKeys);
    }
  }

  /**
   * When each user of the account last used its console password (ListUsers, every path, 1,000 a
   * page: one call for most accounts instead of a GetUser per user); a user who never did is
   * absent.
   */
  default Map<String, java.time.Instant> passwordLastUsed(String account) {
    throw new UnsupportedOperationException("passwordLastUsed");
  }

  /** Names of the users under {@code /roster/} in an account (ListUsers does not give tags). */
  List<String> userNames(String account);

  /** A user's tags, or empty when there is no user of that name. */
  Optional<Map<String, String>> userTags(String account, String userName);

  boolean groupExists(String account, String group);

  /**
   * IAM's own evaluation of a user's policies ({@code SimulatePrincipalPolicy} on the user's ARN,
   * every resource): the {@code EvalDecision} per action ({@code allowed}, {@code explicitDeny},
   * {@code implicitDeny}).
   */
  Map<String, String> simulate(String account, String userName, List<String> actions);

  /**
   * A group's inline policies and the default version of each attached managed policy, or empty
   * when there is no group of that name.
   */
  Optional<PolicySet> groupPolicies(String account, String group);

  /** Applies one mutation. */
  default AppliedChange apply(String account, Operation operation) {
    return apply(account, operation, () -> true);
  }

  /**
   * Applies one mutation; {@code owned} is asked before every retry, and a retry is never made once
   * it answers false ({@link Fenced} is thrown instead): another instance now owns the employee.
   */
  AppliedChange apply(String account, Operation operation, BooleanSupplier owned);

  /** A cheap read proving that the account is reachable with the configured credentials. */
  void ping(String account);

  /** The result of one mutation: applied (with IAM's request id) or only planned (dry run). */
  record AppliedChange(boolean planned, String awsRequestId) {
    public static AppliedChange applied(String requestId) {
      return new AppliedChange(false, requestId);
    }

    public static AppliedChange dryRun() {
      return new AppliedChange(true, null);
    }
  }
}
