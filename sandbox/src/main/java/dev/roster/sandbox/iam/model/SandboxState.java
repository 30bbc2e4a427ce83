package dev.roster.sandbox.iam.model;

import java.util.Map;
import java.util.TreeMap;

/** Everything the sandbox persists: the accounts and the live STS sessions. */
public final class SandboxState {
  public Map<String, Account> accounts = new TreeMap<>();
  public Map<String, Session> sessions = new TreeMap<>();
}
