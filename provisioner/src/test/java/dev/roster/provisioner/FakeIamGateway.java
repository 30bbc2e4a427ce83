package dev.roster.provisioner;

import dev.roster.provisioner.iam.IamFailure;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.plan.InMemoryIam;
import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.UserState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** IAM in memory, for testing the provisioner's orchestration without a network. */
public final class FakeIamGateway implements IamGateway {
  final Map<String, Map<String, UserState>> users = new HashMap<>();
  final Map<String, Set<String>> groups = new HashMap<>();
  public final List<String> applied = new ArrayList<>();

  /** Called with the number of mutations applied so far, after each one. */
  public java.util.function.IntConsumer afterApply = n -> {};

  /** Reads of users and mutations in the order they came: "read dev", "apply dev PutUserPolicy". */
  public final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());

  /** Called before each read of a user. */
  public volatile Runnable onRead = () -> {};

  String failOn;

  /** ListUsers calls (index refreshes). */
  int listings;

  /** When set, {@link #failOn} fails only in this account (non-transient, like LimitExceeded). */
  String failIn;

  /** When set, the process "dies" (an unchecked exception) once this many mutations are applied. */
  int dieAfter = -1;

  public FakeIamGateway group(String account, String... names) {
    groups.computeIfAbsent(account, a -> new HashSet<>()).addAll(List.of(names));
    return this;
  }

  FakeIamGateway user(String account, UserState user) {
    users.computeIfAbsent(account, a -> new HashMap<>()).put(user.userName(), user);
    return this;
  }

  @Override
  public synchronized Optional<UserState> readUser(String account, String userName, boolean full) {
    onRead.run();
    calls.add("read " + account);
    return Optional.ofNullable(users.getOrDefault(account, Map.of()).get(userName));
  }

  /** The cut-off's read: recorded as "peek dev", the user without groups or credentials. */
  @Override
  public synchronized Optional<UserState> cutOffState(String account, String userName) {
    onRead.run();
    calls.add("peek " + account);
    return Optional.ofNullable(users.getOrDefault(account, Map.of()).get(userName))
        .map(u -> UserState.basic(u.userName(), u.tags(), Set.of(), u.inlinePolicies(), Set.of()));
  }

  /**
   * The cut-off's GetUser alone: recorded as "peek dev" too, the user's tags only (its inline
   * policies left out, as GetUser gives none).
   */
  @Override
  public synchronized Optional<UserState> cutOffUser(String account, String userName) {
    onRead.run();
    calls.add("peek " + account);
    return Optional.ofNullable(users.getOrDefault(account, Map.of()).get(userName))
        .map(u -> UserState.basic(u.userName(), u.tags(), Set.of(), Set.of(), Set.of()));
  }

  @Override
  public synchronized List<UserState> accountUsers(String account) {
    if (account.equals(failIn) && "GetAccountAuthorizationDetails".equals(failOn)) {
      throw new IllegalStateException("AccessDenied: GetAccountAuthorizationDetails in " + account);
    }
    return List.copyOf(users.getOrDefault(account, Map.of()).values());
  }

  @Override
  public List<String> userNames(String account) {
    listings++;
    return List.copyOf(users.getOrDefault(account, Map.of()).keySet());
  }

  @Override
  public Optional<Map<String, String>> userTags(String account, String userName) {
    return Optional.ofNullable(users.getOrDefault(account, Map.of()).get(userName))
        .map(UserState::tags);
  }

  @Override
  public boolean groupExists(String account, String group) {
    return groups.getOrDefault(account, Set.of()).contains(group);
  }

  @Override
  public synchronized AppliedChange apply(
      String account, Operation op, java.util.function.BooleanSupplier owned) {
    if (op.action().apiName().equals(failOn) && failIn != null) {
      if (account.equals(failIn)) {
        throw new IamFailure(
            op.action().apiName(), "LimitExceeded", "req-x", false, 1, "Cannot exceed quota", null);
      }
    } else if (op.action().apiName().equals(failOn)) {
      throw new IamFailure(
          op.action().apiName(), "Throttling", "req-x", true, 8, "Rate exceeded", null);
    }
    calls.add("apply " + account + " " + op.action().apiName());
    if (dieAfter >= 0 && applied.size() >= dieAfter) {
      throw new IllegalStateException("killed after " + dieAfter + " mutations");
    }
    Map<String, UserState> accountUsers = users.computeIfAbsent(account, a -> new HashMap<>());
    accountUsers.put(op.userName(), InMemoryIam.apply(accountUsers.get(op.userName()), op));
    applied.add(account + " " + op);
    afterApply.accept(applied.size());
    return AppliedChange.applied("req-" + applied.size());
  }

  /** Policies of groups, by account then group (a group without an entry has none). */
  public final Map<String, Map<String, dev.roster.policy.PolicySet>> groupPolicies =
      new HashMap<>();

  /** Actions a simulation answers as not denied (a deny-all altered by hand). */
  public final Set<String> openActions = new HashSet<>();

  @Override
  public synchronized Map<String, String> simulate(
      String account, String userName, List<String> actions) {
    UserState user = users.getOrDefault(account, Map.of()).get(userName);
    boolean denyAll =
        user != null
            && user.inlinePolicies().contains(dev.roster.provisioner.plan.Tags.DENY_ALL_POLICY);
    Map<String, String> decisions = new java.util.LinkedHashMap<>();
    actions.forEach(
        a ->
            decisions.put(
                a, denyAll && !openActions.contains(a) ? "explicitDeny" : "implicitDeny"));
    return decisions;
  }

  @Override
  public Optional<dev.roster.policy.PolicySet> groupPolicies(String account, String group) {
    if (!groupExists(account, group)) {
      return Optional.empty();
    }
    return Optional.of(
        groupPolicies
            .getOrDefault(account, Map.of())
            .getOrDefault(group, dev.roster.policy.PolicySet.builder().build()));
  }

  @Override
  public void ping(String account) {}
}
