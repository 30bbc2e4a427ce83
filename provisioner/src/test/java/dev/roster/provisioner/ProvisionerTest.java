package dev.roster.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.events.ChangeStatus;
import dev.roster.events.Employee;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.provisioner.Provisioner.Result;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMappingLoader;
import dev.roster.provisioner.iam.DryRunIamGateway;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.iam.UserIndex;
import dev.roster.provisioner.journal.Journal;
import dev.roster.provisioner.plan.UserState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The orchestration around the planner: all accounts planned and checked before any change. */
class ProvisionerTest {
  static final RoleMapping MAPPING = RoleMappingLoader.load(Path.of("../deploy/roles.yaml"));
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T10:00:00Z"), ZoneOffset.UTC);

  final FakeIamGateway iam =
      new FakeIamGateway()
          .group("dev", "all-staff", "developers", "iam-user-managers")
          .group("staging", "readonly", "qa")
          .group("prod", "operators", "break-glass");

  Provisioner provisioner(IamGateway gateway) {
    return provisioner(gateway, Journal.NONE);
  }

  /** A fresh instance (empty caches, index loaded from IAM), as after a restart. */
  Provisioner provisioner(IamGateway gateway, Journal journal) {
    return new Provisioner(MAPPING, gateway, new UserIndex(gateway), journal, CLOCK);
  }

  static HrEvent event(String id, EventType type, String day, String... roles) {
    OffsetDateTime at = OffsetDateTime.parse("2026-03-0" + day + "T09:00:00Z");
    Employee e =
        type == EventType.LEAVE
            ? null
            : new Employee("jdoe", "jdoe@example.com", "J Doe", "Eng", "Dev", List.of(roles));
    return new HrEvent(id, type, "E1", at, at, e, null);
  }

