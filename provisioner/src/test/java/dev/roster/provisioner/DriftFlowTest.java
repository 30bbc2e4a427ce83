package dev.roster.provisioner;

import static dev.roster.provisioner.SeededIamSandbox.DEV;
import static dev.roster.provisioner.SeededIamSandbox.STAGING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.events.CloudEvents;
import dev.roster.events.DifferenceKind;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.events.Reconciliation;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.Topics;
import dev.roster.provisioner.plan.Tags;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The drift check between snapshots, end to end: HR events on hr.events (real Kafka), changes made
 * by hand through the real SDK against the IAM sandbox (this class's own), and the check every 2 s
 * holding IAM against the state the provisioner last applied, in {@code repair} mode.
 */
@QuarkusTest
@TestProfile(DriftFlowTest.Repairing.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(DriftFlowTest.OwnSandbox.class)
class DriftFlowTest {
  static final Duration TIMEOUT = Duration.ofMinutes(2);

  /** A sandbox of this class alone. */
  public static class OwnSandbox extends SeededIamSandbox {}

  public static class Repairing implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("roster.reconcile.interval", "PT2S", "roster.reconcile.drift", "repair");
    }
  }

  static KafkaClients kafka;

  @BeforeAll
  static void clients() {
    kafka = new KafkaClients(Topics.IAM_CHANGES, Topics.RECONCILIATIONS);
    ProvisionerFlowTest.kafka = kafka;
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  static OffsetDateTime now() {
    // Whole seconds, written with them: hr-listener's contract refuses a time without seconds.
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
  }

  static String hire(String id, String user, String role) throws Exception {
    String eventId =
        ProvisionerFlowTest.send(ProvisionerFlowTest.event("hire", id, user, now(), role));
    assertThat(ProvisionerFlowTest.awaitOutcome(eventId).outcome()).isEqualTo(Outcome.COMPLETED);
    return eventId;
  }

  static Set<String> groups(IamClient iam, String user) {
    return ReconciliationFlowTest.groups(iam, user);
  }

  static List<String> inline(IamClient iam, String user) {
    return ReconciliationFlowTest.inline(iam, user);
  }

  /** The IAM changes the drift check made for the employee (event ids {@code drift:...}). */
  static List<IamChange> driftChanges(String employeeId) {
    return ProvisionerFlowTest.changes(employeeId).stream()
        .filter(c -> c.eventId().startsWith("drift:"))
        .toList();
  }

  /** Drift checks published on reconciliations that found a difference of this employee. */
  static List<Reconciliation.Difference> driftDifferences(String employeeId) {
    return kafka.records().stream()
        .filter(r -> r.topic().equals(Topics.RECONCILIATIONS))
        .filter(
            r ->
                CloudEvents.DIFFERENCE_TYPE.equals(KafkaClients.header(r, CloudEvents.HEADER_TYPE)))
        .map(r -> ProvisionerFlowTest.read(r.value(), Reconciliation.Difference.class))
        .filter(d -> employeeId.equals(d.employeeId()))
        .toList();
  }

  static List<Reconciliation> driftRuns() {
    return kafka.records().stream()
        .filter(r -> r.topic().equals(Topics.RECONCILIATIONS))
        .filter(
            r ->
                CloudEvents.RECONCILIATION_TYPE.equals(
                    KafkaClients.header(r, CloudEvents.HEADER_TYPE)))
        .map(ConsumerRecord::value)
        .map(v -> ProvisionerFlowTest.read(v, Reconciliation.class))
        .filter(r -> Reconciliation.SOURCE_DRIFT.equals(r.source()))
        .toList();
  }

  @Test
  void aGroupAddedByHandAndALeaversDeletedDenyAllAreRepairedWithinAnInterval() throws Exception {
    String mover = "DRIFT-1";
    String leaver = "DRIFT-2";
    hire(mover, "drift.one", "developer");
    hire(leaver, "drift.two", "developer");
    String leave =
        ProvisionerFlowTest.send(ProvisionerFlowTest.event("leave", leaver, null, now()));
    assertThat(ProvisionerFlowTest.awaitOutcome(leave).outcome()).isEqualTo(Outcome.COMPLETED);

    try (IamClient dev = ProvisionerFlowTest.testClient(DEV);
        IamClient staging = ProvisionerFlowTest.testClient(STAGING)) {
      assertThat(inline(dev, "drift.two")).contains(Tags.DENY_ALL_POLICY);
      // By hand: the mover gets IAM write access in dev and loses staging's readonly; someone
      // deletes the leaver's deny-all in dev.
      dev.addUserToGroup(r -> r.userName("drift.one").groupName("iam-user-managers"));
      staging.removeUserFromGroup(r -> r.userName("drift.one").groupName("readonly"));
      dev.deleteUserPolicy(r -> r.userName("drift.two").policyName(Tags.DENY_ALL_POLICY));

      await("drift repaired")
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                assertThat(groups(dev, "drift.one"))
                    .containsExactlyInAnyOrder("all-staff", "developers");
                assertThat(groups(staging, "drift.one")).containsExactly("readonly");
                assertThat(inline(dev, "drift.two")).containsExactly(Tags.DENY_ALL_POLICY);
              });
    }

    // Each repair is an IAM change of a drift correction, recorded like any event's.
    await("drift changes published")
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(driftChanges(mover))
                  .extracting(IamChange::action, IamChange::target)
                  .contains(
                      org.assertj.core.groups.Tuple.tuple(
                          "RemoveUserFromGroup", "iam-user-managers"),
                      org.assertj.core.groups.Tuple.tuple("AddUserToGroup", "readonly"));
              assertThat(driftChanges(leaver))
                  .extracting(IamChange::action, IamChange::target)
                  .contains(
                      org.assertj.core.groups.Tuple.tuple("PutUserPolicy", Tags.DENY_ALL_POLICY));
            });
    // And the check says what it found, on reconciliations with source drift.
    await("drift differences published")
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(driftDifferences(mover))
                  .extracting(Reconciliation.Difference::kind)
                  .contains(DifferenceKind.EXTRA_GROUP, DifferenceKind.MISSING_GROUP);
              assertThat(driftDifferences(leaver))
                  .extracting(Reconciliation.Difference::kind)
                  .contains(DifferenceKind.LEAVER_WITH_ACCESS);
              assertThat(driftDifferences(leaver))
                  .filteredOn(d -> d.kind() == DifferenceKind.LEAVER_WITH_ACCESS)
                  .anyMatch(d -> Boolean.TRUE.equals(d.repaired()));
            });
    assertThat(driftRuns())
        .anyMatch(r -> r.status() == ReconciliationStatus.COMPLETED)
        .allMatch(r -> r.status() != ReconciliationStatus.HELD);

    // Converged: later checks find nothing more to do for them.
    int repairsSoFar = driftChanges(mover).size() + driftChanges(leaver).size();
    await("quiet")
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(30))
        .until(() -> driftChanges(mover).size() + driftChanges(leaver).size() == repairsSoFar);
  }

  @Test
  void aLeaversDenyAllEditedByHandToExemptAnActionIsPutBack() throws Exception {
    String leaver = "DRIFT-4";
    hire(leaver, "drift.four", "developer");
    String leave =
        ProvisionerFlowTest.send(ProvisionerFlowTest.event("leave", leaver, null, now()));
    assertThat(ProvisionerFlowTest.awaitOutcome(leave).outcome()).isEqualTo(Outcome.COMPLETED);
    String exempting =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
            + "\"NotAction\":\"s3:GetObject\",\"Resource\":\"*\"}]}";

    try (IamClient dev = ProvisionerFlowTest.testClient(DEV)) {
      dev.putUserPolicy(
          r -> r.userName("drift.four").policyName(Tags.DENY_ALL_POLICY).policyDocument(exempting));

      await("Roster's deny-all put back")
          .atMost(TIMEOUT)
          .untilAsserted(
              () ->
                  assertThat(
                          Tags.isDenyAllDocument(
                              dev.getUserPolicy(
                                      r ->
                                          r.userName("drift.four").policyName(Tags.DENY_ALL_POLICY))
                                  .policyDocument()))
                      .isTrue());
    }
    await("recorded as a drift correction")
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(driftChanges(leaver))
                    .extracting(IamChange::action, IamChange::target)
                    .contains(
                        org.assertj.core.groups.Tuple.tuple(
                            "PutUserPolicy", Tags.DENY_ALL_POLICY)));
    // The check publishes its differences after the repairs it made: wait for them too.
    await("the difference published")
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(driftDifferences(leaver))
                    .filteredOn(d -> d.kind() == DifferenceKind.LEAVER_WITH_ACCESS)
                    .anyMatch(d -> d.detail().contains("no " + Tags.DENY_ALL_POLICY)));
  }

  @Test
  void aRoleChangeAppliedMeanwhileIsNeverUndoneByTheCheck() throws Exception {
    String id = "DRIFT-3";
    hire(id, "drift.three", "developer");
    String move =
        ProvisionerFlowTest.send(
            ProvisionerFlowTest.event("role_change", id, "drift.three", now(), "qa-engineer"));
    assertThat(ProvisionerFlowTest.awaitOutcome(move).outcome()).isEqualTo(Outcome.COMPLETED);

    try (IamClient dev = ProvisionerFlowTest.testClient(DEV);
        IamClient staging = ProvisionerFlowTest.testClient(STAGING)) {
      // Several checks later the user is still where the role change put it.
      await("checks ran")
          .atMost(TIMEOUT)
          .until(() -> driftRuns().stream().filter(r -> r.completedAt() != null).count() >= 3);
      assertThat(groups(dev, "drift.three")).containsExactly("all-staff");
      assertThat(groups(staging, "drift.three")).containsExactly("qa");
    }
    assertThat(driftChanges(id)).isEmpty();
  }
}
