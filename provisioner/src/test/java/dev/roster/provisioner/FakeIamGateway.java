package dev.roster.provisioner;

import dev.roster.provisioner.iam.IamFailure;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.plan.InMemoryIam;
import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.Tags;
import dev.roster.provisioner.plan.UserState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** IAM in memory, for testing the provisioner's orchestration without a network. */
final class FakeIamGateway implements IamGateway {
  final Map<String, Map<String, UserState>> users = new HashMap<>();
  final Map<String, Set<String>> groups = new HashMap<>();
  final List<String> applied = new ArrayList<>();
  String failOn;

  /** When set, the process "dies" (an unchecked exception) once this many mutations are applied. */
  int dieAfter = -1;

  FakeIamGateway group(String account, String... names) {
    groups.computeIfAbsent(account, a -> new HashSet<>()).addAll(List.of(names));
    return this;
  }

  FakeIamGateway user(String account, UserState user) {
    users.computeIfAbsent(account, a -> new HashMap<>()).put(user.userName(), user);
    return this;
  }

  @Override
  public Optional<UserState> readUser(String account, String userName, boolean full) {
    return Optional.ofNullable(users.getOrDefault(account, Map.of()).get(userName));
  }

  @Override
  public Map<String, String> managedUsers(String account) {
    Map<String, String> index = new HashMap<>();
    users.getOrDefault(account, Map.of()).values().stream()
        .filter(u -> Tags.MANAGED_BY_ROSTER.equals(u.tags().get(Tags.MANAGED_BY)))
        .forEach(u -> index.put(u.tags().get(Tags.EMPLOYEE_ID), u.userName()));
    return index;
  }

  @Override
  public boolean groupExists(String account, String group) {
    return groups.getOrDefault(account, Set.of()).contains(group);
  }

  @Override
  public AppliedChange apply(String account, Operation op) {
    if (op.action().apiName().equals(failOn)) {
      throw new IamFailure(
          op.action().apiName(), "Throttling", "req-x", true, 8, "Rate exceeded", null);
    }
    if (dieAfter >= 0 && applied.size() >= dieAfter) {
      throw new IllegalStateException("killed after " + dieAfter + " mutations");
    }
    Map<String, UserState> accountUsers = users.computeIfAbsent(account, a -> new HashMap<>());
    accountUsers.put(op.userName(), InMemoryIam.apply(accountUsers.get(op.userName()), op));
    applied.add(account + " " + op);
    return AppliedChange.applied("req-" + applied.size());
  }

  @Override
  public void ping(String account) {}
}
