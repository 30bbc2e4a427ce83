package dev.roster.provisioner.journal;

import dev.roster.provisioner.plan.UserState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides which mutations of an unfinished intent an earlier attempt applied: those the new plan no
 * longer contains and whose effect IAM now shows. Pure; the caller publishes them as applied under
 * their journaled change ids (the auditor stores a change id once, so one that did get out before
 * the crash is not duplicated).
 */
public final class Recovery {
  private Recovery() {}

  /**
   * @param current the user as just read, per account name (absent: no user there, or not read)
   * @param planned change ids of the mutations the new plan will apply
   */
  public static List<JournaledOp> applied(
      Intent intent, Map<String, UserState> current, Set<String> planned) {
    List<JournaledOp> applied = new ArrayList<>();
    for (JournaledOp op : intent.operations()) {
      if (!planned.contains(op.changeId()) && effectPresent(op, current.get(op.account()))) {
        applied.add(op);
      }
    }
    return applied;
  }

  /** Whether IAM shows the effect of the mutation; unknown (credentials not read) counts as no. */
  static boolean effectPresent(JournaledOp op, UserState user) {
    if (user == null) {
      return false; // every mutation leaves a user behind
    }
    String t = op.target();
    return switch (op.action()) {
      case CREATE_USER -> true;
      case ADD_USER_TO_GROUP -> containsIgnoreCase(user.groups(), t);
      case REMOVE_USER_FROM_GROUP -> !containsIgnoreCase(user.groups(), t);
      case TAG_USER ->
          op.tags().entrySet().stream()
              .allMatch(e -> e.getValue().equals(user.tags().get(e.getKey())));
      case UNTAG_USER -> op.tagKeys().stream().noneMatch(user.tags()::containsKey);
      case PUT_USER_POLICY -> user.inlinePolicies().contains(t);
      case DELETE_USER_POLICY -> !user.inlinePolicies().contains(t);
      case DETACH_USER_POLICY -> user.credentialsRead() && !user.attachedPolicies().contains(t);
      case DELETE_LOGIN_PROFILE -> user.credentialsRead() && !user.loginProfile();
      case UPDATE_ACCESS_KEY -> user.credentialsRead() && !user.activeAccessKeys().contains(t);
      case UPDATE_SSH_PUBLIC_KEY -> user.credentialsRead() && !user.activeSshKeys().contains(t);
      case UPDATE_SERVICE_SPECIFIC_CREDENTIAL ->
          user.credentialsRead() && !user.activeServiceCredentials().contains(t);
      case UPDATE_SIGNING_CERTIFICATE ->
          user.credentialsRead() && !user.activeSigningCertificates().contains(t);
      case DEACTIVATE_MFA_DEVICE -> user.credentialsRead() && !user.mfaDevices().contains(t);
      // Retention deletions are not planned by events (see schedule.Retention).
      case DELETE_ACCESS_KEY,
          DELETE_SSH_PUBLIC_KEY,
          DELETE_SERVICE_SPECIFIC_CREDENTIAL,
          DELETE_SIGNING_CERTIFICATE,
          DELETE_USER ->
          false;
    };
  }

  private static boolean containsIgnoreCase(Set<String> values, String value) {
    String v = value.toLowerCase(Locale.ROOT);
    return values.stream().anyMatch(x -> x.toLowerCase(Locale.ROOT).equals(v));
  }
}
