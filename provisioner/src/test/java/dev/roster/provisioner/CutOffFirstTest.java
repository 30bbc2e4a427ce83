package dev.roster.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.events.EventType;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.provisioner.Provisioner.Result;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.iam.UserIndex;
import dev.roster.provisioner.journal.Intent;
import dev.roster.provisioner.journal.Journal;
import dev.roster.provisioner.journal.JournaledOp;
import dev.roster.provisioner.plan.Tags;
import dev.roster.provisioner.plan.UserState;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A leave's cut-off comes before the full read: in each account the deny-all is the first mutation
 * and follows only the cut-off's read (tags and inline policy names), journaled before it is put;
 * the cleanup follows the full read, under the same intent, extended.
 */
class CutOffFirstTest {
  static final List<String> ACCOUNTS = List.of("dev", "staging", "prod");

  final FakeIamGateway iam =
      new FakeIamGateway()
          .group("dev", "all-staff", "developers", "iam-user-managers")
          .group("staging", "readonly", "qa")
          .group("prod", "operators", "break-glass");

  /** Every begin, and the order of begins and IAM calls (in the gateway's call list). */
  final List<Intent> begins = new ArrayList<>();

  final Journal journal =
      new Journal() {
        Intent last;

        @Override
        public synchronized Optional<Intent> unfinished(String eventId) {
          return Optional.ofNullable(last).filter(i -> i.eventId().equals(eventId));
        }

        @Override
        public synchronized void begin(Intent intent) {
          iam.calls.add("begin " + intent.operations().size());
          begins.add(intent);
          last = intent;
        }

        @Override
        public synchronized void done(String eventId) {
          last = null;
        }
      };

