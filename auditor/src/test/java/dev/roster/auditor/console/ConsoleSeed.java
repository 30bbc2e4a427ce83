package dev.roster.auditor.console;

import static dev.roster.auditor.Fixtures.api;
import static org.awaitility.Awaitility.await;

import dev.roster.auditor.Fixtures;
import dev.roster.events.ChangeStatus;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What the console tests look at, produced to the real broker as hr-listener and the provisioner
 * publish it: a leaver cut off in 0.25 s, a leaver whose prod account failed (access possibly
 * open), a held leave, a hire granted two privileged groups (one reason carrying markup) besides a
 * plain one, and a person whose employee id and reason carry markup.
 */
final class ConsoleSeed {
  /** A day no other test writes into. */
  static final OffsetDateTime DAY = OffsetDateTime.of(2036, 2, 3, 0, 0, 0, 0, ZoneOffset.UTC);

  static final String HOSTILE_ID = "E<script>alert(1)</script>";
  static final String HOSTILE_REASON = "<script>alert('reason')</script>";
  static final String GRANT_REASON = "<script>alert('grant')</script> managers create users";

  final String clean = Fixtures.id("Eclean");
  final String stuck = Fixtures.id("Estuck");
  final String held = Fixtures.id("Eheld");
  final String hostile = HOSTILE_ID + Fixtures.id("");
  final String granted = Fixtures.id("Egrant");
  final HrEvent heldLeave;

  private static ConsoleSeed seeded;

  private ConsoleSeed() {
    HrEvent cleanLeave =
        Fixtures.hrEvent(clean, EventType.LEAVE, DAY.minusDays(2), DAY.plusHours(8));
    HrEvent stuckLeave =
        Fixtures.hrEvent(stuck, EventType.LEAVE, DAY.plusHours(9), DAY.plusHours(9));
    HrEvent hostileLeave =
        new HrEvent(
            Fixtures.id("evt"),
            EventType.LEAVE,
            hostile,
            DAY.plusHours(10),
            DAY.plusHours(10),
            null,
            HOSTILE_REASON);
    heldLeave = Fixtures.hrEvent(held, EventType.LEAVE, DAY.minusDays(1), DAY.plusDays(400));
    for (HrEvent e : List.of(cleanLeave, stuckLeave, hostileLeave, heldLeave)) {
      Fixtures.publish(e);
    }
    OffsetDateTime cleanCut = DAY.plusHours(8).plusNanos(250_000_000);
    Fixtures.publish(
        Fixtures.change(
            cleanLeave,
            "111111111111",
            "PutUserPolicy",
            "roster-deny-all",
            ChangeStatus.APPLIED,
            cleanCut));
    Fixtures.publish(
        Fixtures.change(
            cleanLeave,
            "111111111111",
            "DeleteLoginProfile",
            "console",
            ChangeStatus.APPLIED,
            cleanCut.plusSeconds(1)));
    Fixtures.publish(
        Fixtures.outcome(
            cleanLeave, Outcome.COMPLETED, DAY.plusHours(8), cleanCut.plusSeconds(2), 2, 0),
        cleanCut,
        List.of(Fixtures.account("111111111111", "dev", "completed", null, true)));

    OffsetDateTime stuckAt = DAY.plusHours(9).plusSeconds(3);
    Fixtures.publish(
        Fixtures.change(
            stuckLeave,
            "111111111111",
            "PutUserPolicy",
            "roster-deny-all",
            ChangeStatus.APPLIED,
            stuckAt.minusSeconds(2)));
    Fixtures.publish(
        Fixtures.change(
            stuckLeave,
            "333333333333",
            "PutUserPolicy",
            "roster-deny-all",
            ChangeStatus.FAILED,
            stuckAt.minusSeconds(1)));
    Fixtures.publish(
        Fixtures.outcome(stuckLeave, Outcome.FAILED, DAY.plusHours(9), stuckAt, 1, 1),
        null,
        List.of(
            Fixtures.account("111111111111", "dev", "cut_off", null, true),
            Fixtures.account("333333333333", "prod", "failed", "AccessDenied: not allowed")));

    Fixtures.publish(
        Fixtures.change(
            hostileLeave,
            "111111111111",
            "PutUserPolicy",
            "roster-deny-all",
            ChangeStatus.FAILED,
            DAY.plusHours(10).plusSeconds(1)));

    Fixtures.publish(
        new ProvisioningOutcome(
            heldLeave.eventId(),
            held,
            Outcome.SCHEDULED,
            new ProvisioningOutcome.Counts(0, 0, 0),
            DAY.minusDays(1),
            null,
            DAY.minusDays(1).plusNanos(10_000_000),
            null,
            List.of(),
            heldLeave.effectiveAt()));

    HrEvent grantedHire =
        Fixtures.hrEvent(granted, EventType.HIRE, DAY.plusHours(11), DAY.plusHours(11));
    Fixtures.publish(grantedHire);
    Fixtures.publish(
        Fixtures.change(
            grantedHire,
            "111111111111",
            "AddUserToGroup",
            "developers",
            ChangeStatus.APPLIED,
            DAY.plusHours(11).plusSeconds(1)));
    IamChange base =
        Fixtures.change(
            grantedHire,
            "111111111111",
            "AddUserToGroup",
            "iam-user-managers",
            ChangeStatus.APPLIED,
            DAY.plusHours(11).plusSeconds(2));
    Fixtures.publish(Fixtures.privileged(base, GRANT_REASON));
    base =
        Fixtures.change(
            grantedHire,
            "222222222222",
            "AddUserToGroup",
            "account-admins",
            ChangeStatus.APPLIED,
            DAY.plusHours(11).plusSeconds(3));
    Fixtures.publish(Fixtures.privileged(base, "administers the staging account"));

    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                api()
                            .queryParam("from", DAY.toString())
                            .queryParam("to", DAY.plusDays(1).toString())
                            .get("/v1/reports/leavers")
                            .jsonPath()
                            .getList("items.findAll { it.outcome != null }")
                            .size()
                        == 2
                    && api()
                            .queryParam("employeeId", hostile)
                            .get("/v1/changes")
                            .jsonPath()
                            .getList("items")
                            .size()
                        == 1
                    && api()
                            .queryParam("employeeId", held)
                            .get("/v1/scheduled")
                            .jsonPath()
                            .getList("items")
                            .size()
                        == 1
                    && api()
                            .queryParam("employeeId", granted)
                            .get("/v1/changes")
                            .jsonPath()
                            .getList("items")
                            .size()
                        == 3);
  }

  /** Seeded once per application start (records are never deleted). */
  static synchronized ConsoleSeed get() {
    if (seeded == null) {
      seeded = new ConsoleSeed();
    }
    return seeded;
  }
}
