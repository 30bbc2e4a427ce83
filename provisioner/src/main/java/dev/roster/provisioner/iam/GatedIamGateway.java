package dev.roster.provisioner.iam;

import dev.roster.policy.PolicySet;
import dev.roster.provisioner.iam.CallGate.Priority;
import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.UserState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The gateway behind a {@link CallGate}: the cut-off's reads and every deny-all go first, every
 * other operation after them. The user look-ups (ListUsers, ListUserTags: the index, which a
 * cut-off needs too) and the health ping are not gated.
 */
public final class GatedIamGateway implements IamGateway {
  private final IamGateway delegate;
  private final CallGate gate;

  public GatedIamGateway(IamGateway delegate, CallGate gate) {
    this.delegate = delegate;
    this.gate = gate;
  }

  @Override
  public Optional<UserState> readUser(String account, String userName, boolean full) {
    return gate.call(account, Priority.OTHER, () -> delegate.readUser(account, userName, full));
  }

  @Override
  public Optional<UserState> readUser(String account, UserState found, boolean full) {
    return gate.call(account, Priority.OTHER, () -> delegate.readUser(account, found, full));
  }

  @Override
  public Optional<UserState> cutOffState(String account, String userName) {
    return gate.call(account, Priority.CUT_OFF, () -> delegate.cutOffState(account, userName));
  }

  @Override
  public Optional<UserState> cutOffUser(String account, String userName) {
    return gate.call(account, Priority.CUT_OFF, () -> delegate.cutOffUser(account, userName));
  }

  @Override
  public Optional<UserItems> items(String account, String userName) {
    return gate.call(account, Priority.OTHER, () -> delegate.items(account, userName));
  }

  @Override
  public List<UserState> accountUsers(String account) {
    return gate.call(account, Priority.OTHER, () -> delegate.accountUsers(account));
  }

  @Override
  public ReviewCredentials reviewCredentials(String account, String userName) {
    return gate.call(account, Priority.OTHER, () -> delegate.reviewCredentials(account, userName));
  }

  @Override
  public Map<String, Instant> passwordLastUsed(String account) {
    return gate.call(account, Priority.OTHER, () -> delegate.passwordLastUsed(account));
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
    return gate.call(account, Priority.OTHER, () -> delegate.groupExists(account, group));
  }

  @Override
  public Map<String, String> simulate(String account, String userName, List<String> actions) {
    return gate.call(account, Priority.OTHER, () -> delegate.simulate(account, userName, actions));
  }

  @Override
  public Optional<PolicySet> groupPolicies(String account, String group) {
    return gate.call(account, Priority.OTHER, () -> delegate.groupPolicies(account, group));
  }

  @Override
  public AppliedChange apply(String account, Operation operation, BooleanSupplier owned) {
    Priority priority = operation.isDenyAll() ? Priority.CUT_OFF : Priority.OTHER;
    return gate.call(account, priority, () -> delegate.apply(account, operation, owned));
  }

  @Override
  public void ping(String account) {
    delegate.ping(account);
  }
}
