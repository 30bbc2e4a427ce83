package dev.roster.provisioner.iam;

import dev.roster.provisioner.plan.Tags;
import io.quarkus.logging.Log;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Employee id to user name, per account: how a leave finds the employee's users without a scan per
 * event. What this process has seen is only a cache: another replica may have created a user since,
 * so a <em>miss is always answered by IAM</em> ({@link #find}): {@code ListUsers} under {@code
 * /roster/}, then {@code ListUserTags} for every name not seen before. No per-instance memory ever
 * decides that an employee has no user.
 */
public final class UserIndex {
  private final IamGateway gateway;
  private final Map<String, Account> accounts = new ConcurrentHashMap<>();

  public UserIndex(IamGateway gateway) {
    this.gateway = gateway;
  }

  /** One account's view: employee to user name, and every user name whose tags were read. */
  private static final class Account {
    final Map<String, String> byEmployee = new ConcurrentHashMap<>();
    final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** Refreshes counted from 1; a lookup that missed before refresh n started may use n. */
    long refreshesStarted;

    long refreshesDone;
  }

  private Account account(String name) {
    return accounts.computeIfAbsent(name, a -> new Account());
  }

  /**
   * The employee's user name in an account, answered by IAM when this process does not know it.
   * Throws {@link IamFailure} if IAM cannot say.
   */
  public Optional<String> find(String account, String employeeId) {
    Account a = account(account);
    String known = a.byEmployee.get(employeeId);
    if (known != null) {
      return Optional.of(known);
    }
    long missedAt;
    synchronized (a) {
      missedAt = a.refreshesStarted;
    }
    refresh(account, a, missedAt);
    return Optional.ofNullable(a.byEmployee.get(employeeId));
  }

  /**
   * Refreshes unless a refresh that started after the miss has already completed: concurrent misses
   * (many hires at once) share one ListUsers, and each answer is still from IAM after the miss.
   */
  private void refresh(String name, Account a, long missedAt) {
    synchronized (a) {
      if (a.refreshesDone > missedAt) {
        return;
      }
      a.refreshesStarted++;
      List<String> names = gateway.userNames(name);
      Set<String> present = new HashSet<>(names);
      a.byEmployee.values().removeIf(user -> !present.contains(user)); // deleted or renamed
      a.seen.retainAll(present);
      Map<String, String> found = new HashMap<>();
      for (String user : names) {
        if (a.seen.contains(user)) {
          continue;
        }
        Optional<Map<String, String>> tags = gateway.userTags(name, user);
        a.seen.add(user);
        tags.filter(t -> Tags.MANAGED_BY_ROSTER.equals(t.get(Tags.MANAGED_BY)))
            .map(t -> t.get(Tags.EMPLOYEE_ID))
            .ifPresent(employee -> found.put(employee, user));
      }
      a.byEmployee.putAll(found);
      a.refreshesDone = a.refreshesStarted;
      Log.debugf(
          "user index of account %s refreshed from IAM: %d users, %d new Roster users",
          name, names.size(), found.size());
    }
  }

  /** Loads an account's index from IAM now (start-up), so that the first events hit the cache. */
  public void load(String account) {
    Account a = account(account);
    long missedAt;
    synchronized (a) {
      missedAt = a.refreshesStarted;
    }
    refresh(account, a, missedAt);
    Log.infof("user index of account %s: %d Roster users", account, a.byEmployee.size());
  }

  /** Records a user this process created or found to be the employee's. */
  public void put(String account, String employeeId, String userName) {
    Account a = account(account);
    a.byEmployee.put(employeeId, userName);
    a.seen.add(userName);
  }

  /** Forgets a cached name IAM no longer has (GetUser answered NoSuchEntity). */
  public void forget(String account, String employeeId, String userName) {
    account(account).byEmployee.remove(employeeId, userName);
  }

  /** Any account's known user name of the employee (cache only), e.g. to name a new user alike. */
  public Optional<String> cached(String account, String employeeId) {
    return Optional.ofNullable(account(account).byEmployee.get(employeeId));
  }
}