  /** A clock one millisecond further at each reading: the order of moments shows. */
  static final Clock TICKING =
      new Clock() {
        final AtomicLong ticks = new AtomicLong();

        @Override
        public Instant instant() {
          return Instant.parse("2026-03-10T10:00:00Z").plusMillis(ticks.incrementAndGet());
        }

        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }
      };

  Provisioner provisioner() {
    return new Provisioner(ProvisionerTest.MAPPING, iam, new UserIndex(iam), journal, TICKING);
  }

  @Test
  void aLeavePutsTheDenyAllAfterTheCutOffsReadOnlyAndBeforeTheFullRead() {
    Provisioner p = provisioner();
    p.process(ProvisionerTest.event("ev-1", EventType.HIRE, "1", "developer", "sre"));
    iam.calls.clear();
    begins.clear();

    Result r = p.process(ProvisionerTest.event("ev-2", EventType.LEAVE, "2"));

    assertThat(r.outcome().outcome()).isEqualTo(Outcome.COMPLETED);
    List<String> calls = List.copyOf(iam.calls);
    for (String account : ACCOUNTS) {
      int put = calls.indexOf("apply " + account + " PutUserPolicy");
      assertThat(put).as(account + ": deny-all put").isPositive();
      List<String> before =
          calls.subList(0, put).stream().filter(c -> c.endsWith(" " + account)).toList();
      assertThat(before)
          .as(account + ": IAM calls before the deny-all")
          .containsExactly("peek " + account);
      assertThat(calls.stream().filter(c -> c.startsWith("apply " + account)).findFirst())
          .as(account + ": first mutation")
          .contains("apply " + account + " PutUserPolicy");
      // Write-ahead: the deny-all was journaled (in the write first holding it) before it was put.
      Intent holding =
          begins.stream()
              .filter(i -> i.operations().stream().anyMatch(o -> o.account().equals(account)))
              .findFirst()
              .orElseThrow();
      int journaled = calls.indexOf("begin " + holding.operations().size());
      assertThat(journaled).as(account + ": journaled before the put").isBetween(0, put);
    }
    // One intent under the event's key, extended by each account's deny-all as its read decided
    // it (one after another here: one account at a time), then with the cleanup; each write keeps
    // everything the one before held.
    Intent cleanup = begins.get(begins.size() - 1);
    List<Intent> cutOff = begins.subList(0, begins.size() - 1);
    assertThat(begins).hasSize(4).extracting(Intent::eventId).containsOnly("ev-2");
    assertThat(cutOff)
        .allSatisfy(
            i ->
                assertThat(i.operations())
                    .extracting(JournaledOp::target)
                    .containsOnly(Tags.DENY_ALL_POLICY));
    for (int i = 1; i < begins.size(); i++) {
      assertThat(begins.get(i).operations()).containsAll(begins.get(i - 1).operations());
    }
    assertThat(cleanup.operations()).hasSizeGreaterThan(cutOff.get(2).operations().size());
    int cleanupBegin = calls.lastIndexOf("begin " + cleanup.operations().size());
    calls.stream()
        .filter(c -> c.startsWith("apply ") && !c.endsWith("PutUserPolicy"))
        .forEach(c -> assertThat(calls.indexOf(c)).as(c).isGreaterThan(cleanupBegin));
    // cutOffAt: the last account's deny-all, before any cleanup call.
    List<IamChange> denyAlls =
        r.changes().stream().filter(c -> c.target().equals(Tags.DENY_ALL_POLICY)).toList();
    assertThat(denyAlls).hasSize(3);
    assertThat(r.outcome().cutOffAt()).isNotNull();
    r.changes().stream()
        .filter(c -> !c.target().equals(Tags.DENY_ALL_POLICY))
        .forEach(c -> assertThat(c.at()).as(c.action()).isAfter(r.outcome().cutOffAt()));
    assertThat(r.outcome().counts().planned()).isEqualTo(r.changes().size());
  }

  @Test
  void aSlowAccountsReadDelaysNoOtherAccountsDenyAll() throws Exception {
    provisioner().process(ProvisionerTest.event("ev-1", EventType.HIRE, "1", "developer", "sre"));
    iam.calls.clear();
    begins.clear();
    // Staging's cut-off read does not return (a GetUser in throttling retries) until released.
    CountDownLatch stagingAnswers = new CountDownLatch(1);
    IamGateway slowStaging =
        (IamGateway)
            Proxy.newProxyInstance(
                IamGateway.class.getClassLoader(),
                new Class<?>[] {IamGateway.class},
                (proxy, m, args) -> {
                  if (m.getName().startsWith("cutOff") && "staging".equals(args[0])) {
                    stagingAnswers.await();
                  }
                  try {
                    return m.invoke(iam, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    ExecutorService accounts = Executors.newFixedThreadPool(3);
    ExecutorService writes = Executors.newFixedThreadPool(3);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Provisioner p =
          new Provisioner(
              ProvisionerTest.MAPPING,
              slowStaging,
              new UserIndex(slowStaging),
              journal,
              TICKING,
              accounts,
              writes,
              2);
      Future<Result> leave =
          caller.submit(() -> p.process(ProvisionerTest.event("ev-2", EventType.LEAVE, "2")));

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(List.copyOf(iam.calls))
                      .contains("apply dev PutUserPolicy", "apply prod PutUserPolicy"));
      assertThat(List.copyOf(iam.calls))
          .as("staging's read has not returned")
          .doesNotContain("peek staging");
      assertThat(leave).isNotDone();
      // Each deny-all journaled before its put; staging's, decided later, in a later write.
      assertThat(List.copyOf(begins))
          .allSatisfy(i -> assertThat(i.eventId()).isEqualTo("ev-2"))
          .allSatisfy(
              i -> assertThat(i.operations()).noneMatch(o -> o.account().equals("staging")));
      stagingAnswers.countDown();

      Result r = leave.get(30, TimeUnit.SECONDS);
      assertThat(r.outcome().outcome()).isEqualTo(Outcome.COMPLETED);
      List<String> calls = List.copyOf(iam.calls);
      assertThat(calls.stream().filter(c -> c.startsWith("apply ") && c.endsWith("PutUserPolicy")))
          .hasSize(3);
      for (String account : ACCOUNTS) {
        JournaledOp denyAll =
            begins.stream()
                .flatMap(i -> i.operations().stream())
                .filter(o -> o.account().equals(account))
                .findFirst()
                .orElseThrow();
        assertThat(denyAll.target()).isEqualTo(Tags.DENY_ALL_POLICY);
      }
      // Every write of the event is a superset of the one before: one intent, extended.
      for (int i = 1; i < begins.size(); i++) {
        assertThat(begins.get(i).operations()).containsAll(begins.get(i - 1).operations());
      }
      assertThat(r.changes().stream().filter(c -> c.target().equals(Tags.DENY_ALL_POLICY)))
          .hasSize(3);
    } finally {
      stagingAnswers.countDown();
      caller.shutdownNow();
      accounts.shutdownNow();
      writes.shutdownNow();
    }
  }

  @Test
  void anAccountARoleChangeTakesAwayIsCutOffFirstAndNoOtherIsReadForIt() {
    Provisioner p = provisioner();
    p.process(ProvisionerTest.event("ev-1", EventType.HIRE, "1", "developer", "sre"));
    iam.calls.clear();

    Result r = p.process(ProvisionerTest.event("ev-2", EventType.ROLE_CHANGE, "2", "developer"));

    assertThat(r.outcome().outcome()).isEqualTo(Outcome.COMPLETED);
    List<String> calls = List.copyOf(iam.calls);
    int put = calls.indexOf("apply prod PutUserPolicy");
    assertThat(put).isPositive();
    assertThat(calls.subList(0, put).stream().filter(c -> c.endsWith(" prod")))
        .containsExactly("peek prod");
    assertThat(calls).doesNotContain("peek dev", "peek staging");
    assertThat(r.outcome().cutOffAt()).isNotNull();
    r.changes().stream()
        .filter(c -> !c.target().equals(Tags.DENY_ALL_POLICY))
        .forEach(c -> assertThat(c.at()).as(c.action()).isAfter(r.outcome().cutOffAt()));
  }

  @Test
  void aRedeliveredLeaveMakesNoSecondMutationAndNoSecondRecord() {
    Provisioner p = provisioner();
    p.process(ProvisionerTest.event("ev-1", EventType.HIRE, "1", "developer", "sre"));
    p.process(ProvisionerTest.event("ev-2", EventType.LEAVE, "2"));
    journal.done("ev-2"); // its records acknowledged (what process with a delivery does)
    int applied = iam.applied.size();

    Result again = p.process(ProvisionerTest.event("ev-2", EventType.LEAVE, "2"));

    assertThat(iam.applied).hasSize(applied);
    assertThat(again.changes()).isEmpty();
    assertThat(again.outcome().cutOffAt()).isNotNull();
  }

  @Test
  void aUserRosterDoesNotOwnIsNeverCutOff() {
    iam.user(
        "dev",
        UserState.basic("jdoe", Map.of(Tags.EMPLOYEE_ID, "E1"), Set.of("developers"), Set.of()));
    Provisioner p = provisioner();

    p.process(ProvisionerTest.event("ev-2", EventType.LEAVE, "2"));

    assertThat(iam.applied).noneMatch(a -> a.startsWith("dev "));
  }

  @Test
  void aLeaveKilledBetweenItsDenyAllsIsCompletedAndEveryMutationRecordedOnce() {
    assertEveryMutationRecordedOnceAfterAKill(2); // two deny-alls in, the third never put
  }

  @Test
  void aLeaveKilledDuringItsCleanupIsCompletedAndEveryMutationRecordedOnce() {
    assertEveryMutationRecordedOnceAfterAKill(5); // the three deny-alls and two cleanup calls
  }

  private void assertEveryMutationRecordedOnceAfterAKill(int mutations) {
    InMemoryJournal kept = new InMemoryJournal();
    Provisioner first =
        new Provisioner(ProvisionerTest.MAPPING, iam, new UserIndex(iam), kept, TICKING);
    first.process(ProvisionerTest.event("ev-1", EventType.HIRE, "1", "developer", "sre"));
    kept.done("ev-1");
    int hired = iam.applied.size();
    iam.dieAfter = hired + mutations;
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class,
        () -> first.process(ProvisionerTest.event("ev-2", EventType.LEAVE, "2")));
    iam.dieAfter = -1;

    Result r =
        new Provisioner(ProvisionerTest.MAPPING, iam, new UserIndex(iam), kept, TICKING)
            .process(ProvisionerTest.event("ev-2", EventType.LEAVE, "2"));

    assertThat(r.outcome().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(iam.applied).as("no mutation twice").hasSize(hired + 10);
    assertThat(r.changes())
        .hasSize(10)
        .extracting(IamChange::changeId)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(
            kept.intents.get("ev-2").operations().stream().map(JournaledOp::changeId).toList());
    assertThat(r.changes().stream().filter(c -> c.target().equals(Tags.DENY_ALL_POLICY)))
        .hasSize(3);
    assertThat(r.outcome().counts().planned()).isEqualTo(10);
    assertThat(r.journaled()).isTrue();
  }
}
