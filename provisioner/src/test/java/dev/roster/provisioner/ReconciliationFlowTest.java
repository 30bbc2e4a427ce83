package dev.roster.provisioner;

import static dev.roster.provisioner.SeededIamSandbox.DEV;
import static dev.roster.provisioner.SeededIamSandbox.PROD;
import static dev.roster.provisioner.SeededIamSandbox.STAGING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.events.CloudEvents;
import dev.roster.events.DifferenceKind;
import dev.roster.events.EmployeeStatus;
import dev.roster.events.EventJson;
import dev.roster.events.IamChange;
import dev.roster.events.Reconciliation;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.SnapshotApproval;
import dev.roster.events.SnapshotEmployee;
import dev.roster.events.SnapshotMode;
import dev.roster.events.SnapshotPart;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * Reconciliation end to end: snapshots on hr.snapshots (real Kafka), the IAM sandbox through the
 * real SDK (its own instance: the comparison sees every user of an account), the shipped
 * deploy/roles.yaml. One of each difference is planted through the SDK against 200 employees.
 */
@QuarkusTest
@TestProfile(ReconciliationFlowTest.Reconciling.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(ReconciliationFlowTest.OwnSandbox.class)
class ReconciliationFlowTest {
  static final Duration TIMEOUT = Duration.ofMinutes(5);
  static final String[] ROLES = {"developer", "sre", "qa-engineer", "developer"};

  /** A sandbox of this class alone. */
  public static class OwnSandbox extends SeededIamSandbox {}

  /** Only this class's application consumes hr.snapshots (see application.properties). */
  public static class Reconciling implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("mp.messaging.incoming.hr-snapshots.topic", Topics.HR_SNAPSHOTS);
    }
  }

  static KafkaClients kafka;

  @BeforeAll
  static void clients() throws Exception {
    // The reader below assigns the partitions that exist now.
    Map<String, Object> admin = KafkaTestResource.clientProperties();
    admin.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers());
    try (Admin a = Admin.create(admin)) {
      Set<String> existing = a.listTopics().names().get(10, TimeUnit.SECONDS);
      List<NewTopic> missing =
          java.util.stream.Stream.of(Topics.RECONCILIATIONS, Topics.HR_SNAPSHOTS)
              .filter(t -> !existing.contains(t))
              .map(t -> new NewTopic(t, Optional.empty(), Optional.empty()))
              .toList();
      if (!missing.isEmpty()) {
        a.createTopics(missing).all().get(10, TimeUnit.SECONDS);
      }
    }
    kafka = new KafkaClients(Topics.RECONCILIATIONS, Topics.IAM_CHANGES, Topics.HR_EVENTS_DLQ);
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  static String id(int i) {
    return String.format("R%03d", i);
  }

  static SnapshotEmployee employee(int i, EmployeeStatus status) {
    return new SnapshotEmployee(
        id(i),
        "rec." + i,
        status,
        List.of(ROLES[i % ROLES.length]),
        null,
        null,
        "Engineering",
        "Engineer",
        null);
  }

  static List<SnapshotEmployee> population(UnaryOperator<List<SnapshotEmployee>> change) {
    List<SnapshotEmployee> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(employee(i, EmployeeStatus.ACTIVE));
    }
    return change.apply(all);
  }

  /** Publishes the snapshot as hr-listener does: parts of 50, in order, keyed by its id. */
  static void post(String snapshotId, SnapshotMode mode, List<SnapshotEmployee> employees)
      throws Exception {
    int size = 50;
    int parts = (employees.size() + size - 1) / size;
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    for (int p = 0; p < parts; p++) {
      SnapshotPart part =
          new SnapshotPart(
              snapshotId,
              mode,
              now,
              p,
              parts,
              employees.size(),
              employees.subList(p * size, Math.min(employees.size(), (p + 1) * size)));
      kafka.send(
          Topics.HR_SNAPSHOTS,
          snapshotId,
          snapshotId + "-" + p,
          CloudEvents.SNAPSHOT_PART_TYPE,
          EventJson.mapper().writeValueAsString(part));
    }
  }

  static List<ConsumerRecord<String, String>> of(String key, String type) {
    return kafka.records(Topics.RECONCILIATIONS, key).stream()
        .filter(r -> type.equals(KafkaClients.header(r, CloudEvents.HEADER_TYPE)))
        .toList();
  }

  /** The first status record of the reconciliation that is not running. */
  static Reconciliation awaitEnd(String id) {
    return await("reconciliation " + id)
        .atMost(TIMEOUT)
        .until(
            () ->
                of(id, CloudEvents.RECONCILIATION_TYPE).stream()
                    .map(r -> ProvisionerFlowTest.read(r.value(), Reconciliation.class))
                    .filter(r -> r.status() != ReconciliationStatus.RUNNING)
                    .findFirst(),
            Optional::isPresent)
        .get();
  }

  static List<Reconciliation.Difference> differences(String id) {
    return of(id, CloudEvents.DIFFERENCE_TYPE).stream()
        .map(r -> ProvisionerFlowTest.read(r.value(), Reconciliation.Difference.class))
        .toList();
  }

  static List<String> kinds(List<Reconciliation.Difference> differences) {
    return differences.stream()
        .map(d -> d.kind().wireName() + " " + d.account() + " " + d.employeeId())
        .toList();
  }

  static Set<String> groups(IamClient iam, String user) {
    return iam.listGroupsForUser(r -> r.userName(user)).groups().stream()
        .map(Group::groupName)
        .collect(Collectors.toSet());
  }

  static List<String> inline(IamClient iam, String user) {
    return iam.listUserPolicies(r -> r.userName(user)).policyNames();
  }

  @Test
  void anUnreadableRecordIsDeadLetteredAndAnUnreadableAccountFailsTheRunNotTheOthers()
      throws Exception {
    kafka.send(
        Topics.HR_SNAPSHOTS, "snap-garbage", "snap-garbage-0", CloudEvents.SNAPSHOT_PART_TYPE, "{");
    sandbox().faults().fail(STAGING, "GetAccountAuthorizationDetails", 1.0);
    try {
      post(
          "snap-staging-down",
          SnapshotMode.REPORT,
          List.of(employee(500, EmployeeStatus.ACTIVE))); // developer: dev and staging
      Reconciliation failed = awaitEnd("snap-staging-down");

      assertThat(failed.status()).isEqualTo(ReconciliationStatus.FAILED);
      assertThat(failed.reason()).contains("account staging");
      assertThat(failed.countsByAccount()).containsKey(DEV).doesNotContainKey(STAGING);
      assertThat(kinds(differences("snap-staging-down")))
          .contains("missing-user " + DEV + " R500")
          .noneMatch(k -> k.contains(STAGING));
    } finally {
      sandbox().faults().clear();
    }
    ConsumerRecord<String, String> dead =
        await("dead letter")
            .atMost(TIMEOUT)
            .until(() -> kafka.records(Topics.HR_EVENTS_DLQ, "snap-garbage"), l -> !l.isEmpty())
            .get(0);
    assertThat(KafkaClients.header(dead, CloudEvents.HEADER_DLQ_REASON)).isEqualTo("malformed");
    assertThat(KafkaClients.header(dead, CloudEvents.HEADER_DLQ_TOPIC))
        .isEqualTo(Topics.HR_SNAPSHOTS);
  }

  static dev.roster.sandbox.iam.IamSandbox sandbox() {
    return dev.roster.sandbox.iam.IamSandboxTestResource.sandbox();
  }

  @Test
  void differencesAreFoundRepairedAndAMassDeactivationWaitsForApproval() throws Exception {
    // 200 employees hired by an apply snapshot.
    post("snap-initial", SnapshotMode.APPLY, population(l -> l));
    Reconciliation initial = awaitEnd("snap-initial");
    assertThat(initial.status()).isEqualTo(ReconciliationStatus.COMPLETED);
    assertThat(initial.counts()).containsOnlyKeys(DifferenceKind.MISSING_USER.wireName());

    try (IamClient dev = ProvisionerFlowTest.testClient(DEV);
        IamClient staging = ProvisionerFlowTest.testClient(STAGING);
        IamClient prod = ProvisionerFlowTest.testClient(PROD)) {
      // One of each difference, by hand.
      dev.removeUserFromGroup(r -> r.userName("rec.0").groupName("developers")); // missing-group
      staging.addUserToGroup(r -> r.userName("rec.4").groupName("qa")); // extra-group
      dev.putUserPolicy(
          r ->
              r.userName("rec.8")
                  .policyName("by-hand")
                  .policyDocument(
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                          + "\"Action\":\"s3:*\",\"Resource\":\"*\"}]}")); // direct-policy
      dev.tagUser(
          r ->
              r.userName("rec.12")
                  .tags(Tag.builder().key(Tags.DEPARTMENT).value("Sales").build())); // tag-mismatch
      // unowned-conflict: rec.1's prod user replaced by one Roster does not own
      prod.removeUserFromGroup(r -> r.userName("rec.1").groupName("operators"));
      prod.deleteUser(r -> r.userName("rec.1"));
      prod.createUser(r -> r.userName("rec.1"));
      // rec.16: terminated in the snapshot (its leave never arrived): leaver-with-access
      // rec.20: absent from the snapshot: orphan (and leaver-with-access)
      // rec.300: a new employee the snapshot lists: missing-user
      UnaryOperator<List<SnapshotEmployee>> planted =
          l -> {
            List<SnapshotEmployee> s = new ArrayList<>(l);
            s.set(16, employee(16, EmployeeStatus.TERMINATED));
            s.remove(20);
            s.add(employee(300, EmployeeStatus.ACTIVE));
            return s;
          };

      long pagesBefore = sandbox().calls(DEV, "GetAccountAuthorizationDetails");
      long userReadsBefore = sandbox().calls(DEV, "GetUser");
      post("snap-report", SnapshotMode.REPORT, population(planted));
      Reconciliation report = awaitEnd("snap-report");

      // The fewest reads: the 200 users of dev in 1 page of up to 1,000, no per-user read (no
      // leaver has the deny-all yet, so no credentials are needed).
      assertThat(sandbox().calls(DEV, "GetAccountAuthorizationDetails") - pagesBefore).isEqualTo(1);
      assertThat(sandbox().calls(DEV, "GetUser") - userReadsBefore).isZero();

      assertThat(report.status()).isEqualTo(ReconciliationStatus.COMPLETED);
      List<Reconciliation.Difference> found = differences("snap-report");
      assertThat(kinds(found))
          .containsExactlyInAnyOrder(
              "missing-group " + DEV + " R000",
              "extra-group " + STAGING + " R004",
              "direct-policy " + DEV + " R008",
              "tag-mismatch " + DEV + " R012",
              "unowned-conflict " + PROD + " R001",
              "leaver-with-access " + DEV + " R016",
              "leaver-with-access " + STAGING + " R016",
              "orphan " + DEV + " R020",
              "orphan " + STAGING + " R020",
              "leaver-with-access " + DEV + " R020",
              "leaver-with-access " + STAGING + " R020",
              "extra-group " + DEV + " R016",
              "extra-group " + DEV + " R016",
              "extra-group " + STAGING + " R016",
              "extra-group " + DEV + " R020",
              "extra-group " + DEV + " R020",
              "extra-group " + STAGING + " R020",
              "missing-user " + DEV + " R300",
              "missing-user " + STAGING + " R300");
      assertThat(found).allMatch(d -> d.repaired() == null && d.eventId() == null);
      assertThat(report.counts()).containsEntry("leaver-with-access", 4).containsEntry("orphan", 2);
      assertThat(report.countsByAccount().get(PROD)).containsEntry("unowned-conflict", 1);
      assertThat(report.deactivations()).isEqualTo(2);
      // Report mode changes nothing.
      assertThat(groups(dev, "rec.0")).doesNotContain("developers");
      assertThat(inline(dev, "rec.16")).isEmpty();

      post("snap-apply", SnapshotMode.APPLY, population(planted));
      Reconciliation applied = awaitEnd("snap-apply");

      assertThat(applied.status()).isEqualTo(ReconciliationStatus.COMPLETED);
      List<Reconciliation.Difference> repaired = differences("snap-apply");
      assertThat(kinds(repaired)).containsExactlyInAnyOrderElementsOf(kinds(found));
      assertThat(repaired)
          .filteredOn(d -> d.kind() != DifferenceKind.UNOWNED_CONFLICT)
          .allSatisfy(
              d -> {
                assertThat(d.repaired()).as(d.toString()).isTrue();
                assertThat(d.eventId()).isEqualTo("reconcile:snap-apply:" + d.employeeId());
              });
      assertThat(repaired)
          .filteredOn(d -> d.kind() == DifferenceKind.UNOWNED_CONFLICT)
          .singleElement()
          .satisfies(d -> assertThat(d.repaired()).isFalse());
      assertThat(groups(dev, "rec.0")).contains("developers");
      assertThat(groups(staging, "rec.4")).containsExactly("readonly");
      assertThat(inline(dev, "rec.8")).isEmpty();
      assertThat(dev.listUserTags(r -> r.userName("rec.12")).tags())
          .contains(Tag.builder().key(Tags.DEPARTMENT).value("Engineering").build());
      for (IamClient iam : List.of(dev, staging)) {
        assertThat(inline(iam, "rec.16")).containsExactly(Tags.DENY_ALL_POLICY);
        assertThat(inline(iam, "rec.20")).containsExactly(Tags.DENY_ALL_POLICY);
        assertThat(groups(iam, "rec.16")).isEmpty();
      }
      assertThat(groups(dev, "rec.300")).containsExactlyInAnyOrder("all-staff", "developers");
      assertThat(prod.getUser(r -> r.userName("rec.1")).user().tags()).isEmpty(); // not touched
      // The corrections went the way of events: change records on iam.changes.
      List<IamChange> cut =
          kafka.records(Topics.IAM_CHANGES, "R016").stream()
              .filter(
                  r ->
                      CloudEvents.IAM_CHANGE_TYPE.equals(
                          KafkaClients.header(r, CloudEvents.HEADER_TYPE)))
              .map(r -> ProvisionerFlowTest.read(r.value(), IamChange.class))
              .filter(c -> c.eventId().equals("reconcile:snap-apply:R016"))
              .toList();
      assertThat(cut).extracting(IamChange::action).startsWith("PutUserPolicy");

      post("snap-again", SnapshotMode.REPORT, population(planted));
      assertThat(awaitEnd("snap-again").status()).isEqualTo(ReconciliationStatus.COMPLETED);
      assertThat(kinds(differences("snap-again")))
          .containsExactly("unowned-conflict " + PROD + " R001");

      // 60 % terminated at once: held, nothing changed, until approved.
      UnaryOperator<List<SnapshotEmployee>> layoff =
          l -> {
            List<SnapshotEmployee> s = new ArrayList<>(planted.apply(l));
            for (int i = 0; i < 120; i++) {
              SnapshotEmployee e = s.get(i);
              s.set(
                  i,
                  new SnapshotEmployee(
                      e.employeeId(),
                      e.username(),
                      EmployeeStatus.TERMINATED,
                      List.of(),
                      null,
                      null,
                      null,
                      null,
                      null));
            }
            return s;
          };
      post("snap-layoff", SnapshotMode.APPLY, population(layoff));
      Reconciliation held = awaitEnd("snap-layoff");

      assertThat(held.status()).isEqualTo(ReconciliationStatus.HELD);
      assertThat(held.deactivations()).isGreaterThanOrEqualTo(118);
      assertThat(held.reason()).contains("roster.guard.max-deactivations");
      assertThat(inline(dev, "rec.2")).isEmpty();

      kafka.send(
          Topics.HR_SNAPSHOTS,
          "snap-layoff",
          "snap-layoff-approval",
          CloudEvents.SNAPSHOT_APPROVAL_TYPE,
          EventJson.mapper()
              .writeValueAsString(
                  new SnapshotApproval(
                      "snap-layoff", OffsetDateTime.now(ZoneOffset.UTC), "test-key")));

      Reconciliation approved =
          await("approved layoff")
              .atMost(TIMEOUT)
              .until(
                  () ->
                      of("snap-layoff", CloudEvents.RECONCILIATION_TYPE).stream()
                          .map(r -> ProvisionerFlowTest.read(r.value(), Reconciliation.class))
                          .filter(r -> r.status() == ReconciliationStatus.COMPLETED)
                          .findFirst(),
                  Optional::isPresent)
              .get();
      assertThat(approved.deactivations()).isEqualTo(held.deactivations());
      for (int i : new int[] {0, 2, 3, 5, 120}) {
        assertThat(inline(dev, "rec." + i)).as("rec." + i).containsExactly(Tags.DENY_ALL_POLICY);
      }
      assertThat(inline(dev, "rec.150")).isEmpty(); // position 120 onwards stay active
    }
  }
}
