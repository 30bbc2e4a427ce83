package dev.roster.provisioner;

import static dev.roster.provisioner.SeededIamSandbox.DEV;
import static dev.roster.provisioner.SeededIamSandbox.PROD;
import static dev.roster.provisioner.SeededIamSandbox.STAGING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.events.ChangeStatus;
import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.events.Topics;
import dev.roster.provisioner.journal.Intent;
import dev.roster.provisioner.journal.JournaledOp;
import dev.roster.provisioner.plan.IamAction;
import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.Tags;
import dev.roster.sandbox.iam.IamSandbox;
import dev.roster.sandbox.iam.IamSandboxTestResource;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.VirtualMFADevice;

/**
 * The provisioner end to end inside one application start: real Kafka broker, the IAM sandbox
 * reached through the real AWS SDK (dev with default credentials, staging and prod via AssumeRole),
 * and the shipped deploy/roles.yaml. Each test uses its own employees, so tests need no reset.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(SeededIamSandbox.class)
class ProvisionerFlowTest {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final Set<String> MUTATIONS =
      Arrays.stream(IamAction.values()).map(IamAction::apiName).collect(Collectors.toSet());

  static KafkaClients kafka;

  @BeforeAll
  static void clients() throws Exception {
    kafka = new KafkaClients(Topics.IAM_CHANGES, Topics.HR_EVENTS_DLQ);
    KafkaClients.awaitStableGroup("roster-provisioner", Topics.HR_EVENTS);
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  @AfterEach
  void clearFaults() {
    sandbox().faults().clear();
  }

  static IamSandbox sandbox() {
    return IamSandboxTestResource.sandbox();
  }

  // --- hire -------------------------------------------------------------------------------------

  @Test
  void hireCreatesTheUserWithTagsAndGroupsInEachMappedAccount() throws Exception {
    String hire = send(event("hire", "E-HIRE", "hire.one", at(1), "developer", "sre"));

    assertThat(awaitOutcome(hire).outcome()).isEqualTo(Outcome.COMPLETED);
    for (String account : List.of(DEV, STAGING, PROD)) {
      JsonNode user = user(account, "hire.one");
      assertThat(user.path("path").asText()).as(account).isEqualTo("/roster/");
      assertThat(user.path("tags").path(Tags.EMPLOYEE_ID).asText()).isEqualTo("E-HIRE");
      assertThat(user.path("tags").path(Tags.MANAGED_BY).asText()).isEqualTo("roster");
      assertThat(user.path("tags").path(Tags.DEPARTMENT).asText()).isEqualTo("Engineering");
      assertThat(user.path("tags").path(Tags.TITLE).asText()).isEqualTo("Engineer");
    }
    assertThat(groups(DEV, "hire.one")).containsExactlyInAnyOrder("all-staff", "developers");
    assertThat(groups(STAGING, "hire.one")).containsExactly("readonly");
    assertThat(groups(PROD, "hire.one")).containsExactly("operators");
  }

  @Test
  void anAccountWhereTheEmployeeHasNoGroupsGetsNoUser() throws Exception {
    String hire = send(event("hire", "E-QA", "qa.one", at(1), "qa-engineer"));

    assertThat(awaitOutcome(hire).outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(groups(STAGING, "qa.one")).containsExactly("qa");
    assertThat(groups(DEV, "qa.one")).containsExactly("all-staff");
    assertThat(user(PROD, "qa.one").isMissingNode()).isTrue();
  }

  // --- role change ------------------------------------------------------------------------------

  @Test
  void roleChangeRemovesTheOldRolesGroupsAndAddsTheNewOnes() throws Exception {
    awaitOutcome(send(event("hire", "E-MOVE", "move.one", at(1), "developer")));

    String move = send(event("role_change", "E-MOVE", "move.one", at(2), "qa-engineer"));

    assertThat(awaitOutcome(move).outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(groups(DEV, "move.one")).containsExactly("all-staff");
    assertThat(groups(STAGING, "move.one")).containsExactly("qa");
    List<String> moveChanges =
        changes("E-MOVE").stream()
            .filter(c -> c.eventId().equals(move))
            .map(c -> c.action() + " " + c.target())
            .toList();
    assertThat(moveChanges)
        .contains(
            "RemoveUserFromGroup developers", "AddUserToGroup qa", "RemoveUserFromGroup readonly");
  }

  @Test
  void iamChangeRecordsMatchWhatTheSandboxShows() throws Exception {
    awaitOutcome(send(event("hire", "E-AUDIT", "audit.one", at(1), "developer", "sre")));
    awaitOutcome(send(event("role_change", "E-AUDIT", "audit.one", at(2), "project-manager")));

    // Replaying the published changes gives exactly the memberships IAM holds.
    Map<String, Set<String>> replayed = new HashMap<>();
    for (IamChange c : changes("E-AUDIT")) {
      assertThat(c.status()).isEqualTo(ChangeStatus.APPLIED);
      assertThat(c.awsRequestId()).isNotBlank();
      assertThat(c.userName()).isEqualTo("audit.one");
      Set<String> groups = replayed.computeIfAbsent(c.account(), a -> new HashSet<>());
      if (c.action().equals("AddUserToGroup")) {
        groups.add(c.target());
      } else if (c.action().equals("RemoveUserFromGroup")) {
        groups.remove(c.target());
      }
    }
    for (String account : List.of(DEV, STAGING, PROD)) {
      assertThat(groups(account, "audit.one"))
          .as(account)
          .containsExactlyInAnyOrderElementsOf(replayed.getOrDefault(account, Set.of()));
    }
    assertThat(changes("E-AUDIT")).extracting(IamChange::changeId).doesNotHaveDuplicates();
  }

  @Test
  void aHireIntoTheMarkedGroupPublishesItsGrantWithThePrivilegedReason() throws Exception {
    String hire = send(event("hire", "E-PRIV", "priv.one", at(1), "project-manager"));

    assertThat(awaitOutcome(hire).outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(groups(DEV, "priv.one")).contains("iam-user-managers");
    List<IamChange> published = changes("E-PRIV");
    // deploy/roles.yaml marks iam-user-managers privileged in dev, with this reason.
    assertThat(published)
        .filteredOn(c -> c.privilegedReason() != null)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.account()).isEqualTo(DEV);
              assertThat(c.action()).isEqualTo("AddUserToGroup");
              assertThat(c.target()).isEqualTo("iam-user-managers");
              assertThat(c.privilegedReason())
                  .isEqualTo("project managers create test users in dev only");
            });
    assertThat(published)
        .filteredOn(c -> c.privilegedReason() == null)
        .extracting(c -> c.action() + " " + c.target())
        .contains("AddUserToGroup developers", "AddUserToGroup all-staff");
  }

  // --- redelivery -------------------------------------------------------------------------------

  @Test
  void theSameEventDeliveredTwiceMakesNoSecondMutation() throws Exception {
    String json = event("hire", "E-TWICE", "twice.one", at(1), "developer", "sre");
    String eventId = send(json);
    ProvisioningOutcome first = awaitOutcome(eventId);
    assertThat(first.counts().applied()).isEqualTo(7);
    Map<String, Long> before = mutationCalls();
    Map<String, Long> allBefore = allCalls();

    kafka.send(Topics.HR_EVENTS, "E-TWICE", eventId, json);

    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                outcomes("E-TWICE").stream().filter(o -> o.eventId().equals(eventId)).count() >= 2);
    ProvisioningOutcome second = outcomes("E-TWICE").get(1);
    assertThat(second.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(second.counts().planned()).isZero();
    assertThat(mutationCalls()).isEqualTo(before);
    assertThat(changes("E-TWICE")).hasSize(7);
    // The redelivery only reads: GetUser, ListGroupsForUser, ListUserPolicies,
    // ListAttachedUserPolicies per account; the user is found through the index, never by listing.
    Map<String, Long> after = allCalls();
    for (String account : List.of(DEV, STAGING, PROD)) {
      assertThat(after.get(account) - allBefore.get(account)).as(account).isEqualTo(4);
    }
  }

  // --- crash recovery (write-ahead journal) -----------------------------------------------------

  @Test
  void mutationsOfAnAttemptKilledBeforePublishingAreRecordedOnceWhenTheEventIsRedelivered()
      throws Exception {
    String json = event("hire", "E-CRASH", "crash.one", at(1), "developer", "sre");
    String eventId = EventJson.mapper().readTree(json).path("eventId").asText();
    // What the killed attempt journaled: the whole plan of the hire, with its change ids.
    Map<String, String> tags =
        Map.of(
            Tags.EMPLOYEE_ID,
            "E-CRASH",
            Tags.MANAGED_BY,
            Tags.MANAGED_BY_ROSTER,
            Tags.DEPARTMENT,
            "Engineering",
            Tags.TITLE,
            "Engineer",
            Tags.STATUS,
            Tags.STATUS_ACTIVE,
            Tags.LAST_EVENT_AT,
            at(1).toInstant().toString(),
            Tags.LAST_EVENT_ID,
            eventId);
    List<JournaledOp> plan =
        List.of(
            journaled(eventId, "dev", DEV, Operation.createUser("crash.one", tags)),
            journaled(eventId, "dev", DEV, Operation.of(ADD, "crash.one", "all-staff")),
            journaled(eventId, "dev", DEV, Operation.of(ADD, "crash.one", "developers")),
            journaled(eventId, "staging", STAGING, Operation.createUser("crash.one", tags)),
            journaled(eventId, "staging", STAGING, Operation.of(ADD, "crash.one", "readonly")),
            journaled(eventId, "prod", PROD, Operation.createUser("crash.one", tags)),
            journaled(eventId, "prod", PROD, Operation.of(ADD, "crash.one", "operators")));
    try (KafkaClients journal = new KafkaClients(Topics.PROVISIONER_JOURNAL);
        IamClient dev = testClient(DEV);
        IamClient prod = testClient(PROD)) {
      journal.send(
          Topics.PROVISIONER_JOURNAL,
          eventId,
          eventId,
          new ObjectMapper().writeValueAsString(new Intent(eventId, "E-CRASH", plan)));
      // ... and the three mutations it made before kill -9, with no record published.
      List<software.amazon.awssdk.services.iam.model.Tag> iamTags =
          tags.entrySet().stream()
              .map(
                  e ->
                      software.amazon.awssdk.services.iam.model.Tag.builder()
                          .key(e.getKey())
                          .value(e.getValue())
                          .build())
              .toList();
      dev.createUser(r -> r.userName("crash.one").path(Tags.USER_PATH).tags(iamTags));
      dev.addUserToGroup(r -> r.userName("crash.one").groupName("all-staff"));
      prod.createUser(r -> r.userName("crash.one").path(Tags.USER_PATH).tags(iamTags));
      Map<String, Long> before = mutationCalls();

      kafka.send(Topics.HR_EVENTS, "E-CRASH", eventId, json); // the redelivery

      ProvisioningOutcome outcome = awaitOutcome(eventId);
      assertThat(outcome.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(outcome.counts()).isEqualTo(new ProvisioningOutcome.Counts(7, 7, 0));
      List<IamChange> changes = changes("E-CRASH");
      assertThat(changes)
          .as("every mutation of the event recorded once, under its journaled change id")
          .extracting(IamChange::changeId)
          .containsExactlyInAnyOrderElementsOf(plan.stream().map(JournaledOp::changeId).toList());
      assertThat(changes).allSatisfy(c -> assertThat(c.status()).isEqualTo(ChangeStatus.APPLIED));
      assertThat(changes.stream().filter(c -> c.awsRequestId() == null))
          .as("the recovered ones (their request ids died with the attempt)")
          .extracting(c -> c.account() + " " + c.action() + " " + c.target())
          .containsExactlyInAnyOrder(
              DEV + " CreateUser crash.one",
              DEV + " AddUserToGroup all-staff",
              PROD + " CreateUser crash.one");
      long mutations =
          mutationCalls().entrySet().stream()
              .mapToLong(e -> e.getValue() - before.get(e.getKey()))
              .sum();
      assertThat(mutations).as("only the 4 missing mutations are made").isEqualTo(4);
      assertThat(groups(DEV, "crash.one")).containsExactlyInAnyOrder("all-staff", "developers");
      assertThat(groups(STAGING, "crash.one")).containsExactly("readonly");
      assertThat(groups(PROD, "crash.one")).containsExactly("operators");
      // Done: the intent is tombstoned once the records are acknowledged.
      await()
          .atMost(TIMEOUT)
          .until(
              () -> journal.records(Topics.PROVISIONER_JOURNAL, eventId),
              l -> !l.isEmpty() && l.get(l.size() - 1).value() == null);
    }
  }

  @Test
  void anEventThatChangesSomethingIsJournaledBeforeAndTombstonedAfter() throws Exception {
    try (KafkaClients journal = new KafkaClients(Topics.PROVISIONER_JOURNAL)) {
      String hire = send(event("hire", "E-JRNL", "jrnl.one", at(1), "qa-engineer"));
      awaitOutcome(hire);

      List<ConsumerRecord<String, String>> records =
          await()
              .atMost(TIMEOUT)
              .until(() -> journal.records(Topics.PROVISIONER_JOURNAL, hire), l -> l.size() == 2);
      Intent intent = new ObjectMapper().readValue(records.get(0).value(), Intent.class);
      assertThat(intent.operations())
          .extracting(op -> op.accountId() + " " + op.action().apiName() + " " + op.target())
          .containsExactly(
              DEV + " CreateUser jrnl.one",
              DEV + " AddUserToGroup all-staff",
              STAGING + " CreateUser jrnl.one",
              STAGING + " AddUserToGroup qa");
      assertThat(intent.operations())
          .extracting(JournaledOp::changeId)
          .containsExactlyElementsOf(changes("E-JRNL").stream().map(IamChange::changeId).toList());
      assertThat(records.get(1).value()).as("tombstone").isNull();
    }
  }

  // --- ordering ---------------------------------------------------------------------------------

  @Test
  void anEmployeesEventsSentBackToBackAreAppliedInOrder() throws Exception {
    String hire = send(event("hire", "E-SEQ", "seq.one", at(1), "developer"));
    String move = send(event("role_change", "E-SEQ", "seq.one", at(2), "sre"));
    String leave = send(event("leave", "E-SEQ", "seq.one", at(3)));

    awaitOutcome(leave);
    // Delivery is at least once: a rebalance may hand an event to another consumer again, which
    // re-announces it (an idempotent no-op). Order is what matters: first announcements in order.
    assertThat(
            outcomes("E-SEQ").stream()
                .map(o -> org.assertj.core.groups.Tuple.tuple(o.eventId(), o.outcome()))
                .distinct())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(hire, Outcome.COMPLETED),
            org.assertj.core.groups.Tuple.tuple(move, Outcome.COMPLETED),
            org.assertj.core.groups.Tuple.tuple(leave, Outcome.COMPLETED));
    for (String account : List.of(DEV, STAGING, PROD)) {
      assertThat(user(account, "seq.one").path("tags").path(Tags.STATUS).asText())
          .as(account)
          .isEqualTo("deactivated");
      assertThat(groups(account, "seq.one")).as(account).isEmpty();
    }
  }

  @Test
  void employeesOfOnePartitionAreAppliedAtOnceWhileEachEmployeesEventsKeepTheirOrder()
      throws Exception {
    // Six employees whose events all land on one partition, each hired, moved and let go; dev
    // slowed to 100 ms per call, so an event takes about a second there.
    int partition = kafka.partitionOf(Topics.HR_EVENTS, "E-CONC-0");
    List<String> employees =
        java.util.stream.IntStream.range(0, 500)
            .mapToObj(i -> "E-CONC-" + i)
            .filter(e -> kafka.partitionOf(Topics.HR_EVENTS, e) == partition)
            .limit(6)
            .toList();
    sandbox().faults().latency(DEV, null, Duration.ofMillis(100), Duration.ZERO);
    Map<String, List<String>> sent = new HashMap<>();
    String[][] steps = {{"hire", "developer"}, {"role_change", "sre"}, {"leave"}};
    for (int step = 0; step < steps.length; step++) {
      for (String e : employees) {
        String[] roles = Arrays.copyOfRange(steps[step], 1, steps[step].length);
        sent.computeIfAbsent(e, k -> new ArrayList<>())
            .add(send(event(steps[step][0], e, e.toLowerCase(), at(step + 1), roles)));
      }
    }
    for (String e : employees) {
      awaitOutcome(sent.get(e).get(2));
    }

    List<ProvisioningOutcome> all = new ArrayList<>();
    for (String e : employees) {
      // First announcements (a redelivery re-announces), in the order the employee's were sent.
      Map<String, ProvisioningOutcome> first = new java.util.LinkedHashMap<>();
      outcomes(e).forEach(o -> first.putIfAbsent(o.eventId(), o));
      List<ProvisioningOutcome> mine = sent.get(e).stream().map(first::get).toList();
      assertThat(mine).extracting(ProvisioningOutcome::outcome).containsOnly(Outcome.COMPLETED);
      for (int i = 1; i < mine.size(); i++) {
        assertThat(mine.get(i).startedAt())
            .as(
                "%s: %s starts after %s is done",
                e, mine.get(i).eventId(), mine.get(i - 1).eventId())
            .isAfterOrEqualTo(mine.get(i - 1).completedAt());
      }
      // The user's IAM calls in dev come event by event: hire's, then the move's, then the leave's.
      List<String> byTime =
          changes(e).stream()
              .filter(c -> c.account().equals(DEV))
              .sorted(java.util.Comparator.comparing(IamChange::at))
              .map(IamChange::eventId)
              .distinct()
              .toList();
      assertThat(byTime).as(e).containsExactlyElementsOf(sent.get(e));
      for (String account : List.of(DEV, STAGING, PROD)) {
        assertThat(user(account, e.toLowerCase()).path("tags").path(Tags.STATUS).asText())
            .as(e + " in " + account)
            .isEqualTo("deactivated");
        assertThat(groups(account, e.toLowerCase())).as(e + " in " + account).isEmpty();
      }
      all.addAll(mine);
    }
    // One partition, yet several employees' events were being applied at the same moment.
    int most = 0;
    for (ProvisioningOutcome o : all) {
      OffsetDateTime t = o.startedAt();
      int overlapping =
          (int)
              all.stream()
                  .filter(x -> !x.startedAt().isAfter(t) && x.completedAt().isAfter(t))
                  .count();
      most = Math.max(most, overlapping);
    }
    assertThat(most).as("events of one partition in flight at once").isGreaterThanOrEqualTo(3);
  }

  @Test
  void anEventInFlightWhenItsPartitionChangesHandsIsFinishedOnceAndTheNextWaitsForIt()
      throws Exception {
    // Slow mutations keep the hire in flight across both rebalances (accounts run in parallel, so
    // dev's two memberships are what makes it last).
    sandbox().faults().latency(null, "AddUserToGroup", Duration.ofMillis(2000), Duration.ZERO);
    String hire = send(event("hire", "E-REBAL", "rebal.one", at(1), "developer", "sre"));
    String leave = send(event("leave", "E-REBAL", "rebal.one", at(2)));
    await().atMost(TIMEOUT).until(() -> !user(DEV, "rebal.one").isMissingNode());

    KafkaClients.joinAndLeave("roster-provisioner", Topics.HR_EVENTS);
    sandbox().faults().clear();

    awaitOutcome(leave);
    KafkaClients.awaitStableGroup("roster-provisioner", Topics.HR_EVENTS);
    // Drained and committed: neither re-applied nor re-announced by the partition's next owner, and
    // the leave came after the hire's last mutation, so nothing of the hire survives it.
    assertThat(outcomes("E-REBAL"))
        .extracting(ProvisioningOutcome::eventId, ProvisioningOutcome::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(hire, Outcome.COMPLETED),
            org.assertj.core.groups.Tuple.tuple(leave, Outcome.COMPLETED));
    assertThat(changes("E-REBAL").stream().map(IamChange::changeId)).doesNotHaveDuplicates();
    for (String account : List.of(DEV, STAGING, PROD)) {
      assertThat(groups(account, "rebal.one")).as(account).isEmpty();
      assertThat(user(account, "rebal.one").path("tags").path(Tags.STATUS).asText())
          .as(account)
          .isEqualTo("deactivated");
    }
  }

  // --- faults -----------------------------------------------------------------------------------

  @Test
  void withThirtyPercentOfCallsThrottledEveryEventStillCompletes() throws Exception {
    sandbox().faults().throttle(null, null, 0.3);
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      events.add(send(event("hire", "E-THR" + i, "throttled." + i, at(1), "developer", "sre")));
    }

    for (int i = 0; i < events.size(); i++) {
      assertThat(awaitOutcome(events.get(i)).outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(groups(DEV, "throttled." + i))
          .containsExactlyInAnyOrder("all-staff", "developers");
      assertThat(groups(PROD, "throttled." + i)).containsExactly("operators");
    }
    String metrics = io.restassured.RestAssured.given().get("/q/metrics").asString();
    assertThat(metrics).as("throttled calls were retried").contains("roster_iam_retries_total{");
  }

  @Test
  void aReadThatKeepsFailingStillLetsTheDenyAllInAndTheOtherAccountsComplete() throws Exception {
    awaitOutcome(send(event("hire", "E-RDF", "readfail.one", at(1), "developer")));
    sandbox().faults().fail(DEV, "ListAccessKeys", 1.0);

    String json = event("leave", "E-RDF", "readfail.one", at(2));
    String leave = send(json);

    ProvisioningOutcome outcome = awaitOutcome(leave);
    assertThat(outcome.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(outcome.reason()).contains("ListAccessKeys");
    assertThat(outcome.accounts())
        .extracting(a -> a.name() + " " + a.state().wireName())
        .containsExactly("dev cut_off", "staging completed", "prod skipped");
    assertThat(outcome.cutOffAt()).as("deny-all in both accounts of the user").isNotNull();
    ConsumerRecord<String, String> dead =
        await()
            .atMost(TIMEOUT)
            .until(() -> kafka.records(Topics.HR_EVENTS_DLQ, "E-RDF"), l -> !l.isEmpty())
            .get(0);
    assertThat(KafkaClients.header(dead, CloudEvents.HEADER_DLQ_REASON))
        .isEqualTo("retries-exhausted");
    assertThat(user(DEV, "readfail.one").path("inlinePolicies").has(Tags.DENY_ALL_POLICY)).isTrue();
    assertThat(groups(DEV, "readfail.one"))
        .as("the cleanup waits for a later delivery")
        .containsExactlyInAnyOrder("all-staff", "developers");
    assertThat(groups(STAGING, "readfail.one")).isEmpty();

    sandbox().faults().clear();
    kafka.send(Topics.HR_EVENTS, "E-RDF", leave, json);

    await()
        .atMost(TIMEOUT)
        .until(
            () -> outcomes("E-RDF").stream().filter(o -> o.eventId().equals(leave)).count() >= 2);
    assertThat(outcomes("E-RDF").get(outcomes("E-RDF").size() - 1).outcome())
        .isEqualTo(Outcome.COMPLETED);
    assertThat(groups(DEV, "readfail.one")).isEmpty();
  }

  // --- cut-off: any replica, every account, whatever fails --------------------------------------

  @Test
  void aLeaveOfAUserAnotherReplicaCreatedIsCutOffEverywhere() throws Exception {
    // Hired by another instance: this one has never seen the user.
    Map<String, String> tags =
        Map.of(
            Tags.EMPLOYEE_ID,
            "E-REPLICA",
            Tags.MANAGED_BY,
            Tags.MANAGED_BY_ROSTER,
            Tags.STATUS,
            Tags.STATUS_ACTIVE,
            Tags.LAST_EVENT_AT,
            at(1).toInstant().toString());
    try (IamClient dev = testClient(DEV);
        IamClient prod = testClient(PROD)) {
      for (IamClient iam : List.of(dev, prod)) {
        iam.createUser(r -> r.userName("replica.one").path(Tags.USER_PATH).tags(iamTags(tags)));
      }
      dev.addUserToGroup(r -> r.userName("replica.one").groupName("developers"));
      prod.addUserToGroup(r -> r.userName("replica.one").groupName("operators"));
    }

    String leave = send(event("leave", "E-REPLICA", "replica.one", at(2)));

    ProvisioningOutcome outcome = awaitOutcome(leave);
    assertThat(outcome.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(outcome.cutOffAt()).isNotNull();
    assertThat(outcome.accounts())
        .extracting(a -> a.name() + " " + a.state().wireName())
        .containsExactly("dev completed", "staging skipped", "prod completed");
    for (String account : List.of(DEV, PROD)) {
      assertThat(user(account, "replica.one").path("inlinePolicies").has(Tags.DENY_ALL_POLICY))
          .as(account)
          .isTrue();
      assertThat(groups(account, "replica.one")).as(account).isEmpty();
    }
  }

  @Test
  void aLeaveThatFindsNobodyFailsAsNotFoundIntoTheDlq() throws Exception {
    String leave = send(event("leave", "E-NOBODY", "nobody", at(2)));

    ProvisioningOutcome outcome = awaitOutcome(leave);
    assertThat(outcome.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(outcome.reason()).startsWith("not-found");
    ConsumerRecord<String, String> dead =
        await()
            .atMost(TIMEOUT)
            .until(() -> kafka.records(Topics.HR_EVENTS_DLQ, "E-NOBODY"), l -> !l.isEmpty())
            .get(0);
    assertThat(KafkaClients.header(dead, CloudEvents.HEADER_DLQ_REASON)).isEqualTo("not-found");
  }

  @Test
  void stagingFailingEveryDenyAllStillCutsDevAndProdAndALaterRetryCompletesStaging()
      throws Exception {
    awaitOutcome(send(event("hire", "E-STG", "stg.one", at(1), "developer", "sre")));
    sandbox().faults().fail(STAGING, "PutUserPolicy", 1.0);

    String json = event("leave", "E-STG", "stg.one", at(2));
    String leave = send(json);

    ProvisioningOutcome outcome = awaitOutcome(leave);
    assertThat(outcome.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(outcome.accounts())
        .extracting(a -> a.name() + " " + a.state().wireName())
        .containsExactly("dev completed", "staging failed", "prod completed");
    assertThat(outcome.cutOffAt()).as("not cut off in staging").isNull();
    assertThat(outcome.reason()).contains("staging");
    assertThat(user(DEV, "stg.one").path("inlinePolicies").has(Tags.DENY_ALL_POLICY)).isTrue();
    assertThat(user(PROD, "stg.one").path("inlinePolicies").has(Tags.DENY_ALL_POLICY)).isTrue();

    sandbox().faults().clear();
    kafka.send(Topics.HR_EVENTS, "E-STG", leave, json); // the retry, e.g. from the DLQ

    await()
        .atMost(TIMEOUT)
        .until(
            () -> outcomes("E-STG").stream().filter(o -> o.eventId().equals(leave)).count() >= 2);
    ProvisioningOutcome retry = outcomes("E-STG").get(outcomes("E-STG").size() - 1);
    assertThat(retry.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(retry.cutOffAt()).isNotNull();
    assertThat(user(STAGING, "stg.one").path("inlinePolicies").has(Tags.DENY_ALL_POLICY)).isTrue();
    assertThat(groups(STAGING, "stg.one")).isEmpty();
    String metrics = io.restassured.RestAssured.given().get("/q/metrics").asString();
    assertThat(metrics)
        .contains("roster_leaver_cutoff_seconds_bucket")
        .contains("roster_leaver_completion_seconds_bucket");
  }

  @Test
  void aRoleChangeAfterALeaveGivesNoAccessAnywhere() throws Exception {
    awaitOutcome(send(event("hire", "E-LRC", "lrc.one", at(1), "developer")));
    awaitOutcome(send(event("leave", "E-LRC", "lrc.one", at(2))));

    String move = send(event("role_change", "E-LRC", "lrc.one", at(3), "sre"));

    ProvisioningOutcome outcome = awaitOutcome(move);
    assertThat(outcome.outcome()).isNotEqualTo(Outcome.FAILED);
    assertThat(user(PROD, "lrc.one").isMissingNode()).as("no prod user for a leaver").isTrue();
    for (String account : List.of(DEV, STAGING)) {
      assertThat(user(account, "lrc.one").path("inlinePolicies").has(Tags.DENY_ALL_POLICY))
          .as(account)
          .isTrue();
      assertThat(groups(account, "lrc.one")).as(account).isEmpty();
    }
  }

  @Test
  void aLeaveWhoseStsSessionsWereEndedEarlyRenewsThemAndCutsOffEveryAccount() throws Exception {
    awaitOutcome(send(event("hire", "E-STS", "sts.one", at(1), "sre")));
    // staging and prod are reached through AssumeRole: the sessions the SDK holds end now, though
    // by their own expiry they have an hour left.
    assertThat(sandbox().expireSessions()).isPositive();

    ProvisioningOutcome left = awaitOutcome(send(event("leave", "E-STS", "sts.one", at(2))));

    assertThat(left.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(left.cutOffAt()).isNotNull();
    // sre has no staging user; prod is reached through AssumeRole, dev without.
    for (String account : List.of(DEV, PROD)) {
      assertThat(user(account, "sts.one").path("inlinePolicies").has(Tags.DENY_ALL_POLICY))
          .as(account)
          .isTrue();
    }
  }

  @Test
  void aHireRedeliveredWithTheLeavesTimestampLeavesTheLeaverCutOff() throws Exception {
    String hireJson = event("hire", "E-TIE", "tie.one", at(1), "developer");
    String hire = send(hireJson);
    awaitOutcome(hire);
    awaitOutcome(send(event("leave", "E-TIE", "tie.one", at(1))));

    kafka.send(Topics.HR_EVENTS, "E-TIE", hire, hireJson);

    await()
        .atMost(TIMEOUT)
        .until(() -> outcomes("E-TIE").stream().filter(o -> o.eventId().equals(hire)).count() >= 2);
    ProvisioningOutcome again = outcomes("E-TIE").get(outcomes("E-TIE").size() - 1);
    assertThat(again.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(again.reason()).contains("E-TIE-leave");
    assertThat(user(DEV, "tie.one").path("inlinePolicies").has(Tags.DENY_ALL_POLICY)).isTrue();
    assertThat(groups(DEV, "tie.one")).isEmpty();
  }

  @Test
  void anEventDatedAnHourAheadIsDeadLetteredAndChangesNothing() throws Exception {
    Map<String, Long> before = mutationCalls();

    String hire =
        send(
            event(
                "hire",
                "E-FUTURE",
                "future.one",
                OffsetDateTime.now(java.time.ZoneOffset.UTC).plusHours(1).withNano(0),
                "developer"));

    assertThat(awaitOutcome(hire).outcome()).isEqualTo(Outcome.FAILED);
    ConsumerRecord<String, String> dead =
        await()
            .atMost(TIMEOUT)
            .until(() -> kafka.records(Topics.HR_EVENTS_DLQ, "E-FUTURE"), l -> !l.isEmpty())
            .get(0);
    assertThat(KafkaClients.header(dead, CloudEvents.HEADER_DLQ_REASON))
        .isEqualTo("future-occurred-at");
    assertThat(mutationCalls()).isEqualTo(before);
  }

  static List<software.amazon.awssdk.services.iam.model.Tag> iamTags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(
            e ->
                software.amazon.awssdk.services.iam.model.Tag.builder()
                    .key(e.getKey())
                    .value(e.getValue())
                    .build())
        .toList();
  }

  @Test
  void anEventKeptOverAMinuteBySlowIamDoesNotFailTheChannel() throws Exception {
    awaitOutcome(send(event("hire", "E-SLOW", "slow.one", at(1), "developer")));
    // Every dev call takes 15 s: the leave (two read round trips and its writes) waits on IAM for
    // over a minute, past the connector's default limit for an unacknowledged record.
    sandbox().faults().latency(DEV, null, Duration.ofSeconds(15), Duration.ZERO);

    String leave = send(event("leave", "E-SLOW", "slow.one", at(2)));

    ProvisioningOutcome outcome =
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () ->
                    outcomes("E-SLOW").stream().filter(o -> o.eventId().equals(leave)).findFirst(),
                java.util.Optional::isPresent)
            .get();
    assertThat(outcome.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(Duration.between(outcome.startedAt(), outcome.completedAt()))
        .as("the leave really took longer than the default limit")
        .isGreaterThan(Duration.ofSeconds(60));
    sandbox().faults().clear();
    io.restassured.RestAssured.given().get("/q/health/live").then().statusCode(200);
    // ... and the channel still consumes.
    assertThat(
            awaitOutcome(send(event("hire", "E-SLOW2", "slow.two", at(1), "qa-engineer")))
                .outcome())
        .isEqualTo(Outcome.COMPLETED);
  }

  // --- hands off --------------------------------------------------------------------------------

  @Test
  void anUnmanagedUserOfTheSameNameEndsInTheDlqUntouched() throws Exception {
    sandbox()
        .seed(
            new ByteArrayInputStream(
                """
                {"accounts":{"111111111111":{"users":[
                  {"name":"mallory","tags":{"team":"platform"},"groups":["developers"]}]}}}
                """
                    .getBytes(StandardCharsets.UTF_8)));
    JsonNode before = user(DEV, "mallory");
    Map<String, Long> callsBefore = mutationCalls();

    String hire = send(event("hire", "E-MAL", "mallory", at(1), "developer"));

    ProvisioningOutcome outcome = awaitOutcome(hire);
    assertThat(outcome.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(outcome.reason()).contains("not managed by Roster");
    ConsumerRecord<String, String> dead =
        await()
            .atMost(TIMEOUT)
            .until(() -> kafka.records(Topics.HR_EVENTS_DLQ, "E-MAL"), l -> !l.isEmpty())
            .get(0);
    assertThat(KafkaClients.header(dead, CloudEvents.HEADER_DLQ_REASON))
        .isEqualTo("unmanaged-user");
    assertThat(KafkaClients.header(dead, CloudEvents.HEADER_DLQ_CAUSE)).contains("mallory");
    assertThat(dead.value()).contains("\"eventId\":\"" + hire + "\"");
    assertThat(user(DEV, "mallory")).isEqualTo(before);
    assertThat(user(STAGING, "mallory").isMissingNode()).as("no account is touched").isTrue();
    assertThat(mutationCalls()).isEqualTo(callsBefore);
  }

  @Test
  void aMalformedEventGoesToTheDlqAndTheConsumerMovesOn() throws Exception {
    kafka.send(Topics.HR_EVENTS, "E-BAD", "bad-1", "{\"eventId\":\"bad-1\",\"type\":\"fire\"}");
    String next = send(event("hire", "E-BAD", "after.bad", at(1), "qa-engineer"));

    assertThat(awaitOutcome(next).outcome()).isEqualTo(Outcome.COMPLETED);
    ConsumerRecord<String, String> dead = kafka.records(Topics.HR_EVENTS_DLQ, "E-BAD").get(0);
    assertThat(KafkaClients.header(dead, CloudEvents.HEADER_DLQ_REASON)).isEqualTo("malformed");
    assertThat(KafkaClients.header(dead, CloudEvents.HEADER_DLQ_CAUSE)).contains("/type");
    assertThat(awaitOutcome("bad-1").outcome()).isEqualTo(Outcome.FAILED);
    // Ops see it counted by topic and reason (every reason is exported from the start).
    String metrics = io.restassured.RestAssured.given().get("/q/metrics").asString();
    assertThat(metrics)
        .containsPattern(
            "roster_dead_lettered_total\\{[^}]*reason=\"malformed\",topic=\"hr.events.dlq\"[^}]*} [1-9]")
        .contains("reason=\"not-found\",topic=\"hr.events.dlq\"")
        .contains("roster_events_held ");
  }

  // --- leave ------------------------------------------------------------------------------------

  @Test
  void leaveOnAUserHoldingEveryCredentialKindLeavesNothingActiveAndTheDenyAllInPlace()
      throws Exception {
    awaitOutcome(send(event("hire", "E-LEAVE", "leave.one", at(1), "developer", "sre")));
    String u = "leave.one";
    try (IamClient dev = testClient(DEV);
        IamClient prod = testClient(PROD)) {
      giveEveryKindOfAccess(dev, u, 2, "leave-extra");
      prod.addUserToGroup(r -> r.userName(u).groupName("break-glass"));
      Map<String, Long> before = mutationCalls();

      String leave = send(event("leave", "E-LEAVE", u, at(2)));

      ProvisioningOutcome outcome = awaitOutcome(leave);
      assertThat(outcome.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(outcome.counts().failed()).isZero();
      // dev: deny-all, login, 2 keys, ssh, service credential, certificate, MFA, 2 groups,
      // attached,
      // inline, tags = 13; staging: deny-all, 1 group, tags = 3; prod: the same = 3.
      assertThat(outcome.counts().applied()).isEqualTo(19);
      long mutations =
          mutationCalls().entrySet().stream()
              .mapToLong(e -> e.getValue() - before.get(e.getKey()))
              .sum();
      assertThat(mutations).as("one IAM call per published change").isEqualTo(19);
      assertThat(changes("E-LEAVE").stream().filter(c -> c.eventId().equals(leave))).hasSize(19);
      assertThat(
              org.junit.jupiter.api.Assertions.assertThrows(
                  NoSuchEntityException.class, () -> dev.getLoginProfile(r -> r.userName(u))))
          .isNotNull();
      assertThat(dev.listAccessKeys(r -> r.userName(u)).accessKeyMetadata())
          .hasSize(2)
          .allSatisfy(k -> assertThat(k.status()).isEqualTo(StatusType.INACTIVE));
      assertThat(dev.listSSHPublicKeys(r -> r.userName(u)).sshPublicKeys())
          .hasSize(1)
          .allSatisfy(k -> assertThat(k.status()).isEqualTo(StatusType.INACTIVE));
      assertThat(
              dev.listServiceSpecificCredentials(r -> r.userName(u)).serviceSpecificCredentials())
          .hasSize(1)
          .allSatisfy(k -> assertThat(k.status()).isEqualTo(StatusType.INACTIVE));
      assertThat(dev.listSigningCertificates(r -> r.userName(u)).certificates())
          .hasSize(1)
          .allSatisfy(k -> assertThat(k.status()).isEqualTo(StatusType.INACTIVE));
      assertThat(dev.listMFADevices(r -> r.userName(u)).mfaDevices()).isEmpty();
      assertThat(dev.listGroupsForUser(r -> r.userName(u)).groups()).isEmpty();
      assertThat(dev.listAttachedUserPolicies(r -> r.userName(u)).attachedPolicies()).isEmpty();
      assertThat(dev.listUserPolicies(r -> r.userName(u)).policyNames())
          .containsExactly(Tags.DENY_ALL_POLICY);
      assertThat(
              java.net.URLDecoder.decode(
                  dev.getUserPolicy(r -> r.userName(u).policyName(Tags.DENY_ALL_POLICY))
                      .policyDocument(),
                  StandardCharsets.UTF_8))
          .contains("\"Deny\"");
      for (String account : List.of(DEV, STAGING, PROD)) {
        JsonNode tags = user(account, u).path("tags");
        assertThat(tags.path(Tags.STATUS).asText()).as(account).isEqualTo("deactivated");
        assertThat(tags.path(Tags.DEACTIVATED_AT).asText()).as(account).isNotBlank();
        assertThat(user(account, u).path("inlinePolicies").has(Tags.DENY_ALL_POLICY)).isTrue();
      }
      assertThat(groups(STAGING, u)).isEmpty();
      assertThat(groups(PROD, u)).as("ignored groups stay").containsExactly("break-glass");
      assertThat(user(DEV, u).isMissingNode()).as("kept for forensics").isFalse();
    }
  }

  // --- operations -------------------------------------------------------------------------------

  @Test
  void healthReportsEveryAccountAndMetricsCountEventsAndIamCalls() throws Exception {
    awaitOutcome(send(event("hire", "E-OPS", "ops.one", at(1), "sre")));

    io.restassured.RestAssured.given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'iam' }.status", org.hamcrest.Matchers.is("UP"))
        .body(
            "checks.find { it.name == 'iam' }.data.'prod (333333333333)'",
            org.hamcrest.Matchers.is("reachable"))
        .body("checks.find { it.name == 'journal' }.status", org.hamcrest.Matchers.is("UP"));
    String metrics = io.restassured.RestAssured.given().get("/q/metrics").asString();
    assertThat(metrics)
        .contains("roster_events_total{outcome=\"completed\",type=\"hire\"}")
        .contains(
            "roster_iam_calls_total{account=\"prod\",action=\"CreateUser\",outcome=\"success\"}")
        .contains("roster_provisioning_lag_seconds_bucket")
        .containsPattern("(?m)^roster_events_in_flight [0-9.]+$")
        .containsPattern("(?m)^roster_events_waiting [0-9.]+$");
  }

  static final IamAction ADD = IamAction.ADD_USER_TO_GROUP;

  static JournaledOp journaled(String eventId, String account, String accountId, Operation op) {
    return JournaledOp.of(
        ChangeIds.of(eventId, accountId, op.action().apiName(), op.target()),
        account,
        accountId,
        op);
  }

  // --- helpers ----------------------------------------------------------------------------------

  static IamClient testClient(String accountId) {
    return IamClient.builder()
        .endpointOverride(sandbox().endpoint())
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accountId, "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  static String resource(String name) {
    try (var in = ProvisionerFlowTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static int seq;

  static OffsetDateTime at(int day) {
    return OffsetDateTime.parse("2026-03-0" + day + "T09:00:00+01:00");
  }

  static String event(
      String type, String employeeId, String username, OffsetDateTime at, String... roles) {
    String eventId = employeeId + "-" + type + "-" + (++seq);
    String employee =
        type.equals("leave")
            ? ""
            : ",\"employee\":{\"username\":\"%s\",\"email\":\"%s@example.com\",\"displayName\":\"%s\",\"department\":\"Engineering\",\"title\":\"Engineer\",\"roles\":[%s]}"
                .formatted(
                    username,
                    username,
                    username,
                    Arrays.stream(roles)
                        .map(r -> "\"" + r + "\"")
                        .collect(Collectors.joining(",")));
    return "{\"eventId\":\"%s\",\"type\":\"%s\",\"employeeId\":\"%s\",\"occurredAt\":\"%s\"%s}"
        .formatted(
            eventId, type, employeeId, at.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), employee);
  }

  /** Sends an event JSON keyed by its employee id; returns its event id. */
  static String send(String json) throws Exception {
    return kafka.sendEvent(json);
  }

  static ProvisioningOutcome awaitOutcome(String eventId) {
    return kafka.awaitOutcome(eventId, TIMEOUT);
  }

  static List<ProvisioningOutcome> outcomes(String employeeId) {
    return kafka.records(Topics.IAM_CHANGES, employeeId).stream()
        .filter(
            r -> CloudEvents.OUTCOME_TYPE.equals(KafkaClients.header(r, CloudEvents.HEADER_TYPE)))
        .map(r -> read(r.value(), ProvisioningOutcome.class))
        .toList();
  }

  static List<IamChange> changes(String employeeId) {
    return kafka.records(Topics.IAM_CHANGES, employeeId).stream()
        .filter(
            r ->
                CloudEvents.IAM_CHANGE_TYPE.equals(KafkaClients.header(r, CloudEvents.HEADER_TYPE)))
        .map(r -> read(r.value(), IamChange.class))
        .toList();
  }

  static <T> T read(String json, Class<T> type) {
    try {
      return EventJson.mapper().readValue(json, type);
    } catch (Exception e) {
      throw new AssertionError("unreadable " + type.getSimpleName() + ": " + json, e);
    }
  }

  static JsonNode user(String account, String userName) {
    return sandbox().state(account).path("users").path(userName.toLowerCase());
  }

  static Set<String> groups(String account, String userName) {
    Set<String> groups = new HashSet<>();
    user(account, userName).path("groups").forEach(g -> groups.add(g.asText()));
    return groups;
  }

  /** Every IAM/STS call, per account. */
  static Map<String, Long> allCalls() {
    Map<String, Long> calls = new HashMap<>();
    for (String account : List.of(DEV, STAGING, PROD)) {
      calls.put(account, sandbox().calls(account, null));
    }
    return calls;
  }

  /** Calls of every mutating IAM action, per account. */
  static Map<String, Long> mutationCalls() {
    Map<String, Long> calls = new HashMap<>();
    for (String account : List.of(DEV, STAGING, PROD)) {
      for (String action : MUTATIONS) {
        calls.put(account + "/" + action, sandbox().calls(account, action));
      }
    }
    return calls;
  }

  /**
   * Everything a leave must cut or clean in one account, planted through the SDK: a console
   * password, {@code accessKeys} access keys, an SSH key, a service credential, a signing
   * certificate, an enabled MFA device, a managed policy {@code policyName} attached and an inline
   * policy.
   */
  static void giveEveryKindOfAccess(IamClient iam, String u, int accessKeys, String policyName) {
    iam.createLoginProfile(r -> r.userName(u).password("Corr3ct-Horse-Battery-Staple!"));
    for (int k = 0; k < accessKeys; k++) {
      iam.createAccessKey(r -> r.userName(u));
    }
    iam.uploadSSHPublicKey(r -> r.userName(u).sshPublicKeyBody(resource("/ssh-key.pub")));
    iam.createServiceSpecificCredential(r -> r.userName(u).serviceName("codecommit.amazonaws.com"));
    iam.uploadSigningCertificate(r -> r.userName(u).certificateBody(resource("/signing-cert.pem")));
    VirtualMFADevice mfa =
        iam.createVirtualMFADevice(r -> r.virtualMFADeviceName(u)).virtualMFADevice();
    String seed = mfa.base32StringSeed().asUtf8String();
    long step = System.currentTimeMillis() / 30_000;
    iam.enableMFADevice(
        r ->
            r.userName(u)
                .serialNumber(mfa.serialNumber())
                .authenticationCode1(Totp.code(seed, step - 1))
                .authenticationCode2(Totp.code(seed, step)));
    String doc =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
    String arn = iam.createPolicy(r -> r.policyName(policyName).policyDocument(doc)).policy().arn();
    iam.attachUserPolicy(r -> r.userName(u).policyArn(arn));
    iam.putUserPolicy(r -> r.userName(u).policyName("inline-extra").policyDocument(doc));
  }
}
