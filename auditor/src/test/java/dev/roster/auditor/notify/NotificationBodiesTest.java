package dev.roster.auditor.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.auditor.chain.AccountOutcome;
import dev.roster.auditor.chain.AccountOutcome.State;
import dev.roster.auditor.reconciliation.ReconciliationDraft;
import dev.roster.events.EventJson;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.SnapshotMode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which stored outcomes and statuses are announced, and what the body says. */
class NotificationBodiesTest {
  private static final Instant NOW = Instant.parse("2032-03-01T09:00:07Z");
  private static final Instant CUT = Instant.parse("2032-03-01T09:00:01Z");
  private static final NotificationBodies BODIES =
      new NotificationBodies(Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));

  private static AccountOutcome account(String id, State state, Boolean verified) {
    return new AccountOutcome(id, "acct-" + id.charAt(0), state, null, verified);
  }

  private static Optional<Notification> leave(
      String outcome, Instant cutOffAt, List<AccountOutcome> accounts) {
    return BODIES.leaveOutcome("evt-1", "E1", outcome, cutOffAt, accounts);
  }

  private static JsonNode json(Notification n) throws Exception {
    return EventJson.mapper().readTree(n.body());
  }

  @Test
  void aCleanVerifiedLeaveAHeldOneAndARescindedOneAreNotAnnounced() {
    List<AccountOutcome> clean =
        List.of(
            account("111111111111", State.COMPLETED, true),
            account("333333333333", State.CUT_OFF, true));
    assertThat(leave("completed", CUT, clean)).isEmpty();
    assertThat(leave("failed", CUT, clean)).isEmpty(); // cut off everywhere, cleanup failed
    assertThat(leave("scheduled", null, List.of())).isEmpty();
    assertThat(leave("cancelled", null, List.of())).isEmpty();
    assertThat(leave("completed", null, null)).isEmpty(); // older shape, completed
  }

  @Test
  void anAccountFailedOrSkippedOrNoCutOffTimeIsCutOffFailed() throws Exception {
    Notification failed =
        leave(
                "failed",
                null,
                List.of(
                    account("111111111111", State.COMPLETED, true),
                    account("333333333333", State.FAILED, null)))
            .orElseThrow();
    assertThat(failed.kind()).isEqualTo(NotificationKind.CUT_OFF_FAILED);
    assertThat(failed.notificationId()).isEqualTo("cut-off:evt-1:failed");
    assertThat(failed.eventId()).isEqualTo("evt-1");
    JsonNode body = json(failed);
    assertThat(body.get("account").asText()).isEqualTo("333333333333");
    assertThat(body.get("at").asText()).isEqualTo("2032-03-01T09:00:07Z");
    assertThat(body.has("link")).isFalse();

    assertThat(
            leave("completed", CUT, List.of(account("333333333333", State.SKIPPED, null)))
                .orElseThrow()
                .kind())
        .isEqualTo(NotificationKind.CUT_OFF_FAILED);
    Notification noTime =
        leave("completed", null, List.of(account("333333333333", State.COMPLETED, true)))
            .orElseThrow();
    assertThat(noTime.kind()).isEqualTo(NotificationKind.CUT_OFF_FAILED);
    assertThat(json(noTime).get("text").asText()).contains("without a cut-off time");
    assertThat(leave("failed", null, null).orElseThrow().kind())
        .isEqualTo(NotificationKind.CUT_OFF_FAILED);
  }

  @Test
  void anUnverifiedCutOffIsCutOffUnverifiedUnlessAnAccountIsAlsoNotCutOff() {
    assertThat(
            leave(
                    "completed",
                    CUT,
                    List.of(
                        account("111111111111", State.COMPLETED, true),
                        account("333333333333", State.COMPLETED, false)))
                .orElseThrow()
                .kind())
        .isEqualTo(NotificationKind.CUT_OFF_UNVERIFIED);
    assertThat(
            leave(
                    "failed",
                    null,
                    List.of(
                        account("111111111111", State.COMPLETED, false),
                        account("333333333333", State.FAILED, null)))
                .orElseThrow()
                .kind())
        .isEqualTo(NotificationKind.CUT_OFF_FAILED);
  }

  @Test
  void onlyAHeldReconciliationIsAnnouncedAndSlackMarkupIsEscaped() throws Exception {
    assertThat(BODIES.reconciliation(status(ReconciliationStatus.COMPLETED, "done"))).isEmpty();
    Notification held =
        BODIES.reconciliation(status(ReconciliationStatus.HELD, "<!channel> & more")).orElseThrow();
    assertThat(held.notificationId()).isEqualTo("reconciliation-held:snap-1");
    assertThat(json(held).get("text").asText())
        .contains("&lt;!channel&gt; &amp; more")
        .doesNotContain("<!channel>");
  }

  private static ReconciliationDraft.Status status(ReconciliationStatus status, String reason) {
    return new ReconciliationDraft.Status(
        "snap-1",
        status,
        "snapshot",
        SnapshotMode.APPLY,
        NOW,
        NOW,
        200,
        null,
        null,
        null,
        120,
        reason,
        0,
        1L);
  }
}
