package dev.roster.provisioner.guard;

import dev.roster.policy.EscalationAnalysis;
import dev.roster.policy.EscalationReport;
import dev.roster.policy.PolicySet;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.iam.IamGateway;
import io.quarkus.logging.Log;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The escalation guard: a group whose policies let a member write IAM or take a known escalation
 * path ({@link EscalationAnalysis}) may be granted only if the role mapping marks it {@code
 * privileged} in that account. Every mapped group of every account is reviewed at start-up ({@link
 * #review}); a group that could not be read then (or was missing) is read again when an event first
 * wants to add someone to it, and refused while it cannot be read: in doubt, no grant.
 */
public class PrivilegeGuard {
  /** Refuses nothing and reads nothing (tests of other behaviour). */
  public static final PrivilegeGuard NONE =
      new PrivilegeGuard(null, null) {
        @Override
        public Optional<String> refusal(String account, String group) {
          return Optional.empty();
        }
      };

  private final RoleMapping mapping;
  private final IamGateway iam;

  /**
   * Verdicts by account and lower-case group name: the refusal, or "" when the group may be
   * granted.
   */
  private final Map<String, String> verdicts = new ConcurrentHashMap<>();

  public PrivilegeGuard(RoleMapping mapping, IamGateway iam) {
    this.mapping = mapping;
    this.iam = iam;
  }

  /**
   * Reads every mapped group's policies in every account and judges it; an escalating group not
   * marked privileged is reported (WARN) and refused from now on.
   */
  public PrivilegeGuard review() {
    for (String account : mapping.accounts().keySet()) {
      for (String group : mapping.managedGroups(account)) {
        try {
          judge(account, group);
        } catch (RuntimeException e) {
          Log.warnf(
              "escalation guard: policies of group %s in account %s could not be read at"
                  + " start-up (%s); read again before anyone is added to it",
              group, account, e.getMessage());
        }
      }
    }
    return this;
  }

  /**
   * One mapped group as a review judged it: why it is refused ({@code refusal}), or that its
   * policies could not be read ({@code unreadable}, the error); both empty: it may be granted, or
   * it does not exist.
   */
  public record Judgement(
      String account, String group, Optional<String> refusal, Optional<String> unreadable) {}

  /**
   * Reads and judges every mapped group of one account again (a review run): a policy attached to a
   * group since start-up is seen now, and refused from now on. A group that cannot be read loses
   * its verdict, so that the next grant reads it again (and is refused while it cannot be read).
   */
  public List<Judgement> reanalyse(String account) {
    List<Judgement> out = new java.util.ArrayList<>();
    for (String group : mapping.managedGroups(account)) {
      try {
        out.add(new Judgement(account, group, judge(account, group), Optional.empty()));
      } catch (RuntimeException e) {
        verdicts.remove(key(account, group));
        out.add(
            new Judgement(
                account, group, Optional.empty(), Optional.of(String.valueOf(e.getMessage()))));
      }
    }
    return out;
  }

  /**
   * Why nobody may be added to {@code group} in {@code account}, or empty when the group may be
   * granted.
   */
  public Optional<String> refusal(String account, String group) {
    String known = verdicts.get(key(account, group));
    if (known != null) {
      return known.isEmpty() ? Optional.empty() : Optional.of(known);
    }
    try {
      return judge(account, group);
    } catch (RuntimeException e) {
      return Optional.of(
          "group "
              + group
              + " in account "
              + account
              + ": its policies could not be read to rule out IAM escalation ("
              + e.getMessage()
              + ")");
    }
  }

  private Optional<String> judge(String account, String group) {
    Optional<PolicySet> policies = iam.groupPolicies(account, group);
    if (policies.isEmpty()) {
      // Not cached: a group created later is judged then; until then grants fail as missing-group.
      return Optional.empty();
    }
    EscalationReport report = EscalationAnalysis.analyse(policies.get());
    String verdict = "";
    if (report.escalates()) {
      String how = describe(report);
      Optional<String> reason = mapping.privilegedReason(account, group);
      if (reason.isPresent()) {
        Log.infof(
            "escalation guard: group %s in account %s is privileged (%s); its members may %s",
            group, account, reason.get(), how);
      } else {
        verdict =
            "group "
                + group
                + " in account "
                + account
                + " lets its members escalate ("
                + how
                + ") and the role mapping does not mark it privileged";
        Log.warnf("escalation guard: %s; nobody will be added to it", verdict);
      }
    } else if (mapping.privilegedReason(account, group).isPresent()) {
      Log.infof(
          "escalation guard: group %s in account %s is marked privileged but its policies allow"
              + " no IAM write or escalation path",
          group, account);
    }
    verdicts.put(key(account, group), verdict);
    return verdict.isEmpty() ? Optional.empty() : Optional.of(verdict);
  }

  /** The escalation paths and IAM writes open, named briefly (at most a few of each). */
  static String describe(EscalationReport report) {
    List<String> writes = report.iamWrites().stream().map(EscalationReport.Grant::action).toList();
    List<String> paths = report.paths().stream().map(p -> p.path().id()).toList();
    return Stream.of(
            paths.isEmpty() ? null : "escalation paths " + first(paths),
            writes.isEmpty() ? null : writes.size() + " IAM write actions: " + first(writes))
        .filter(s -> s != null)
        .reduce((a, b) -> a + "; " + b)
        .orElse("");
  }

  private static String first(List<String> items) {
    int shown = Math.min(items.size(), 8);
    String list = String.join(", ", items.subList(0, shown));
    return items.size() > shown ? list + " (+" + (items.size() - shown) + " more)" : list;
  }

  private static String key(String account, String group) {
    return account + "\u0000" + group.toLowerCase(Locale.ROOT);
  }
}
