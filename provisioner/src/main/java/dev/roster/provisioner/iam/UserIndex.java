package dev.roster.provisioner.iam;

import io.quarkus.logging.Log;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Employee id to user name, per account: how a leave finds the employee's users without scanning
 * IAM. Loaded once per account from IAM (users under {@code /roster/} and their tags), then kept up
 * to date as the provisioner creates users. An account that could not be loaded at start-up is
 * loaded on first use.
 */
public final class UserIndex {
  private final IamGateway gateway;
  private final Map<String, Map<String, String>> byAccount = new ConcurrentHashMap<>();

  public UserIndex(IamGateway gateway) {
    this.gateway = gateway;
  }

  /** Loads an account's index if not yet loaded; throws {@link IamFailure} if IAM cannot say. */
  public Map<String, String> load(String account) {
    return byAccount.computeIfAbsent(
        account,
        a -> {
          Map<String, String> users = new ConcurrentHashMap<>(gateway.managedUsers(a));
          Log.infof("user index of account %s: %d Roster users", a, users.size());
          return users;
        });
  }

  public Optional<String> userName(String account, String employeeId) {
    return Optional.ofNullable(load(account).get(employeeId));
  }

  public void put(String account, String employeeId, String userName) {
    load(account).put(employeeId, userName);
  }

  public boolean loaded(String account) {
    return byAccount.containsKey(account);
  }
}
