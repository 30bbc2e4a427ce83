package dev.roster.sandbox.iam.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One AWS account's IAM state. Maps are keyed by the lower-cased name because IAM names are unique
 * regardless of case; each entity keeps the spelling it was created with. Every access goes through
 * {@link #lock}, which makes each IAM call atomic within its account.
 */
public final class Account {
  public String id;
  public Map<String, User> users = new TreeMap<>();
  public Map<String, Group> groups = new TreeMap<>();
  public Map<String, Role> roles = new TreeMap<>();
  public Map<String, ManagedPolicy> policies = new TreeMap<>();
  public Map<String, MfaDevice> mfaDevices = new TreeMap<>();

  @JsonIgnore public final ReentrantLock lock = new ReentrantLock();

  public Account() {}

  public Account(String id) {
    this.id = id;
  }

  public static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** {@code arn:aws:iam::<account>:<type><path><name>}, e.g. {@code user/eng/alice}. */
  public String arn(String type, String path, String name) {
    return "arn:aws:iam::" + id + ":" + type + path + name;
  }
}
