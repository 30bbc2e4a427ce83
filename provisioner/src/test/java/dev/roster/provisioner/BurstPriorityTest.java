package dev.roster.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.events.Employee;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.Outcome;
import dev.roster.provisioner.dispatch.Dispatcher;
import dev.roster.provisioner.guard.PrivilegeGuard;
import dev.roster.provisioner.iam.CallGate;
import dev.roster.provisioner.iam.GatedIamGateway;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.iam.UserIndex;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A burst of leaves: each leave's cut-off frees its dispatcher slot for the next one while its
 * cleanup goes on, and in every account the cut-offs' calls go before any cleanup call.
 */
class BurstPriorityTest {
  static final int LEAVES = 20;
  static final List<String> ACCOUNTS = List.of("dev", "staging", "prod");

  final FakeIamGateway iam =
      new FakeIamGateway()
          .group("dev", "all-staff", "developers", "iam-user-managers")
          .group("staging", "readonly", "qa")
          .group("prod", "operators", "break-glass");

  final ExecutorService accounts = Executors.newFixedThreadPool(8);
  final ExecutorService writes = Executors.newFixedThreadPool(8);

  /** Enough for every leave's forked accounts (dev, staging; prod on the event's thread). */
  final ExecutorService cutOffs = Executors.newFixedThreadPool(2 * LEAVES);

  final ExecutorService events = Executors.newCachedThreadPool();
  final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();

  @AfterEach
  void close() {
    events.shutdownNow();
    accounts.shutdownNow();
    writes.shutdownNow();
    cutOffs.shutdownNow();
  }

  static HrEvent event(EventType type, int i) {
    OffsetDateTime at =
        OffsetDateTime.parse("2026-03-0" + (type == EventType.HIRE ? 1 : 2) + "T09:00:00Z");
    Employee e =
        type == EventType.LEAVE
            ? null
            : new Employee(
                "u" + i,
                "u" + i + "@example.com",
                "U " + i,
                "Eng",
                "Dev",
                List.of("developer", "sre"));
    return new HrEvent(type.wireName() + "-" + i, type, "E" + i, at, at, e, null);
  }

  /** Hires every employee, then clears the call log. */
  void hireAll() {
    Provisioner hiring =
        new Provisioner(
            ProvisionerTest.MAPPING,
            iam,
            new UserIndex(iam),
            new InMemoryJournal(),
            ProvisionerTest.CLOCK);
    for (int i = 0; i < LEAVES; i++) {
      assertThat(hiring.process(event(EventType.HIRE, i)).outcome().outcome())
          .isEqualTo(Outcome.COMPLETED);
    }
    iam.calls.clear();
  }

  Provisioner provisioner(IamGateway gateway, CallGate gate, Runnable afterCutOff) {
    return new Provisioner(
        ProvisionerTest.MAPPING,
        gateway,
        new UserIndex(gateway),
        new InMemoryJournal(),
        ProvisionerTest.CLOCK,
        accounts,
        writes,
        2,
        CutOffVerifier.of(gateway),
        PrivilegeGuard.NONE,
        new Provisioner.CutOffStage(cutOffs, gate, afterCutOff));
  }

  void leaveAll(Dispatcher dispatcher, Provisioner p) {
    for (int i = 0; i < LEAVES; i++) {
      HrEvent leave = event(EventType.LEAVE, i);
      dispatcher.submit(
          leave.employeeId(),
          true,
          () -> outcomes.put(leave.eventId(), p.process(leave).outcome().outcome()));
    }
  }

  long denyAlls(String account) {
    return List.copyOf(iam.calls).stream()
        .filter(c -> c.equals("apply " + account + " PutUserPolicy"))
        .count();
  }

  @Test
  void aLeavesCutOffFreesItsSlotForTheNextWhileItsCleanupWaits() {
    hireAll();
    // Every cleanup's full read is held: a leave whose slot is not freed holds it until then.
    CountDownLatch cleanups = new CountDownLatch(1);
    IamGateway heldCleanup =
        (IamGateway)
            Proxy.newProxyInstance(
                IamGateway.class.getClassLoader(),
                new Class<?>[] {IamGateway.class},
                (proxy, m, args) -> {
                  if (m.getName().equals("readUser")) {
                    cleanups.await();
                  }
                  try {
                    return m.invoke(iam, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    Dispatcher dispatcher = new Dispatcher(4, LEAVES, LEAVES, events);
    try {
      leaveAll(dispatcher, provisioner(heldCleanup, CallGate.NONE, dispatcher::releaseSlot));

      // 4 slots, no cleanup done, and still every leaver is cut off in every account.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> ACCOUNTS.forEach(a -> assertThat(denyAlls(a)).as(a).isEqualTo(LEAVES)));
      assertThat(outcomes).isEmpty();
      assertThat(dispatcher.cleaning()).isEqualTo(LEAVES);
      assertThat(dispatcher.running()).isZero();
    } finally {
      cleanups.countDown();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(outcomes)
                    .hasSize(LEAVES)
                    .allSatisfy((id, o) -> assertThat(o).isEqualTo(Outcome.COMPLETED)));
    assertThat(dispatcher.cleaning()).isZero();
  }

  @Test
  void againstOneCallPerAccountEveryDenyAllGoesBeforeAnyCleanupCall() throws Exception {
    hireAll();
    CallGate gate = new CallGate(1);
    IamGateway gated = new GatedIamGateway(iam, gate);
    // The one permit of each account taken until every leave waits for its cut-off there.
    CountDownLatch plug = new CountDownLatch(1);
    ExecutorService plugs = Executors.newFixedThreadPool(ACCOUNTS.size());
    List<CountDownLatch> plugged = new ArrayList<>();
    for (String a : ACCOUNTS) {
      CountDownLatch in = new CountDownLatch(1);
      plugged.add(in);
      plugs.execute(
          () ->
              gate.call(
                  a,
                  CallGate.Priority.CUT_OFF,
                  () -> {
                    in.countDown();
                    try {
                      plug.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    return null;
                  }));
    }
    for (CountDownLatch in : plugged) {
      in.await();
    }
    Dispatcher dispatcher = new Dispatcher(LEAVES, LEAVES, LEAVES, events);
    try {
      leaveAll(dispatcher, provisioner(gated, gate, dispatcher::releaseSlot));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  ACCOUNTS.forEach(
                      a ->
                          assertThat(gate.waiting(a, CallGate.Priority.CUT_OFF))
                              .as(a)
                              .isEqualTo(LEAVES)));
    } finally {
      plug.countDown();
      plugs.shutdown();
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(outcomes).hasSize(LEAVES));
    assertThat(outcomes).allSatisfy((id, o) -> assertThat(o).isEqualTo(Outcome.COMPLETED));

    List<String> calls = List.copyOf(iam.calls);
    for (String a : ACCOUNTS) {
      List<String> inAccount =
          calls.stream().filter(c -> c.endsWith(" " + a) || c.contains(" " + a + " ")).toList();
      int lastDenyAll = inAccount.lastIndexOf("apply " + a + " PutUserPolicy");
      assertThat(inAccount.subList(0, lastDenyAll + 1))
          .as(a + ": before the last deny-all, only cut-offs' reads and deny-alls")
          .allMatch(c -> c.equals("peek " + a) || c.equals("apply " + a + " PutUserPolicy"));
      assertThat(inAccount.subList(0, lastDenyAll + 1))
          .filteredOn(c -> c.startsWith("apply "))
          .hasSize(LEAVES);
      assertThat(inAccount.subList(lastDenyAll + 1, inAccount.size()))
          .as(a + ": the cleanups follow")
          .isNotEmpty();
    }
  }
}
