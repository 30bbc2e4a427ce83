package dev.roster.auditor.console;

import dev.roster.auditor.query.Views.AccountView;
import dev.roster.auditor.query.Views.OutcomeView;
import dev.roster.auditor.query.Views.Timeline;
import dev.roster.auditor.query.Views.TimelineEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Access per account as the log last heard it: for every account any outcome of this person named,
 * the state in the latest such outcome (by seq). Read from the timeline the API serves; an account
 * no outcome named is not listed (the log cannot tell).
 */
public record AccountAccess(
    String account,
    String name,
    String state,
    Boolean cutOffVerified,
    String reason,
    String eventId,
    String outcome,
    long seq) {

  /** Whether this state leaves access possibly open (in doubt: yes). */
  public boolean possiblyOpen() {
    return !"cut_off".equals(state) && !"completed".equals(state)
        || Boolean.FALSE.equals(cutOffVerified);
  }

  public static List<AccountAccess> of(Timeline timeline) {
    Map<String, AccountAccess> latest = new LinkedHashMap<>();
    for (TimelineEntry e : timeline.entries()) {
      OutcomeView o = e.outcome();
      if (o == null || o.accounts() == null) {
        continue;
      }
      for (AccountView a : o.accounts()) {
        AccountAccess seen = latest.get(a.account());
        if (seen == null || seen.seq() < o.seq()) {
          latest.put(
              a.account(),
              new AccountAccess(
                  a.account(),
                  a.name(),
                  a.state(),
                  a.cutOffVerified(),
                  a.reason(),
                  o.eventId(),
                  o.outcome(),
                  o.seq()));
        }
      }
    }
    return latest.values().stream()
        .sorted(java.util.Comparator.comparing(AccountAccess::account))
        .toList();
  }
}
