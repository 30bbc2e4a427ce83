package dev.roster.sandbox.iam.eval;

import dev.roster.sandbox.iam.action.AwsManagedPolicies;
import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.model.Group;
import dev.roster.sandbox.iam.model.InlinePolicy;
import dev.roster.sandbox.iam.model.ManagedPolicy;
import dev.roster.sandbox.iam.model.User;
import java.util.ArrayList;
import java.util.List;

/**
 * The identity policies in force for a user (its inline and attached policies and those of its
 * groups) or a group, read from the sandbox's state; managed policies by their default version.
 */
public final class Principals {
  private Principals() {}

  public static List<IamPolicy> user(Account account, User user) {
    List<IamPolicy> out = new ArrayList<>();
    for (InlinePolicy p : user.inlinePolicies.values()) {
      out.add(IamPolicy.parse(p.name, "user", p.document));
    }
    managed(account, user.attachedPolicies, out);
    for (String key : user.groups) {
      Group g = account.groups.get(key);
      if (g != null) {
        out.addAll(group(account, g));
      }
    }
    return out;
  }

  public static List<IamPolicy> group(Account account, Group group) {
    List<IamPolicy> out = new ArrayList<>();
    for (InlinePolicy p : group.inlinePolicies.values()) {
      out.add(IamPolicy.parse(p.name, "group", p.document));
    }
    managed(account, group.attachedPolicies, out);
    return out;
  }

  private static void managed(Account account, List<String> arns, List<IamPolicy> out) {
    for (String arn : arns) {
      ManagedPolicy customer = customer(account, arn);
      if (customer != null) {
        ManagedPolicy.PolicyVersion v = customer.version(customer.defaultVersionId);
        if (v != null) {
          out.add(IamPolicy.parse(customer.name, "user-managed", v.document));
        }
        continue;
      }
      AwsManagedPolicies.Entry aws = AwsManagedPolicies.byArn(arn);
      if (aws != null) {
        out.add(IamPolicy.parse(aws.name(), "aws-managed", aws.document()));
      }
    }
  }

  private static ManagedPolicy customer(Account account, String arn) {
    for (ManagedPolicy p : account.policies.values()) {
      if (p.arn.equalsIgnoreCase(arn)) {
        return p;
      }
    }
    return null;
  }
}
