package dev.roster.provisioner.iam;

import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.UserState;
import java.util.Map;
import java.util.Optional;

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

  /** Roster's users in an account (under {@code /roster/}): employee id to user name. */
  Map<String, String> managedUsers(String account);

  boolean groupExists(String account, String group);

  /** Applies one mutation. */
  AppliedChange apply(String account, Operation operation);

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
