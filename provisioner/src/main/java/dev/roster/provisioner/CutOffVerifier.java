package dev.roster.provisioner;

import dev.roster.events.HrEvent;
import dev.roster.policy.DenyAllVerdict;
import dev.roster.provisioner.config.RoleMapping.Account;
import dev.roster.provisioner.iam.IamFailure;
import dev.roster.provisioner.iam.IamGateway;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.logging.Log;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks IAM itself whether a user Roster just cut off is denied everything: {@code
 * SimulatePrincipalPolicy} on the user for {@link DenyAllVerdict#SENSITIVE_ACTIONS}, judged by
 * {@link DenyAllVerdict#fromSimulation}. Only an explicit deny of every action counts: a deny-all
 * altered by hand (a {@code NotAction}, a condition) or a simulation that cannot be run is an alert
 * (WARN naming the event, the account and the actions left open) and counts in {@code
 * roster_cutoff_unverified_total}. The cut-off itself is not undone or held by this: it is a check.
 */
public final class CutOffVerifier {
  static final String METRIC = "roster.cutoff.unverified";

  private final IamGateway iam;
  private final Counter unverified;

  public CutOffVerifier(IamGateway iam, MeterRegistry registry) {
    this.iam = iam;
    this.unverified =
        Counter.builder(METRIC)
            .description(
                "cut-offs whose deny-all IAM's policy simulation did not confirm (an alert)")
            .register(registry);
  }

  /** Without metrics (tests). */
  static CutOffVerifier of(IamGateway iam) {
    return new CutOffVerifier(iam, new SimpleMeterRegistry());
  }

  /** True when IAM answers {@code explicitDeny} for every sensitive action of the user. */
  boolean verify(HrEvent event, Account account, String userName) {
    List<String> actions = DenyAllVerdict.SENSITIVE_ACTIONS;
    try {
      Map<String, String> answer = new LinkedHashMap<>();
      Map<String, String> simulated = iam.simulate(account.name(), userName, actions);
      // An action IAM did not answer for is not denied.
      actions.forEach(a -> answer.put(a, simulated.getOrDefault(a, "missing")));
      DenyAllVerdict verdict = DenyAllVerdict.fromSimulation(answer);
      if (verdict.deniedEverything()) {
        return true;
      }
      Log.warnf(
          "ALERT cut-off not verified: event %s of employee %s, account %s (%s), user %s: IAM does"
              + " not deny %s",
          event.eventId(),
          event.employeeId(),
          account.name(),
          account.id(),
          userName,
          verdict.notDenied());
    } catch (IamFailure e) {
      Log.warnf(
          "ALERT cut-off not verified: event %s of employee %s, account %s (%s), user %s:"
              + " SimulatePrincipalPolicy failed: %s",
          event.eventId(),
          event.employeeId(),
          account.name(),
          account.id(),
          userName,
          e.getMessage());
    }
    unverified.increment();
    return false;
  }
}
