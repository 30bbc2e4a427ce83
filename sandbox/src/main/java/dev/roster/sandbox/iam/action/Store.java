package dev.roster.sandbox.iam.action;

import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.model.Role;
import dev.roster.sandbox.iam.model.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/** All accounts (created on first use, like LocalStack) and the live STS sessions. */
public final class Store {
  public static final String DEFAULT_ACCOUNT = "000000000000";

  private final ConcurrentMap<String, Account> accounts = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Session> sessions = new ConcurrentHashMap<>();

  public Account account(String id) {
    return accounts.computeIfAbsent(id, Account::new);
  }

  /** The account if it exists, without creating it. */
  public Account existing(String id) {
    return accounts.get(id);
  }

  /**
   * The role of that name in that account, read under the account's lock; null if either is
   * missing.
   */
  public Role role(String accountId, String roleName) {
    Account account = existing(accountId);
    if (account == null) {
      return null;
    }
    account.lock.lock();
    try {
      return account.roles.get(Account.key(roleName));
    } finally {
      account.lock.unlock();
    }
  }

  public List<String> accountIds() {
    return new ArrayList<>(accounts.keySet());
  }

  public Session session(String accessKeyId) {
    return sessions.get(accessKeyId);
  }

  public void putSession(Session session) {
    sessions.put(session.accessKeyId, session);
  }

  public List<Session> sessions() {
    return new ArrayList<>(sessions.values());
  }

  public void clear() {
    accounts.clear();
    sessions.clear();
  }

  /** Replaces an account wholesale (used when loading state). */
  public void put(Account account) {
    accounts.put(account.id, account);
  }

  /** Runs {@code work} on an account while holding its lock. */
  public <T> T locked(String accountId, Function<Account, T> work) {
    Account account = account(accountId);
    account.lock.lock();
    try {
      return work.apply(account);
    } finally {
      account.lock.unlock();
    }
  }
}
