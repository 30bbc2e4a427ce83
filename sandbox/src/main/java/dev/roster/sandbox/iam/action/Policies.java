package dev.roster.sandbox.iam.action;

import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.model.ManagedPolicy;
import dev.roster.sandbox.iam.protocol.IamException;
import java.time.Instant;
import java.util.Map;

/** Managed policies: customer managed ones in the account, AWS managed ones from the catalogue. */
public final class Policies {
  static final int POLICIES_PER_ACCOUNT = 1500;

  private Policies() {}

  static ManagedPolicy create(
      Account a,
      String name,
      String path,
      String document,
      String description,
      Map<String, String> tags,
      Instant now) {
    if (a.policies.containsKey(Account.key(name))) {
      throw IamException.alreadyExists(
          "A policy called " + name + " already exists. Duplicate names are not allowed.");
    }
    if (a.policies.size() >= POLICIES_PER_ACCOUNT) {
      throw IamException.quota("PoliciesPerAccount", POLICIES_PER_ACCOUNT);
    }
    ManagedPolicy p = new ManagedPolicy();
    p.name = name;
    p.path = path;
    p.id = Ids.uniqueId("ANPA");
    p.arn = a.arn("policy", path, name);
    p.description = description;
    p.createDate = now;
    p.updateDate = now;
    p.versions.add(new ManagedPolicy.PolicyVersion("v1", document, now));
    p.tags.putAll(tags);
    a.policies.put(Account.key(name), p);
    return p;
  }

  /** The customer managed policy with this ARN, or null. */
  static ManagedPolicy customer(Account a, String arn) {
    for (ManagedPolicy p : a.policies.values()) {
      if (p.arn.equalsIgnoreCase(arn)) {
        return p;
      }
    }
    return null;
  }

  /** Whether a managed policy with this ARN exists for the account. */
  static boolean exists(Account a, String arn) {
    return customer(a, arn) != null || AwsManagedPolicies.byArn(arn) != null;
  }

  /** An ARN, or a name of a customer or AWS managed policy, resolved to an existing ARN. */
  static String resolve(Account a, String nameOrArn) {
    if (nameOrArn.startsWith("arn:")) {
      ManagedPolicy p = customer(a, nameOrArn);
      if (p != null) {
        return p.arn;
      }
      if (AwsManagedPolicies.byArn(nameOrArn) != null) {
        return nameOrArn;
      }
    } else {
      ManagedPolicy p = a.policies.get(Account.key(nameOrArn));
      if (p != null) {
        return p.arn;
      }
      AwsManagedPolicies.Entry e = AwsManagedPolicies.byName(nameOrArn);
      if (e != null) {
        return e.arn();
      }
    }
    throw IamException.noSuchEntity(
        "Policy " + nameOrArn + " does not exist or is not attachable.");
  }
}
