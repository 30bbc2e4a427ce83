package dev.roster.provisioner;

import static dev.roster.provisioner.ProvisionerFlowTest.changes;
import static dev.roster.provisioner.ProvisionerFlowTest.outcomes;
import static dev.roster.provisioner.ProvisionerFlowTest.user;
import static dev.roster.provisioner.SeededIamSandbox.DEV;
import static dev.roster.provisioner.SeededIamSandbox.PROD;
import static dev.roster.provisioner.SeededIamSandbox.STAGING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.events.Topics;
import dev.roster.provisioner.plan.Tags;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Effective dating end to end: real Kafka, the IAM sandbox through the real SDK. Timing bounds are
 * generous (the machine is shared): "not before effectiveAt" is exact, "soon after" is a few
 * seconds; the firing itself looks for due entries every 100 ms.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(SeededIamSandbox.class)
class EffectiveDatingFlowTest {
  static final Duration LATE_BOUND = Duration.ofSeconds(5);
  static int seq;

  @BeforeAll
  static void clients() throws Exception {
    ProvisionerFlowTest.kafka = new KafkaClients(Topics.IAM_CHANGES, Topics.HR_EVENTS_DLQ);
    KafkaClients.awaitStableGroup("roster-provisioner", Topics.HR_EVENTS);
  }

  @AfterAll
  static void close() {
    ProvisionerFlowTest.kafka.close();
  }

