package dev.roster.provisioner;

import static dev.roster.provisioner.EffectiveDatingFlowTest.awaitOutcome;
import static dev.roster.provisioner.ProvisionerFlowTest.changes;
import static dev.roster.provisioner.ProvisionerFlowTest.groups;
import static dev.roster.provisioner.ProvisionerFlowTest.send;
import static dev.roster.provisioner.ProvisionerFlowTest.testClient;
import static dev.roster.provisioner.ProvisionerFlowTest.user;
import static dev.roster.provisioner.SeededIamSandbox.DEV;
import static dev.roster.provisioner.SeededIamSandbox.PROD;
import static dev.roster.provisioner.SeededIamSandbox.STAGING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.events.ChangeStatus;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.events.Topics;
import dev.roster.provisioner.plan.Tags;
import dev.roster.provisioner.schedule.Pending;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Retention with a short duration: a leaver's users, with every item IAM requires gone first, are
 * deleted that long after the cut-off, each call an audited change record; a rehire before then
 * keeps the user, one after gets a new one; the username is free for someone else.
 */
@QuarkusTest
@TestProfile(RetentionFlowTest.ShortRetention.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(SeededIamSandbox.class)
class RetentionFlowTest {
  static final Duration RETENTION = Duration.ofSeconds(6);

  public static class ShortRetention implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("roster.retention", RETENTION.toString());
    }
  }

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

  static String hire(String employeeId, String username) throws Exception {
    return send(
        EffectiveDatingFlowTest.hire(employeeId + "-hire-r" + (++seq), employeeId, username, null));
  }

  static String leave(String employeeId) throws Exception {
    return send(EffectiveDatingFlowTest.leave(employeeId + "-leave-r" + (++seq), employeeId, null));
  }

  @Test
  void aLeaversUsersAndEverythingOnThemAreDeletedAfterRetentionAndTheNameIsFreeAgain()
      throws Exception {
    String e = "E-RET-1";
    String u = "ret.one";
    ProvisionerFlowTest.awaitOutcome(hire(e, u));
    try (IamClient dev = testClient(DEV)) {
      ProvisionerFlowTest.giveEveryKindOfAccess(dev, u, 1, "ret-extra");
    }
    String leave = leave(e);
    ProvisioningOutcome cut = ProvisionerFlowTest.awaitOutcome(leave);
    assertThat(cut.outcome()).isEqualTo(Outcome.COMPLETED);
    String retention = leave + Pending.RETENTION_SUFFIX;
    assertThat(user(DEV, u).isMissingNode()).as("kept until retention ends").isFalse();

    ProvisioningOutcome deleted = awaitOutcome(e, retention, Outcome.COMPLETED);

    assertThat(deleted.completedAt().toInstant())
        .isAfterOrEqualTo(cut.cutOffAt().toInstant().plus(RETENTION));
    for (String account : List.of(DEV, STAGING, PROD)) {
      assertThat(user(account, u).isMissingNode()).as(account).isTrue();
    }
    List<IamChange> calls = changes(e).stream().filter(c -> c.eventId().equals(retention)).toList();
    assertThat(calls).allSatisfy(c -> assertThat(c.status()).isEqualTo(ChangeStatus.APPLIED));
    // The leave already removed the password, MFA, groups and direct policies but the deny-all;
    // what is left is deleted (inactive credentials included), the deny-all last but the user.
    assertThat(calls.stream().map(c -> c.account() + " " + c.action()))
        .containsExactly(
            DEV + " DeleteAccessKey",
            DEV + " DeleteSSHPublicKey",
            DEV + " DeleteServiceSpecificCredential",
            DEV + " DeleteSigningCertificate",
            DEV + " DeleteUserPolicy",
            DEV + " DeleteUser",
            STAGING + " DeleteUserPolicy",
            STAGING + " DeleteUser",
            PROD + " DeleteUserPolicy",
            PROD + " DeleteUser");
    assertThat(calls)
        .filteredOn(c -> c.action().equals("DeleteUserPolicy"))
        .extracting(IamChange::target)
        .containsOnly(Tags.DENY_ALL_POLICY);
    assertThat(deleted.counts().applied()).isEqualTo(calls.size());

    // The name is free: someone else gets it.
    String other = hire("E-RET-OTHER", u);
    assertThat(ProvisionerFlowTest.awaitOutcome(other).outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(user(DEV, u).path("tags").path(Tags.EMPLOYEE_ID).asText()).isEqualTo("E-RET-OTHER");
  }

  @Test
  void aRehireBeforeRetentionKeepsAndReactivatesTheUser() throws Exception {
    String e = "E-RET-2";
    String u = "ret.two";
    ProvisionerFlowTest.awaitOutcome(hire(e, u));
    String leave = leave(e);
    ProvisionerFlowTest.awaitOutcome(leave);

    String rehire = hire(e, u);

    ProvisioningOutcome rehired = ProvisionerFlowTest.awaitOutcome(rehire);
    assertThat(rehired.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(rehired.accounts())
        .filteredOn(a -> a.account().equals(DEV))
        .singleElement()
        .satisfies(a -> assertThat(a.notices()).anyMatch(n -> n.contains("stay inactive")));
    assertThat(rehired.accounts())
        .filteredOn(a -> a.account().equals(PROD))
        .singleElement()
        .satisfies(a -> assertThat(a.notices()).anyMatch(n -> n.contains("break-glass")));
    String retention = leave + Pending.RETENTION_SUFFIX;
    org.awaitility.Awaitility.await()
        .during(RETENTION.plusSeconds(2))
        .atMost(Duration.ofSeconds(40))
        .until(() -> !user(DEV, u).isMissingNode());
    assertThat(user(DEV, u).path("inlinePolicies").has(Tags.DENY_ALL_POLICY)).isFalse();
    assertThat(groups(PROD, u)).containsExactly("operators");
    assertThat(changes(e).stream().filter(c -> c.eventId().equals(retention))).isEmpty();
    assertThat(ProvisionerFlowTest.outcomes(e))
        .as("the deadline was removed: it never fires")
        .noneMatch(o -> o.eventId().equals(retention));
  }

  @Test
  void aRehireAfterRetentionCreatesANewUser() throws Exception {
    String e = "E-RET-3";
    String u = "ret.three";
    ProvisionerFlowTest.awaitOutcome(hire(e, u));
    String leave = leave(e);
    ProvisionerFlowTest.awaitOutcome(leave);
    awaitOutcome(e, leave + Pending.RETENTION_SUFFIX, Outcome.COMPLETED);
    assertThat(user(DEV, u).isMissingNode()).isTrue();

    String rehire = hire(e, u);

    assertThat(ProvisionerFlowTest.awaitOutcome(rehire).outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(changes(e).stream().filter(c -> c.eventId().equals(rehire)))
        .extracting(IamChange::action)
        .contains("CreateUser");
    assertThat(user(DEV, u).path("tags").path(Tags.STATUS).asText()).isEqualTo("active");
    assertThat(groups(PROD, u)).containsExactly("operators");
  }
}
