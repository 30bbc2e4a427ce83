package dev.roster.provisioner.iam;

import dev.roster.provisioner.plan.Tags;
import io.quarkus.logging.Log;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Employee id to user name, per account: how a leave finds the employee's users without a scan per
 * event. What this process has seen is only a cache: another replica may have created a user since,
 * so a <em>miss is always answered by IAM</em> ({@link #find}): {@code ListUsers} under {@code
 * /roster/}, then {@code ListUserTags} for every name not seen before. No per-instance memory ever
 * decides that an employee has no user.
 *
 * <p>Misses are frequent (a leaver has no user in most accounts), so they share listings: every
 * miss that comes while a listing is under way is answered by the next one, all together.
 */
public final class UserIndex {
  private final IamGateway gateway;
  private final Executor tagReads;
  private final int tagReadsAtOnce;
  private final Map<String, Account> accounts = new ConcurrentHashMap<>();

  /** Tags of new users read one after another. */
  public UserIndex(IamGateway gateway) {
    this(gateway, Runnable::run, 1);
  }

  /**
   * @param tagReads runs the tag reads of users a listing finds for the first time (another
   *     replica's hires), up to {@code tagReadsAtOnce} at once; never a thread that waits on this
   *     index
   */
  public UserIndex(IamGateway gateway, Executor tagReads, int tagReadsAtOnce) {
    this.gateway = gateway;
    this.tagReads = tagReads;
    this.tagReadsAtOnce = Math.max(1, tagReadsAtOnce);
  }

  /** One account's view: employee to user name, and every user name whose tags were read. */
  private static final class Account {
    final Map<String, String> byEmployee = new ConcurrentHashMap<>();
    final Set<String> seen = ConcurrentHashMap.newKeySet();

    /**
     * Refreshes counted from 1, written under the account's lock before its listing is sent; a
     * lookup that missed before refresh n started may use n. Read without the lock, so a miss
     * during a refresh is counted at once instead of after it.
     */
    volatile long refreshesStarted;

    volatile long refreshesDone;
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
    refresh(account, a, a.refreshesStarted);
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
      List<String> unseen = names.stream().filter(user -> !a.seen.contains(user)).toList();
      Map<String, String> found = employees(name, unseen);
      a.seen.addAll(unseen);
      a.byEmployee.putAll(found);
      a.refreshesDone = a.refreshesStarted;
      Log.debugf(
          "user index of account %s refreshed from IAM: %d users, %d new Roster users",
          name, names.size(), found.size());
    }
  }

  /** Employee id to user name of the Roster users among {@code users}, their tags read at once. */
  private Map<String, String> employees(String account, List<String> users) {
    int parts = Math.min(tagReadsAtOnce, users.size());
    List<Supplier<Map<String, String>>> reads = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      List<String> part = new ArrayList<>();
      for (int j = i; j < users.size(); j += parts) {
        part.add(users.get(j));
      }
      reads.add(Fork.startUnlessLast(i, parts, () -> rosterUsers(account, part), tagReads));
    }
    Map<String, String> found = new HashMap<>();
    reads.forEach(r -> found.putAll(r.get()));
    return found;
  }

  /** The same, one user after another. */
  private Map<String, String> rosterUsers(String account, List<String> users) {
    Map<String, String> found = new HashMap<>();
    for (String user : users) {
      gateway
          .userTags(account, user)
          .filter(t -> Tags.MANAGED_BY_ROSTER.equals(t.get(Tags.MANAGED_BY)))
          .map(t -> t.get(Tags.EMPLOYEE_ID))
          .ifPresent(employee -> found.put(employee, user));
    }
    return found;
  }

  /** Loads an account's index from IAM now (start-up), so that the first events hit the cache. */
  public void load(String account) {
    Account a = account(account);
    refresh(account, a, a.refreshesStarted);
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