  @Test
  void hireAppliesInEveryMappedAccountAndPublishesOneChangePerMutation() {
    Result r = provisioner(iam).process(event("ev-1", EventType.HIRE, "1", "developer", "sre"));

    assertThat(r.outcome().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(r.changes())
        .hasSize(7)
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChangeStatus.APPLIED));
    assertThat(r.changes())
        .extracting(IamChange::account)
        .containsOnly("111111111111", "222222222222", "333333333333");
    assertThat(r.outcome().counts())
        .isEqualTo(new dev.roster.events.ProvisioningOutcome.Counts(7, 7, 0));
    assertThat(iam.applied).hasSize(7);
  }

  @Test
  void aMissingGroupFailsTheEventBeforeAnyAccountIsChanged() {
    iam.groups.get("prod").remove("operators");

    Result r = provisioner(iam).process(event("ev-1", EventType.HIRE, "1", "developer", "sre"));

    assertThat(r.dlqReason()).isEqualTo(DlqReason.MISSING_GROUP);
    assertThat(r.detail()).contains("prod/operators");
    assertThat(r.outcome().outcome()).isEqualTo(Outcome.FAILED);
    assertThat(iam.applied).isEmpty();
  }

  @Test
  void anUnknownRoleFailsTheEventInsteadOfGrantingPartOfTheAccess() {
    Result r =
        provisioner(iam).process(event("ev-1", EventType.HIRE, "1", "developer", "astronaut"));

    assertThat(r.dlqReason()).isEqualTo(DlqReason.UNKNOWN_ROLE);
    assertThat(r.detail()).contains("astronaut");
    assertThat(iam.applied).isEmpty();
  }

  @Test
  void aStrangersUserInOneAccountLeavesEveryAccountUntouched() {
    iam.user("prod", UserState.basic("jdoe", Map.of("owner", "someone"), Set.of(), Set.of()));

    Result r = provisioner(iam).process(event("ev-1", EventType.HIRE, "1", "developer", "sre"));

    assertThat(r.dlqReason()).isEqualTo(DlqReason.UNMANAGED_USER);
    assertThat(iam.applied).isEmpty();
  }

  @Test
  void dryRunPublishesPlannedChangesAndAppliesNothing() {
    Result r =
        provisioner(new DryRunIamGateway(iam))
            .process(event("ev-1", EventType.HIRE, "1", "developer"));

    assertThat(r.changes())
        .hasSize(5)
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChangeStatus.PLANNED));
    assertThat(r.outcome().counts().planned()).isEqualTo(5);
    assertThat(r.outcome().counts().applied()).isZero();
    assertThat(iam.applied).isEmpty();
  }

  @Test
  void aFencedEventStopsBeforeTheNextMutation() {
    int[] asked = {0};
    // Owned for the first three mutations, then the partition is taken away.
    BooleanSupplier owned = () -> ++asked[0] <= 3;

    assertThatThrownBy(
            () ->
                provisioner(iam)
                    .process(event("ev-1", EventType.HIRE, "1", "developer", "sre"), owned))
        .isInstanceOf(dev.roster.provisioner.iam.Fenced.class)
        .hasMessageContaining("ev-1");
    assertThat(iam.applied).hasSize(3);
    assertThat(asked[0]).isEqualTo(4);
  }

  @Test
  void exhaustedRetriesStopTheEventWithAFailedChange() {
    iam.failOn = "AddUserToGroup";

    Result r = provisioner(iam).process(event("ev-1", EventType.HIRE, "1", "developer"));

    assertThat(r.dlqReason()).isEqualTo(DlqReason.RETRIES_EXHAUSTED);
    assertThat(r.changes())
        .last()
        .satisfies(
            c -> {
              assertThat(c.status()).isEqualTo(ChangeStatus.FAILED);
              assertThat(c.error()).contains("Rate exceeded");
            });
    assertThat(r.outcome().counts().failed()).as("dev and staging, each on its own").isEqualTo(2);
  }

  @Test
  void anOlderEventIsSkippedAndALeaveFindsUsersThroughTheIndex() {
    Provisioner p = provisioner(iam);
    p.process(event("ev-2", EventType.HIRE, "2", "developer"));

    Result stale = p.process(event("ev-1", EventType.ROLE_CHANGE, "1", "qa-engineer"));
    Result leave = p.process(event("ev-3", EventType.LEAVE, "3"));

    assertThat(stale.outcome().outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(stale.changes()).isEmpty();
    assertThat(leave.outcome().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(iam.users.get("dev").get("jdoe").deactivated()).isTrue();
    assertThat(iam.users.get("staging").get("jdoe").deactivated()).isTrue();
    assertThat(iam.users.getOrDefault("prod", Map.of())).isEmpty();
  }

  // --- write-ahead journal ----------------------------------------------------------------------

  @Test
  void anAttemptKilledAfterSomeMutationsIsCompletedAndEveryMutationRecordedOnce() {
    InMemoryJournal journal = new InMemoryJournal();
    HrEvent hire = event("ev-1", EventType.HIRE, "1", "developer", "sre");
    iam.dieAfter = 3;
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> provisioner(iam, journal).process(hire));
    List<String> intended =
        journal.intents.get("ev-1").operations().stream()
            .map(dev.roster.provisioner.journal.JournaledOp::changeId)
            .toList();
    assertThat(intended).hasSize(7);
    iam.dieAfter = -1;

    Result r = provisioner(iam, journal).process(hire);

    assertThat(r.outcome().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(r.changes())
        .extracting(IamChange::changeId)
        .containsExactlyInAnyOrderElementsOf(intended);
    assertThat(r.changes()).allSatisfy(c -> assertThat(c.status()).isEqualTo(ChangeStatus.APPLIED));
    assertThat(r.outcome().counts())
        .isEqualTo(new dev.roster.events.ProvisioningOutcome.Counts(7, 7, 0));
    assertThat(iam.applied).as("no mutation twice").hasSize(7);
    assertThat(r.journaled()).as("the intent is to be marked done").isTrue();
  }

  @Test
  void anAttemptKilledTwiceStillRecordsWhatTheFirstOneApplied() {
    InMemoryJournal journal = new InMemoryJournal();
    HrEvent hire = event("ev-1", EventType.HIRE, "1", "developer", "sre");
    iam.dieAfter = 2;
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> provisioner(iam, journal).process(hire));
    iam.dieAfter = 5; // the second attempt recovers 2, applies 3 more, dies before publishing
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> provisioner(iam, journal).process(hire));
    iam.dieAfter = -1;

    Result r = provisioner(iam, journal).process(hire);

    assertThat(r.changes()).hasSize(7).extracting(IamChange::changeId).doesNotHaveDuplicates();
    assertThat(r.changes())
        .extracting(c -> c.action() + " " + c.target())
        .contains("CreateUser jdoe", "AddUserToGroup all-staff", "AddUserToGroup operators");
    assertThat(iam.applied).hasSize(7);
  }

  @Test
  void theJournalIsWrittenOnceBeforeMutatingAndNotAtAllForAConvergedEvent() {
    InMemoryJournal journal = new InMemoryJournal();
    HrEvent hire = event("ev-1", EventType.HIRE, "1", "developer");

    Result first = provisioner(iam, journal).process(hire);
    journal.done("ev-1");
    int writes = journal.writes;
    Result again = provisioner(iam, journal).process(hire);

    assertThat(first.journaled()).isTrue();
    assertThat(writes).as("one intent, one done").isEqualTo(2);
    assertThat(again.changes()).isEmpty();
    assertThat(again.journaled()).isFalse();
    assertThat(journal.writes).as("nothing to apply, nothing journaled").isEqualTo(writes);
  }

  // --- cut-off: any replica, every account, whatever fails --------------------------------------

  static HrEvent at(String id, EventType type, String instant, String... roles) {
    OffsetDateTime at = OffsetDateTime.parse(instant);
    Employee e =
        type == EventType.LEAVE
            ? null
            : new Employee("jdoe", "jdoe@example.com", "J Doe", "Eng", "Dev", List.of(roles));
    return new HrEvent(id, type, "E1", at, at, e, null);
  }

  static boolean cutOff(FakeIamGateway iam, String account) {
    UserState u = iam.users.getOrDefault(account, Map.of()).get("jdoe");
    return u != null
        && u.inlinePolicies().contains(dev.roster.provisioner.plan.Tags.DENY_ALL_POLICY);
  }

  @Test
  void aLeaveHandledByAReplicaThatStartedBeforeTheHireStillCutsEveryAccount() {
    // Both replicas start (and load their view of IAM) before anyone is hired.
    Provisioner first = provisioner(iam);
    Provisioner second = provisioner(iam);
    first.process(event("ev-0", EventType.LEAVE, "1")); // warms first's view
    second.process(event("ev-00", EventType.LEAVE, "1")); // and second's

    first.process(event("ev-1", EventType.HIRE, "2", "developer", "sre"));
    Result leave = second.process(event("ev-2", EventType.LEAVE, "3"));

    assertThat(leave.outcome().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(cutOff(iam, "dev")).isTrue();
    assertThat(cutOff(iam, "staging")).isTrue();
    assertThat(cutOff(iam, "prod")).isTrue();
  }

  @Test
  void aLeaveThatFindsNobodyAnywhereFailsLoudlyAsNotFound() {
    Result r = provisioner(iam).process(event("ev-1", EventType.LEAVE, "1"));

    assertThat(r.outcome().outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.dlqReason()).isEqualTo(DlqReason.NOT_FOUND);
    assertThat(r.outcome().reason()).startsWith("not-found");
  }

  @Test
  void oneAccountFailingDoesNotStopTheCutOffInTheOthers() {
    provisioner(iam).process(event("ev-1", EventType.HIRE, "1", "developer", "sre"));
    iam.failOn = "PutUserPolicy";
    iam.failIn = "staging";

    Result leave = provisioner(iam).process(event("ev-2", EventType.LEAVE, "2"));

    assertThat(cutOff(iam, "dev")).isTrue();
    assertThat(cutOff(iam, "prod")).as("prod after a failing staging").isTrue();
    assertThat(cutOff(iam, "staging")).isFalse();
    assertThat(leave.outcome().outcome()).isEqualTo(Outcome.FAILED);
    assertThat(leave.outcome().accounts())
        .extracting(a -> a.name() + " " + a.state().wireName())
        .containsExactly("dev completed", "staging failed", "prod completed");
    assertThat(leave.outcome().cutOffAt()).as("not cut off everywhere").isNull();

    iam.failOn = null;
    Result retry = provisioner(iam).process(event("ev-2", EventType.LEAVE, "2"));

    assertThat(retry.outcome().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(cutOff(iam, "staging")).isTrue();
    assertThat(retry.outcome().cutOffAt()).isNotNull();
  }

  @Test
  void aFailureAfterTheDenyAllLeavesTheAccountCutOff() {
    provisioner(iam).process(event("ev-1", EventType.HIRE, "1", "developer", "sre"));
    iam.failOn = "RemoveUserFromGroup";
    iam.failIn = "staging";

    Result leave = provisioner(iam).process(event("ev-2", EventType.LEAVE, "2"));

    assertThat(leave.outcome().accounts())
        .extracting(a -> a.name() + " " + a.state().wireName())
        .containsExactly("dev completed", "staging cut_off", "prod completed");
    assertThat(leave.outcome().cutOffAt()).as("deny-all everywhere").isNotNull();
    assertThat(leave.dlqReason()).isEqualTo(DlqReason.IAM_ERROR);
  }

  @Test
  void aRoleChangeAfterALeaveCreatesNoUserAnywhere() {
    provisioner(iam).process(event("ev-1", EventType.HIRE, "1", "developer"));
    provisioner(iam).process(event("ev-2", EventType.LEAVE, "2"));

    Result move = provisioner(iam).process(event("ev-3", EventType.ROLE_CHANGE, "3", "sre"));

    assertThat(iam.users.getOrDefault("prod", Map.of())).as("no prod user for a leaver").isEmpty();
    assertThat(cutOff(iam, "dev")).isTrue();
    assertThat(cutOff(iam, "staging")).isTrue();
    assertThat(move.outcome().outcome()).isNotEqualTo(Outcome.FAILED);
  }

  @Test
  void aHireRedeliveredWithTheLeavesTimestampDoesNotReactivateTheLeaver() {
    Provisioner p = provisioner(iam);
    p.process(at("ev-1", EventType.HIRE, "2026-03-01T09:00:00Z", "developer"));
    p.process(at("ev-2", EventType.LEAVE, "2026-03-01T09:00:00Z"));

    Result again = p.process(at("ev-1", EventType.HIRE, "2026-03-01T09:00:00Z", "developer"));

    assertThat(cutOff(iam, "dev")).isTrue();
    assertThat(again.outcome().outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(again.outcome().reason()).contains("ev-2");
  }

  @Test
  void aLeaveSkippedAsOlderNamesTheLaterEvent() {
    Provisioner p = provisioner(iam);
    p.process(event("ev-9", EventType.HIRE, "3", "developer"));

    Result stale = p.process(event("ev-1", EventType.LEAVE, "2"));

    assertThat(stale.outcome().outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(stale.outcome().reason()).contains("ev-9");
  }

  @Test
  void anEventDatedMoreThanFiveMinutesAheadIsDeadLetteredUntouched() {
    Result r =
        provisioner(iam).process(at("ev-1", EventType.HIRE, "2026-03-10T10:05:01Z", "developer"));

    assertThat(r.dlqReason()).isEqualTo(DlqReason.FUTURE_OCCURRED_AT);
    assertThat(r.outcome().outcome()).isEqualTo(Outcome.FAILED);
    assertThat(iam.applied).isEmpty();
  }

  @Test
  void theJournalIsAskedForAnEarlierAttemptWhileIamIsReadNotBeforeIt() {
    java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
    iam.onRead = read::countDown;
    // A journal whose catch-up lasts until IAM is read: asked first, the event never starts.
    Journal catchingUp =
        new Journal() {
          @Override
          public java.util.Optional<dev.roster.provisioner.journal.Intent> unfinished(
              String eventId) {
            try {
              if (!read.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("the journal was asked before IAM was read");
              }
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            return java.util.Optional.empty();
          }

          @Override
          public void begin(dev.roster.provisioner.journal.Intent intent) {}

          @Override
          public void done(String eventId) {}
        };
    java.util.concurrent.ExecutorService accounts =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      Provisioner p =
          new Provisioner(
              MAPPING, iam, new UserIndex(iam), catchingUp, CLOCK, accounts, Runnable::run, 1);

      Result hire = p.process(event("ev-1", EventType.HIRE, "1", "developer"));

      assertThat(hire.outcome().outcome()).isEqualTo(Outcome.COMPLETED);
    } finally {
      accounts.shutdownNow();
    }
  }

  @Test
  void withAccountsAndCleanupCallsInParallelALeaveCutsAndCleansEverything() throws Exception {
    java.util.concurrent.ExecutorService accounts =
        java.util.concurrent.Executors.newFixedThreadPool(3);
    java.util.concurrent.ExecutorService writes =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      Provisioner p =
          new Provisioner(
              MAPPING, iam, new UserIndex(iam), Journal.NONE, CLOCK, accounts, writes, 2);
      p.process(event("ev-1", EventType.HIRE, "1", "developer", "sre"));
      UserState dev = iam.users.get("dev").get("jdoe");
      iam.user(
          "dev",
          new UserState(
              "jdoe",
              dev.tags(),
              dev.groups(),
              dev.inlinePolicies(),
              true,
              true,
              Set.of("AKIA1", "AKIA2"),
              Set.of("APKA1"),
              Set.of(),
              Set.of(),
              Set.of(),
              Set.of()));

      Result leave = p.process(event("ev-2", EventType.LEAVE, "2"));

      assertThat(leave.outcome().outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(leave.outcome().cutOffAt()).isNotNull();
      UserState after = iam.users.get("dev").get("jdoe");
      assertThat(after.loginProfile()).isFalse();
      assertThat(after.activeAccessKeys()).isEmpty();
      assertThat(after.activeSshKeys()).isEmpty();
      assertThat(after.groups()).isEmpty();
      assertThat(cutOff(iam, "staging")).isTrue();
      assertThat(cutOff(iam, "prod")).isTrue();
      assertThat(leave.changes().get(0).action()).isEqualTo("PutUserPolicy");
    } finally {
      accounts.shutdownNow();
      writes.shutdownNow();
    }
  }

  @Test
  void aRehiredEmployeeWithAnOldDeactivatedUserLeftIsNotTreatedAsALeaver() {
    Provisioner p = provisioner(iam);
    p.process(event("ev-1", EventType.HIRE, "1", "developer", "sre"));
    p.process(event("ev-2", EventType.LEAVE, "2"));
    p.process(event("ev-3", EventType.HIRE, "3", "developer")); // prod's user stays deactivated

    Result move = p.process(event("ev-4", EventType.ROLE_CHANGE, "4", "developer", "qa-engineer"));

    assertThat(move.outcome().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(cutOff(iam, "dev")).as("the rehire's access stays").isFalse();
    assertThat(iam.users.get("staging").get("jdoe").groups()).contains("qa");
    assertThat(cutOff(iam, "prod")).isTrue();
  }

  @Test
  void aDryRunLeaveClaimsNoCutOff() {
    provisioner(iam).process(event("ev-1", EventType.HIRE, "1", "developer"));

    Result r = provisioner(new DryRunIamGateway(iam)).process(event("ev-2", EventType.LEAVE, "2"));

    assertThat(r.changes())
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChangeStatus.PLANNED));
    assertThat(r.outcome().cutOffAt()).isNull();
    assertThat(cutOff(iam, "dev")).isFalse();
  }
}
