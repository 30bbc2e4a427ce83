package dev.roster.provisioner.iam;

import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.UserState;
import io.quarkus.logging.Log;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Dry run ({@code roster.dry-run=true}): reads pass through, mutations are only reported. */
public final class DryRunIamGateway implements IamGateway {
  private final IamGateway delegate;

  public DryRunIamGateway(IamGateway delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<UserState> readUser(String account, String userName, boolean full) {
    return delegate.readUser(account, userName, full);
  }

  @Override
  public Optional<UserState> readUser(String account, UserState found, boolean full) {
    return delegate.readUser(account, found, full);
  }

  @Override
  public Optional<UserState> cutOffState(String account, String userName) {
    return delegate.cutOffState(account, userName);
  }

  @Override
  public Optional<UserState> cutOffUser(String account, String userName) {
    return delegate.cutOffUser(account, userName);
  }

  @Override
  public Optional<UserItems> items(String account, String userName) {
    return delegate.items(account, userName);
  }

  @Override
  public List<UserState> accountUsers(String account) {
    return delegate.accountUsers(account);
  }

  @Override
  public ReviewCredentials reviewCredentials(String account, String userName) {
    return delegate.reviewCredentials(account, userName);
  }

  @Override
  public Map<String, java.time.Instant> passwordLastUsed(String account) {
    return delegate.passwordLastUsed(account);
  }

  @Override
  public List<String> userNames(String account) {
    return delegate.userNames(account);
  }

  @Override
  public Optional<Map<String, String>> userTags(String account, String userName) {
    return delegate.userTags(account, userName);
  }

  @Override
  public boolean groupExists(String account, String group) {
    return delegate.groupExists(account, group);
  }

  @Override
  public Map<String, String> simulate(String account, String userName, List<String> actions) {
    return delegate.simulate(account, userName, actions);
  }

  @Override
  public Optional<dev.roster.policy.PolicySet> groupPolicies(String account, String group) {
    return delegate.groupPolicies(account, group);
  }

  @Override
  public AppliedChange apply(String account, Operation operation, BooleanSupplier owned) {
    Log.infof("dry run: would call %s in %s", operation, account);
    return AppliedChange.dryRun();
  }

  @Override
  public void ping(String account) {
    delegate.ping(account);
  }
}
