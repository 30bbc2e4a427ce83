package dev.roster.provisioner.plan;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The order of a cut-off's cleanup, in tiers: the operations of a tier are independent of each
 * other (they may run at the same time), a tier starts only once the one before is done. The
 * deny-all is a tier of its own, first; the ways in that do not need a session (console password,
 * access keys) go next, then the other credentials, MFA, memberships, policies, and the tags that
 * record the deactivation last. Pure.
 */
public final class Tiers {
  private Tiers() {}

  private static final Map<IamAction, Integer> TIER = new EnumMap<>(IamAction.class);

  static {
    TIER.put(IamAction.PUT_USER_POLICY, 0);
    TIER.put(IamAction.DELETE_LOGIN_PROFILE, 1);
    TIER.put(IamAction.UPDATE_ACCESS_KEY, 1);
    TIER.put(IamAction.UPDATE_SSH_PUBLIC_KEY, 2);
    TIER.put(IamAction.UPDATE_SERVICE_SPECIFIC_CREDENTIAL, 2);
    TIER.put(IamAction.UPDATE_SIGNING_CERTIFICATE, 3);
    TIER.put(IamAction.DEACTIVATE_MFA_DEVICE, 4);
    TIER.put(IamAction.REMOVE_USER_FROM_GROUP, 5);
    TIER.put(IamAction.DETACH_USER_POLICY, 6);
    TIER.put(IamAction.DELETE_USER_POLICY, 6);
    TIER.put(IamAction.TAG_USER, 7);
    TIER.put(IamAction.UNTAG_USER, 7);
  }

  /**
   * A deactivating plan's operations in tiers, each tier in plan order; an operation that is not
   * part of a cut-off (e.g. CreateUser) makes the plan one operation per tier, in plan order.
   */
  public static List<List<Operation>> of(List<Operation> cutOff) {
    if (cutOff.stream().anyMatch(op -> !TIER.containsKey(op.action()))) {
      return cutOff.stream().map(List::of).toList();
    }
    List<List<Operation>> tiers = new ArrayList<>();
    int current = -1;
    for (Operation op :
        cutOff.stream()
            .sorted(java.util.Comparator.comparingInt(o -> TIER.get(o.action())))
            .toList()) {
      int tier = TIER.get(op.action());
      if (tier != current) {
        tiers.add(new ArrayList<>());
        current = tier;
      }
      tiers.get(tiers.size() - 1).add(op);
    }
    return tiers.stream().map(List::copyOf).toList();
  }
}
