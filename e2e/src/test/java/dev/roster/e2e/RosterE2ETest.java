package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.local.Component;
import dev.roster.local.Stack;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole of Roster as users run it: the packaged services as processes, started by the launcher,
 * driven only through signed HTTP posts, checked through the auditor API and the AWS SDK against
 * the IAM sandbox. Each fault must lose nothing and duplicate nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RosterE2ETest {
  static Stack stack;
  static Mapping mapping;

  @BeforeAll
  static void startStack() {
    stack = E2eStack.get();
    mapping = Mapping.read(stack.roles().path());
  }

  @Test
  @Order(1)
  void fiftyEmployeesHiredMovedAndPartlyLeftConcurrentlyEndExactlyAsTheMappingSays()
      throws Exception {
    Scenario s = new Scenario("jml", mapping, 50, 3);
    long t0 = System.nanoTime();
    s.postAll(12, 0, null);
    s.awaitSettled(Duration.ofMinutes(3));
    System.out.printf(
        "e2e: %d events for 50 employees settled in %.1f s%n",
        s.eventIds.size(), (System.nanoTime() - t0) / 1e9);
    s.assertIamExact();
    s.assertAuditExact();
  }

  @Test
  @Order(2)
  void provisionerKilledMidBurstAndRestartedLosesAndDuplicatesNothing() throws Exception {
    Scenario s = new Scenario("kprov", mapping, 20, 4);
    long before = stack.pid(Component.PROVISIONER);
    long addsBefore = groupAdds();
    // Slow IAM calls keep the provisioner between an event's first mutation and its records most
    // of the time, so the kill lands in the window where a change record could be lost.
    stack.iamSandbox().faults().latency(null, null, Duration.ofMillis(60), Duration.ofMillis(40));
    try {
      s.postAll(
          8,
          15,
          () -> {
            // Kill while it is mutating IAM (not before its consumers have joined the group).
            await()
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> groupAdds() >= addsBefore + 5);
            stack.kill(Component.PROVISIONER);
            assertThat(stack.isRunning(Component.PROVISIONER)).isFalse();
            stack.restart(Component.PROVISIONER);
          });
    } finally {
      stack.iamSandbox().faults().clear();
    }
    assertThat(stack.pid(Component.PROVISIONER)).isNotEqualTo(before);
    s.awaitSettled(Duration.ofMinutes(3));
    s.assertIamExact();
    s.assertAuditExact();
  }

  static long groupAdds() {
    return mapping.accountIds().values().stream()
        .mapToLong(id -> stack.iamSandbox().calls(id, "AddUserToGroup"))
        .sum();
  }

  @Test
  @Order(3)
  void auditorKilledMidBurstAndRestartedLosesAndDuplicatesNothing() throws Exception {
    Scenario s = new Scenario("kaud", mapping, 20, 4);
    s.postAll(
        8,
        15,
        () -> {
          stack.kill(Component.AUDITOR);
          stack.restart(Component.AUDITOR);
        });
    s.awaitSettled(Duration.ofMinutes(3));
    s.assertIamExact();
    s.assertAuditExact();
  }

  @Test
  @Order(4)
  void kafkaBrokerRestartedDuringBurstLosesAndDuplicatesNothing() throws Exception {
    Scenario s = new Scenario("kbrk", mapping, 20, 4);
    s.postAll(8, 15, () -> stack.restart(Component.KAFKA));
    s.awaitSettled(Duration.ofMinutes(4));
    s.assertIamExact();
    s.assertAuditExact();
  }

  @Test
  @Order(5)
  void thirtyPercentIamThrottlingStillCompletesEveryEventExactly() throws Exception {
    stack.iamSandbox().faults().throttle(null, null, 0.3);
    try {
      Scenario s = new Scenario("thr", mapping, 20, 4);
      s.postAll(8, 0, null);
      s.awaitSettled(Duration.ofMinutes(3));
      stack.iamSandbox().faults().clear(); // the checks read IAM without throttling
      s.assertIamExact();
      s.assertAuditExact();
    } finally {
      stack.iamSandbox().faults().clear();
    }
  }
}
