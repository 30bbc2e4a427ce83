package dev.roster.provisioner.plan;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Applies operations to a {@link UserState} the way IAM would, for planner tests. */
public final class InMemoryIam {
  private InMemoryIam() {}

  public static UserState apply(UserState s, Operation op) {
    if (op.action() == IamAction.CREATE_USER) {
      if (s != null) {
        throw new IllegalStateException("EntityAlreadyExists: " + op.userName());
      }
      return new UserState(
          op.userName(),
          op.tags(),
          Set.of(),
          Set.of(),
          true,
          false,
          Set.of(),
          Set.of(),
          Set.of(),
          Set.of(),
          Set.of(),
          Set.of());
    }
    if (s == null) {
      throw new IllegalStateException("NoSuchEntity: " + op.userName());
    }
    Map<String, String> tags = new HashMap<>(s.tags());
    Set<String> groups = new HashSet<>(s.groups());
    Set<String> inline = new HashSet<>(s.inlinePolicies());
    boolean login = s.loginProfile();
    Set<String> keys = new HashSet<>(s.activeAccessKeys());
    Set<String> ssh = new HashSet<>(s.activeSshKeys());
    Set<String> svc = new HashSet<>(s.activeServiceCredentials());
    Set<String> certs = new HashSet<>(s.activeSigningCertificates());
    Set<String> mfa = new HashSet<>(s.mfaDevices());
    Set<String> attached = new HashSet<>(s.attachedPolicies());
    String t = op.target();
    switch (op.action()) {
      case ADD_USER_TO_GROUP -> must(groups.add(t), op);
      case REMOVE_USER_FROM_GROUP -> must(groups.remove(t), op);
      case TAG_USER -> tags.putAll(op.tags());
      case UNTAG_USER -> op.tagKeys().forEach(tags::remove);
      case PUT_USER_POLICY -> inline.add(t);
      case DELETE_USER_POLICY -> must(inline.remove(t), op);
      case DETACH_USER_POLICY -> must(attached.remove(t), op);
      case DELETE_LOGIN_PROFILE -> {
        must(login, op);
        login = false;
      }
      case UPDATE_ACCESS_KEY -> must(keys.remove(t), op);
      case UPDATE_SSH_PUBLIC_KEY -> must(ssh.remove(t), op);
      case UPDATE_SERVICE_SPECIFIC_CREDENTIAL -> must(svc.remove(t), op);
      case UPDATE_SIGNING_CERTIFICATE -> must(certs.remove(t), op);
      case DEACTIVATE_MFA_DEVICE -> must(mfa.remove(t), op);
      default -> throw new IllegalStateException("unexpected " + op);
    }
    return new UserState(
        s.userName(),
        tags,
        groups,
        inline,
        s.credentialsRead(),
        login,
        keys,
        ssh,
        svc,
        certs,
        mfa,
        attached);
  }

  private static void must(boolean applies, Operation op) {
    if (!applies) {
      throw new IllegalStateException("NoSuchEntity: " + op);
    }
  }
}
