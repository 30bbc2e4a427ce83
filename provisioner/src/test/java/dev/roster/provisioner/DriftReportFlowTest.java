package dev.roster.provisioner;

import static dev.roster.provisioner.DriftFlowTest.TIMEOUT;
import static dev.roster.provisioner.DriftFlowTest.driftChanges;
import static dev.roster.provisioner.DriftFlowTest.driftDifferences;
import static dev.roster.provisioner.DriftFlowTest.driftRuns;
import static dev.roster.provisioner.DriftFlowTest.groups;
import static dev.roster.provisioner.DriftFlowTest.hire;
import static dev.roster.provisioner.DriftFlowTest.inline;
import static dev.roster.provisioner.DriftFlowTest.now;
import static dev.roster.provisioner.SeededIamSandbox.DEV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.events.DifferenceKind;
import dev.roster.events.Outcome;
import dev.roster.events.Reconciliation;
import dev.roster.events.SnapshotMode;
import dev.roster.events.Topics;
import dev.roster.provisioner.plan.Tags;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The drift check in {@code report} mode: what it finds is reported, and only a leaver's access is
 * corrected (a leaver never keeps access, whatever the mode).
 */
@QuarkusTest
@TestProfile(DriftReportFlowTest.Reporting.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(DriftReportFlowTest.OwnSandbox.class)
class DriftReportFlowTest {
  /** A sandbox of this class alone. */
  public static class OwnSandbox extends SeededIamSandbox {}

  public static class Reporting implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("roster.reconcile.interval", "PT2S", "roster.reconcile.drift", "report");
    }
  }

  @BeforeAll
  static void clients() {
    DriftFlowTest.kafka = new KafkaClients(Topics.IAM_CHANGES, Topics.RECONCILIATIONS);
    ProvisionerFlowTest.kafka = DriftFlowTest.kafka;
  }

  @AfterAll
  static void close() {
    DriftFlowTest.kafka.close();
  }

  @Test
  void theGroupAddedByHandStaysReportedButTheLeaverIsCutOffAgain() throws Exception {
    String mover = "DRIFT-R1";
    String leaver = "DRIFT-R2";
    hire(mover, "drift.r1", "developer");
    hire(leaver, "drift.r2", "developer");
    String leave =
        ProvisionerFlowTest.send(ProvisionerFlowTest.event("leave", leaver, null, now()));
    assertThat(ProvisionerFlowTest.awaitOutcome(leave).outcome()).isEqualTo(Outcome.COMPLETED);

    try (IamClient dev = ProvisionerFlowTest.testClient(DEV)) {
      dev.addUserToGroup(r -> r.userName("drift.r1").groupName("iam-user-managers"));
      dev.deleteUserPolicy(r -> r.userName("drift.r2").policyName(Tags.DENY_ALL_POLICY));

      await("the leaver cut off again")
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> assertThat(inline(dev, "drift.r2")).containsExactly(Tags.DENY_ALL_POLICY));
      long completed = driftRuns().stream().filter(r -> r.completedAt() != null).count();
      await("two more checks")
          .atMost(TIMEOUT)
          .until(
              () ->
                  driftRuns().stream().filter(r -> r.completedAt() != null).count()
                      >= completed + 2);
      assertThat(groups(dev, "drift.r1")).contains("iam-user-managers");
    }
    assertThat(driftChanges(mover)).isEmpty();
    assertThat(driftRuns()).allMatch(r -> r.mode() == SnapshotMode.REPORT);
    assertThat(driftDifferences(mover))
        .filteredOn(d -> d.kind() == DifferenceKind.EXTRA_GROUP)
        .isNotEmpty()
        .allMatch(d -> "iam-user-managers".equals(d.detail()))
        .allMatch(d -> Boolean.FALSE.equals(d.repaired()));
    assertThat(driftDifferences(leaver))
        .extracting(Reconciliation.Difference::kind)
        .contains(DifferenceKind.LEAVER_WITH_ACCESS);
  }
}