  static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
  }

  static String id(String employeeId, String type) {
    return employeeId + "-" + type + "-d" + (++seq);
  }

  static String hire(String eventId, String employeeId, String username, OffsetDateTime effective) {
    return ("{\"eventId\":\"%s\",\"type\":\"hire\",\"employeeId\":\"%s\",\"occurredAt\":\"%s\"%s,"
            + "\"employee\":{\"username\":\"%s\",\"roles\":[\"developer\",\"sre\"]}}")
        .formatted(eventId, employeeId, now(), effective(effective), username);
  }

  static String leave(String eventId, String employeeId, OffsetDateTime effective) {
    return "{\"eventId\":\"%s\",\"type\":\"leave\",\"employeeId\":\"%s\",\"occurredAt\":\"%s\"%s}"
        .formatted(eventId, employeeId, now(), effective(effective));
  }

  static String cancel(String eventId, String employeeId, String cancels) {
    return ("{\"eventId\":\"%s\",\"type\":\"cancel\",\"employeeId\":\"%s\",\"occurredAt\":\"%s\","
            + "\"cancelsEventId\":\"%s\"}")
        .formatted(eventId, employeeId, now(), cancels);
  }

  private static String effective(OffsetDateTime effective) {
    return effective == null ? "" : ",\"effectiveAt\":\"" + effective + "\"";
  }

  static String send(String json) throws Exception {
    return ProvisionerFlowTest.send(json);
  }

  /** The latest outcome of the event with this outcome, once there is one. */
  static ProvisioningOutcome awaitOutcome(String employeeId, String eventId, Outcome outcome) {
    return await()
        .atMost(ProvisionerFlowTest.TIMEOUT)
        .until(
            () ->
                outcomes(employeeId).stream()
                    .filter(o -> o.eventId().equals(eventId) && o.outcome() == outcome)
                    .findFirst(),
            Optional::isPresent)
        .get();
  }

  static boolean cutOff(String account, String userName) {
    return user(account, userName).path("inlinePolicies").has(Tags.DENY_ALL_POLICY);
  }

  static List<IamChange> changesOf(String employeeId, String eventId) {
    return changes(employeeId).stream().filter(c -> c.eventId().equals(eventId)).toList();
  }

  @Test
  void aLeaveEffectiveInThreeSecondsChangesNothingBeforeAndCutsOffSoonAfter() throws Exception {
    String e = "E-DATED-1";
    assertThat(
            ProvisionerFlowTest.awaitOutcome(send(hire(id(e, "hire"), e, "dated.one", null)))
                .outcome())
        .isEqualTo(Outcome.COMPLETED);
    OffsetDateTime effective = now().plusSeconds(3);
    String leave = send(leave(id(e, "leave"), e, effective));

    ProvisioningOutcome scheduled = awaitOutcome(e, leave, Outcome.SCHEDULED);
    assertThat(scheduled.effectiveAt().toInstant()).isEqualTo(effective.toInstant());
    assertThat(scheduled.counts().planned()).isZero();
    assertThat(cutOff(DEV, "dated.one")).as("held: nothing changed yet").isFalse();
    assertThat(changesOf(e, leave)).isEmpty();

    ProvisioningOutcome done = awaitOutcome(e, leave, Outcome.COMPLETED);
    assertThat(done.cutOffAt()).isNotNull();
    assertThat(done.cutOffAt().toInstant())
        .as("never before effectiveAt")
        .isAfterOrEqualTo(effective.toInstant())
        .as("soon after it (generous bound under load)")
        .isBefore(effective.toInstant().plus(LATE_BOUND));
    assertThat(changesOf(e, leave))
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.at().toInstant()).isAfterOrEqualTo(effective.toInstant()));
    for (String account : List.of(DEV, STAGING, PROD)) {
      assertThat(cutOff(account, "dated.one")).as(account).isTrue();
    }
  }

  @Test
  void aCancelledPendingLeaveNeverChangesAnythingAndBothAreCancelled() throws Exception {
    String e = "E-DATED-2";
    ProvisionerFlowTest.awaitOutcome(send(hire(id(e, "hire"), e, "dated.two", null)));
    OffsetDateTime effective = now().plusSeconds(3);
    String leave = send(leave(id(e, "leave"), e, effective));
    awaitOutcome(e, leave, Outcome.SCHEDULED);

    String cancel = send(cancel(id(e, "cancel"), e, leave));

    assertThat(awaitOutcome(e, cancel, Outcome.CANCELLED).reason()).contains(leave);
    assertThat(awaitOutcome(e, leave, Outcome.CANCELLED).reason()).contains(cancel);
    // Well past the leave's moment: still nothing.
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(30))
        .until(() -> !cutOff(DEV, "dated.two") && changesOf(e, leave).isEmpty());
    assertThat(
            outcomes(e).stream()
                .filter(o -> o.eventId().equals(leave))
                .map(ProvisioningOutcome::outcome))
        .containsExactly(Outcome.SCHEDULED, Outcome.CANCELLED);
  }

  @Test
  void aCancelOfAnAppliedEventIsNotPendingAndChangesNothing() throws Exception {
    String e = "E-DATED-3";
    String hire = send(hire(id(e, "hire"), e, "dated.three", null));
    ProvisionerFlowTest.awaitOutcome(hire);
    long changesBefore = changes(e).size();

    String cancel = send(cancel(id(e, "cancel"), e, hire));

    ProvisioningOutcome failed = awaitOutcome(e, cancel, Outcome.FAILED);
    assertThat(failed.reason()).startsWith("not-pending").contains(hire);
    await()
        .atMost(ProvisionerFlowTest.TIMEOUT)
        .until(
            () ->
                ProvisionerFlowTest.kafka.records(Topics.HR_EVENTS_DLQ, e).stream()
                    .anyMatch(r -> "not-pending".equals(KafkaClients.header(r, "dlq_reason"))));
    assertThat(changes(e)).hasSize((int) changesBefore);
    assertThat(ProvisionerFlowTest.groups(PROD, "dated.three")).containsExactly("operators");
  }

  @Test
  void anImmediateLeaveWhileALaterLeaveIsPendingCutsNow() throws Exception {
    String e = "E-DATED-4";
    ProvisionerFlowTest.awaitOutcome(send(hire(id(e, "hire"), e, "dated.four", null)));
    OffsetDateTime friday = now().plusSeconds(4);
    String later = send(leave(id(e, "leave"), e, friday));
    awaitOutcome(e, later, Outcome.SCHEDULED);

    String now = send(leave(id(e, "leave"), e, null));

    ProvisioningOutcome cut = awaitOutcome(e, now, Outcome.COMPLETED);
    assertThat(cut.cutOffAt().toInstant()).isBefore(friday.toInstant());
    for (String account : List.of(DEV, STAGING, PROD)) {
      assertThat(cutOff(account, "dated.four")).as(account).isTrue();
    }
    // The later one ends too, with nothing left to do, and the leaver stays cut off.
    ProvisioningOutcome end =
        await()
            .atMost(ProvisionerFlowTest.TIMEOUT)
            .until(
                () ->
                    outcomes(e).stream()
                        .filter(o -> o.eventId().equals(later) && o.outcome() != Outcome.SCHEDULED)
                        .findFirst(),
                Optional::isPresent)
            .get();
    assertThat(end.outcome()).isIn(Outcome.COMPLETED, Outcome.SKIPPED);
    assertThat(end.counts().failed()).isZero();
    assertThat(changesOf(e, later).stream().map(IamChange::action))
        .as("nothing to cut any more")
        .doesNotContain("PutUserPolicy", "RemoveUserFromGroup", "UpdateAccessKey");
    for (String account : List.of(DEV, STAGING, PROD)) {
      assertThat(cutOff(account, "dated.four")).as(account).isTrue();
    }
  }

  @Test
  void aHireHeldForLaterThenAnImmediateLeaveNeverCreatesAccess() throws Exception {
    String e = "E-DATED-5";
    OffsetDateTime first = now().plusSeconds(4);
    String hire = send(hire(id(e, "hire"), e, "dated.five", first));
    awaitOutcome(e, hire, Outcome.SCHEDULED);

    String leave = send(leave(id(e, "leave"), e, null));

    ProvisioningOutcome skipped = awaitOutcome(e, hire, Outcome.SKIPPED);
    assertThat(skipped.reason()).contains("superseded").contains(leave);
    assertThat(ProvisionerFlowTest.awaitOutcome(leave).outcome())
        .as("the leave ends with an outcome")
        .isNotNull();
    await()
        .during(Duration.ofSeconds(6))
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                user(DEV, "dated.five").isMissingNode()
                    && user(PROD, "dated.five").isMissingNode()
                    && changesOf(e, hire).isEmpty());
  }

  @Test
  void aUsernameStillHeldByAFormerEmployeeIsRefusedNamingTheHolderAndTheReleaseDate()
      throws Exception {
    String former = "E-DATED-6";
    awaitOutcome(
        former, send(hire(id(former, "hire"), former, "dated.six", null)), Outcome.COMPLETED);
    awaitOutcome(former, send(leave(id(former, "leave"), former, null)), Outcome.COMPLETED);
    String deactivatedAt = user(DEV, "dated.six").path("tags").path(Tags.DEACTIVATED_AT).asText();

    String e = "E-DATED-7";
    String hire = send(hire(id(e, "hire"), e, "dated.six", null));

    ProvisioningOutcome failed = awaitOutcome(e, hire, Outcome.FAILED);
    assertThat(failed.reason())
        .contains("username-held")
        .contains(former)
        .contains(java.time.Instant.parse(deactivatedAt).plus(Duration.ofDays(90)).toString());
    assertThat(user(DEV, "dated.six").path("tags").path(Tags.EMPLOYEE_ID).asText())
        .isEqualTo(former);
    assertThat(cutOff(DEV, "dated.six")).as("the former employee stays cut off").isTrue();
    assertThat(changes(e)).isEmpty();
  }

  @Test
  void aHeldLeaveSurvivesItsPartitionChangingHandsAndIsAppliedOnce() throws Exception {
    String e = "E-DATED-8";
    awaitOutcome(e, send(hire(id(e, "hire"), e, "dated.eight", null)), Outcome.COMPLETED);
    OffsetDateTime effective = now().plusSeconds(15);
    String leave = send(leave(id(e, "leave"), e, effective));
    awaitOutcome(e, leave, Outcome.SCHEDULED);

    // Another member joins and leaves: every partition is revoked (its schedule dropped from
    // memory) and assigned again (reloaded from provisioner.scheduled).
    KafkaClients.joinAndLeave("roster-provisioner", Topics.HR_EVENTS);
    KafkaClients.awaitStableGroup("roster-provisioner", Topics.HR_EVENTS);

    ProvisioningOutcome done = awaitOutcome(e, leave, Outcome.COMPLETED);
    assertThat(done.cutOffAt().toInstant()).isAfterOrEqualTo(effective.toInstant());
    for (String account : List.of(DEV, STAGING, PROD)) {
      assertThat(cutOff(account, "dated.eight")).as(account).isTrue();
    }
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                outcomes(e).stream()
                        .filter(o -> o.eventId().equals(leave) && o.outcome() != Outcome.SCHEDULED)
                        .count()
                    == 1);
  }
}
