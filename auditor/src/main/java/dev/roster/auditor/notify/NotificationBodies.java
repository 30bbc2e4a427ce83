package dev.roster.auditor.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.auditor.chain.AccountOutcome;
import dev.roster.auditor.chain.CutOffCheck;
import dev.roster.auditor.query.Views;
import dev.roster.auditor.reconciliation.ReconciliationDraft;
import dev.roster.auditor.review.ReviewDraft;
import dev.roster.events.EventJson;
import dev.roster.events.ReconciliationStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides which stored facts deserve a notification and writes their bodies: Slack-compatible
 * ({@code text}, with Slack's three control characters escaped) plus Roster's own fields, which
 * name what happened and where to look, never a credential, a reason text from IAM or anything a
 * receiver could act with. Pure: no I/O.
 */
public final class NotificationBodies {
  private static final ObjectMapper JSON = EventJson.mapper();

  private final String linkBase;
  private final Clock clock;

  public NotificationBodies(Optional<String> linkBaseUrl, Clock clock) {
    this.linkBase = linkBaseUrl.map(u -> u.replaceAll("/+$", "")).orElse(null);
    this.clock = clock;
  }

  /** The id of the notification about one outcome of one leave. */
  static String cutOffId(String eventId, String outcome) {
    return "cut-off:" + eventId + ":" + outcome;
  }

  /**
   * A leave's outcome that leaves access possibly open: an account failed or not cut off, no
   * cut-off time, or a cut-off IAM did not verify (the leavers report's rule); an outcome without
   * the per-account list when it is not {@code completed}. Nothing for a held or rescinded leave.
   */
  public Optional<Notification> leaveOutcome(
      String eventId,
      String employeeId,
      String outcome,
      Instant cutOffAt,
      List<AccountOutcome> accounts) {
    if (!Views.applied(outcome)) {
      return Optional.empty();
    }
    CutOffCheck check = CutOffCheck.of(accounts);
    boolean failed;
    if (accounts == null) {
      failed = !"completed".equals(outcome);
      if (!failed) {
        return Optional.empty();
      }
    } else if (!check.possiblyOpen(cutOffAt)) {
      return Optional.empty();
    } else {
      failed = check.notCutOff(cutOffAt);
    }
    NotificationKind kind =
        failed ? NotificationKind.CUT_OFF_FAILED : NotificationKind.CUT_OFF_UNVERIFIED;
    List<String> named = failed ? check.notCutOff() : check.notVerified();
    List<AccountOutcome> problems =
        accounts == null
            ? List.of()
            : accounts.stream().filter(a -> named.contains(a.account())).toList();
    String where =
        problems.stream()
            .map(a -> (a.name() == null ? "" : a.name() + " ") + a.account())
            .collect(Collectors.joining(", "));
    String text;
    if (!failed) {
      text =
          "Roster: leave "
              + eventId
              + " of "
              + employeeId
              + " is cut off, but IAM did not confirm the deny-all in "
              + where;
    } else if (!problems.isEmpty()) {
      text =
          "Roster: leave "
              + eventId
              + " of "
              + employeeId
              + " is not cut off in "
              + problems.stream()
                  .map(
                      a ->
                          (a.name() == null ? "" : a.name() + " ")
                              + a.account()
                              + " ("
                              + a.state().wireName()
                              + ")")
                  .collect(Collectors.joining(", "))
              + ": access may still be open";
    } else {
      text =
          "Roster: leave "
              + eventId
              + " of "
              + employeeId
              + " ended "
              + outcome
              + " without a cut-off time: access may still be open";
    }
    ObjectNode body = start(text, kind, cutOffId(eventId, outcome));
    body.put("eventId", eventId);
    body.put("employeeId", employeeId);
    body.put("outcome", outcome);
    body.put("cutOffAt", cutOffAt == null ? null : cutOffAt.toString());
    body.put("account", problems.isEmpty() ? null : problems.get(0).account());
    ArrayNode list = body.putArray("accounts");
    for (AccountOutcome a : problems) {
      ObjectNode entry = list.addObject();
      entry.put("account", a.account());
      entry.put("name", a.name());
      entry.put("state", a.state().wireName());
      if (a.cutOffVerified() != null) {
        entry.put("cutOffVerified", a.cutOffVerified());
      }
    }
    link(body, "/console/employee?employeeId=" + encode(employeeId));
    return Optional.of(new Notification(cutOffId(eventId, outcome), kind, eventId, text(body)));
  }

  /** A status record of a reconciliation the mass-change guard held; nothing for others. */
  public Optional<Notification> reconciliation(ReconciliationDraft.Status s) {
    if (s.status() != ReconciliationStatus.HELD) {
      return Optional.empty();
    }
    String id = "reconciliation-held:" + s.reconciliationId();
    String text =
        "Roster: reconciliation "
            + s.reconciliationId()
            + " is held by the mass-change guard"
            + (s.reason() == null ? "" : ": " + s.reason())
            + ". Nothing was changed; it waits for a signed approval";
    ObjectNode body = start(text, NotificationKind.RECONCILIATION_HELD, id);
    body.put("reconciliationId", s.reconciliationId());
    body.put("source", s.source());
    body.put("mode", s.mode() == null ? null : s.mode().wireName());
    body.put("employees", s.employees());
    body.put("deactivations", s.deactivations());
    link(body, "/console/reconciliation?id=" + encode(s.reconciliationId()));
    return Optional.of(
        new Notification(id, NotificationKind.RECONCILIATION_HELD, null, text(body)));
  }

  /** A finding seen for the first time. */
  public Notification newFinding(ReviewDraft.Finding f) {
    String id = "new-finding:" + f.findingId();
    String text =
        "Roster: new finding "
            + f.kind().wireName()
            + (f.account() == null ? " (organization-wide)" : " in account " + f.account())
            + (f.employeeId() == null ? "" : " for " + f.employeeId())
            + ", review "
            + f.reviewId();
    ObjectNode body = start(text, NotificationKind.NEW_FINDING, id);
    body.put("findingId", f.findingId());
    body.put("findingKind", f.kind().wireName());
    body.put("account", f.account());
    body.put("employeeId", f.employeeId());
    body.put("userName", f.userName());
    body.put("reviewId", f.reviewId());
    body.put("observedAt", f.observedAt() == null ? null : f.observedAt().toString());
    link(body, "/console/findings?status=open&kind=" + encode(f.kind().wireName()));
    return new Notification(id, NotificationKind.NEW_FINDING, null, text(body));
  }

  private ObjectNode start(String text, NotificationKind kind, String notificationId) {
    ObjectNode body = JSON.createObjectNode();
    body.put("text", slack(text));
    body.put("kind", kind.wireName());
    body.put("notificationId", notificationId);
    body.put("at", clock.instant().toString());
    return body;
  }

  private void link(ObjectNode body, String path) {
    if (linkBase != null) {
      body.put("link", linkBase + path);
    }
  }

  /** Slack reads {@code &}, {@code <} and {@code >} as markup: escaped as its API asks. */
  static String slack(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String text(ObjectNode body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a notification", e);
    }
  }
}
