package dev.roster.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a principal with these policies can escalate: any IAM write action (but those in
 * {@link IamWriteActions#NOT_ESCALATING}) or any path of {@link EscalationPaths#KNOWN} that may be
 * allowed on some resource. Undecided conditions count as allowing, so the answer errs towards
 * "escalates".
 */
public final class EscalationAnalysis {
  private EscalationAnalysis() {}

  public static EscalationReport analyse(PolicySet policies) {
    return analyse(policies, EscalationPaths.KNOWN);
  }

  public static EscalationReport analyse(PolicySet policies, List<EscalationPath> catalogue) {
    List<EscalationReport.Grant> writes = new ArrayList<>();
    for (String action : IamWriteActions.ALL) {
      if (IamWriteActions.NOT_ESCALATING.contains(action)) {
        continue;
      }
      EscalationReport.Grant grant = grant(policies, Request.of("iam:" + action));
      if (grant != null) {
        writes.add(grant);
      }
    }
    List<EscalationReport.OpenPath> paths = new ArrayList<>();
    for (EscalationPath path : catalogue) {
      List<EscalationReport.Grant> steps = new ArrayList<>();
      for (Request step : path.requires()) {
        EscalationReport.Grant grant = grant(policies, step);
        if (grant == null) {
          steps = null;
          break;
        }
        steps.add(grant);
      }
      if (steps != null) {
        boolean certain = steps.stream().allMatch(g -> g.decision() == Decision.ALLOWED);
        paths.add(
            new EscalationReport.OpenPath(
                path, certain ? Decision.ALLOWED : Decision.MAY_ALLOW, steps));
      }
    }
    return new EscalationReport(writes, paths);
  }

  private static EscalationReport.Grant grant(PolicySet policies, Request request) {
    Evaluation e = policies.evaluate(request);
    if (!e.decision().mayBeAllowed()) {
      return null;
    }
    return new EscalationReport.Grant(request.action(), e.decision(), e.allowedBy());
  }
}
