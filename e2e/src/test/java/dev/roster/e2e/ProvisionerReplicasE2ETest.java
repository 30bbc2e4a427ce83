package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.events.Topics;
import dev.roster.local.Component;
import dev.roster.local.KafkaAccess;
import dev.roster.local.ServicePart;
import dev.roster.local.Stack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two provisioner processes on one broker and one IAM, as Kubernetes runs them: a second one joins
 * the consumer group and takes partitions over, the first stops or dies, partitions move while an
 * IAM call is being retried. Each leaver must be cut off by whichever instance gets the leave, and
 * an instance that lost a partition must change nothing more for its employees.
 *
 * <p>The stack's own provisioner is the first instance; the second is started beside it through
 * {@link Stack#startReplica}, its IAM calls going through an {@link IamCallLog} so the test knows
 * which instance made which call. Each process is one member of the group (one {@code hr.events}
 * consumer; its Dispatcher runs the events). Kafka's range assignor (the consumers' default) gives
 * each member a contiguous run of partitions in the order of their client ids, so the member whose
 * id sorts first always owns partition 0. Employees are picked by the partition their id hashes to
 * (as hr-listener's producer does), so every story has people on every partition.
 */
class ProvisionerReplicasE2ETest {
  static final String GROUP = KafkaAccess.PROVISIONER_GROUP;

  static Stack stack;
  static Mapping mapping;
  static Admin admin;
  static int partitions;
  final List<ServicePart> replicas = new ArrayList<>();
  final List<IamCallLog> logs = new ArrayList<>();
  final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

  @BeforeAll
  static void startStack() throws Exception {
    stack = E2eStack.get();
    mapping = Mapping.read(stack.roles().path());
    Properties p = new Properties();
    p.putAll(stack.kafkaClientProperties());
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    admin = Admin.create(p);
    partitions =
        admin
            .describeTopics(List.of(Topics.HR_EVENTS))
            .allTopicNames()
            .get()
            .get(Topics.HR_EVENTS)
            .partitions()
            .size();
  }

  @AfterAll
  static void closeAdmin() {
    if (admin != null) {
      admin.close();
    }
  }

  /** Back to the shared stack's shape: its own provisioner alone, no faults. */
  @AfterEach
  void oneProvisionerAgain() {
    stack.iamSandbox().faults().clear();
    if (!stack.isRunning(Component.PROVISIONER)) {
      stack.restart(Component.PROVISIONER);
    }
    replicas.forEach(ServicePart::stop);
    logs.forEach(IamCallLog::close);
  }

  @Test
  void twelveLeaversWhileASecondProvisionerStartedBesideTheFirstRunsAreAllCutOff() {
    // As reported: hires done by the first instance, a second one started beside it, the leaves,
    // then the second stopped. Two leavers on each partition: the second owns some partitions
    // (its client id sorts first: partition 0 at least) and cuts off leavers it never saw created,
    // the first cuts off the rest.
    List<String[]> people = hireAll("beside", 12);
    IamCallLog second = new IamCallLog(stack.url(Component.IAM));
    ServicePart replica = replica("provisioner-2", "a-roster-provisioner-2", second, Map.of());
    Map<Integer, String> owners = awaitGroup(2);
    assertThat(owners.get(0)).as("partition 0's owner").startsWith("a-roster-provisioner-2");

    Map<String, String> leaves = leaveAll(people);
    leaves.values().forEach(ProvisionerReplicasE2ETest::awaitCompleted);
    replica.stop();

    for (String[] p : people) {
      assertCutOffEverywhere(p[1], leaves.get(p[1]));
      boolean seconds = owners.get(partition(p[0])).startsWith("a-roster-provisioner-2");
      if (seconds) {
        assertThat(second.on(p[1]))
            .as("%s's leave handled by the second instance", p[1])
            .anyMatch(c -> c.action().equals("PutUserPolicy") && c.status() == 200);
      } else {
        assertThat(second.on(p[1]))
            .as("%s's partition stayed with the first: no mutation by the second", p[1])
            .noneMatch(IamCallLog.Call::mutation);
      }
    }
  }

  @Test
  void leavesTakenOverAfterTheFirstProvisionerStoppedOrWasKilledAreCutOffEverywhere() {
    // Graceful: the first hires, the second joins, the first stops; the second does the leaves.
    List<String[]> first = hireAll("stop", 6);
    IamCallLog log = new IamCallLog(stack.url(Component.IAM));
    // A killed member's partitions move once its session times out: the broker's minimum (6 s)
    // instead of Kafka's 45 s, heartbeats at a third of it.
    ServicePart replica =
        replica(
            "provisioner-2",
            "b-roster-provisioner-2",
            log,
            Map.of("KAFKA_SESSION_TIMEOUT_MS", "6000", "KAFKA_HEARTBEAT_INTERVAL_MS", "2000"));
    awaitGroup(2);
    stack.stop(Component.PROVISIONER);
    assertThat(awaitGroup(1).values())
        .as("the second owns every partition")
        .allMatch(id -> id.startsWith("b-roster-provisioner-2"));
    Map<String, String> leaves = leaveAll(first);
    leaves.values().forEach(ProvisionerReplicasE2ETest::awaitCompleted);
    for (String[] p : first) {
      assertCutOffEverywhere(p[1], leaves.get(p[1]));
      assertThat(log.on(p[1]))
          .as("%s's leave by the second", p[1])
          .anyMatch(c -> c.action().equals("PutUserPolicy") && c.status() == 200);
    }

    // kill -9: both run while people are hired (one on each partition, so each instance hires
    // some), the second dies, the first does every leave, also of the users only the dead one
    // created.
    stack.restart(Component.PROVISIONER);
    Map<Integer, String> owners = awaitGroup(2);
    List<String[]> second = hireAll("kill", 6);
    List<String[]> createdByTheDead =
        second.stream()
            .filter(p -> owners.get(partition(p[0])).startsWith("b-roster-provisioner-2"))
            .toList();
    assertThat(createdByTheDead).as("hired by the second").isNotEmpty();
    for (String[] p : createdByTheDead) {
      assertThat(log.on(p[1]))
          .as("%s created by the second", p[1])
          .anyMatch(c -> c.action().equals("CreateUser") && c.status() == 200);
    }
    long t0 = System.nanoTime();
    replica.kill();
    leaves = leaveAll(second);
    assertThat(awaitGroup(1).values())
        .as("the first owns every partition once the dead member's session timed out")
        .noneMatch(id -> id.startsWith("b-roster-provisioner-2"));
    System.out.printf(
        "e2e: partitions of the killed member moved in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    leaves.values().forEach(ProvisionerReplicasE2ETest::awaitCompleted);
    System.out.printf(
        "e2e: leaves after the kill completed in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    for (String[] p : second) {
      assertCutOffEverywhere(p[1], leaves.get(p[1]));
    }
  }

  @Test
  void aPartitionRevokedWhileItsDenyAllIsRetriedGetsNoMutationFromTheOldOwnerAfterTheNewStarted() {
    // On partition 0, which the member whose client id sorts first (the stack's own) takes.
    String employee = onPartition("retry-" + run, 0);
    String user = (employee + ".user").toLowerCase();
    String hire = "evt-" + employee + "-hire";
    String leave = "evt-" + employee + "-leave";
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    // sre: a user in dev (birthright) and in prod.
    assertThat(E2eStack.post(Scenario.event(hire, "hire", employee, now, now, user, "sre")))
        .isEqualTo(202);
    awaitCompleted(hire);
    Credentials.seed(E2eStack.iam(mapping.birthrightAccountId()), user);

    // The old owner: alone in the group, so it owns the employee's partition; its client id sorts
    // last, so the stack's own provisioner takes partition 0 when it comes back. It retries
    // for minutes (so only the fence can stop it) and drains a revoked partition for 2 s.
    stack.stop(Component.PROVISIONER);
    IamCallLog old = new IamCallLog(stack.url(Component.IAM));
    replica(
        "provisioner-old",
        "zz-roster-provisioner-old",
        old,
        Map.of(
            "ROSTER_IAM_RETRY_MAX_ATTEMPTS", "400",
            "ROSTER_IAM_RETRY_MAX_BACKOFF", "PT0.5S",
            "ROSTER_REVOKE_DRAIN_TIMEOUT", "PT2S"));
    assertThat(awaitGroup(1).values()).allMatch(id -> id.startsWith("zz-roster-provisioner-old"));

    stack.iamSandbox().faults().throttle(null, "PutUserPolicy", 1.0);
    OffsetDateTime later = OffsetDateTime.now(ZoneOffset.UTC);
    assertThat(E2eStack.post(Scenario.event(leave, "leave", employee, later, later, null, null)))
        .isEqualTo(202);
    await("the old owner retries the deny-all")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> denyAllAttempts(old.on(user)) >= 3);

    // Whatever the sandbox counts beyond the old owner's calls is the new owner's. Before it comes
    // back, at most what the old owner had answered is history.
    long history = stack.iamSandbox().calls(null, "PutUserPolicy") - old.answered("PutUserPolicy");
    stack.restart(Component.PROVISIONER);
    await("the stack's provisioner took the partition over and tries the deny-all itself")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                stack.iamSandbox().calls(null, "PutUserPolicy")
                        - history
                        - old.received("PutUserPolicy")
                    >= 1);
    Instant newOwnerStarted = Instant.now();
    stack.iamSandbox().faults().clear();

    awaitCompleted(leave);
    int seen = old.on(user).size();
    await("the old owner stays quiet")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> old.on(user).size() == seen);

    // Until the fault was cleared (after the new owner started) every deny-all was throttled, so
    // any of the old owner's mutations that succeeded landed after the new owner started.
    assertThat(old.on(user))
        .as("no mutation of the old owner landed")
        .filteredOn(IamCallLog.Call::mutation)
        .allMatch(c -> c.status() != 200)
        .allMatch(c -> c.sent().isBefore(newOwnerStarted));
    assertCutOffEverywhere(user, leave);
    Scenario.changesRecordedOnce(employee);
    assertThat(E2eStack.auditorAll("/v1/hr-events", "employeeId=" + E2eStack.enc(employee)))
        .extracting(e -> e.path("eventId").asText())
        .containsExactlyInAnyOrder(hire, leave);
  }

  // --- people ---------------------------------------------------------------------------------

  /**
   * Hires {@code n} people (roles in turn, so every account has some), each with credentials; the
   * i-th on partition i modulo the partition count, so they are spread evenly.
   */
  List<String[]> hireAll(String name, int n) {
    List<String> roles = mapping.roleNames();
    List<String[]> people = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String employee = onPartition(name + "-" + run + "-" + i, i % partitions);
      String user = (employee + ".user").toLowerCase();
      String hire = "evt-" + employee + "-hire";
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      assertThat(
              E2eStack.post(
                  Scenario.event(
                      hire, "hire", employee, now, now, user, roles.get(i % roles.size()))))
          .isEqualTo(202);
      people.add(new String[] {employee, user, hire});
    }
    for (String[] p : people) {
      awaitCompleted(p[2]);
      // People create credentials after they join; the leave must find and cut every one.
      Credentials.seed(E2eStack.iam(mapping.birthrightAccountId()), p[1]);
    }
    return people;
  }

  /** Posts everyone's leave; the leave event ids by user. */
  static Map<String, String> leaveAll(List<String[]> people) {
    Map<String, String> leaves = new HashMap<>();
    for (String[] p : people) {
      String leave = "evt-" + p[0] + "-leave";
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      assertThat(E2eStack.post(Scenario.event(leave, "leave", p[0], now, now, null, null)))
          .isEqualTo(202);
      leaves.put(p[1], leave);
    }
    return leaves;
  }

  static void awaitCompleted(String eventId) {
    assertThat(Scenario.outcomeOtherThan(eventId, "", Duration.ofMinutes(2)))
        .as("outcome of %s", eventId)
        .isEqualTo("completed");
  }

  static void assertCutOffEverywhere(String user, String leave) {
    Scenario.assertCutOffEverywhere(mapping, user, leave);
  }

  static long denyAllAttempts(List<IamCallLog.Call> calls) {
    return calls.stream().filter(c -> c.action().equals("PutUserPolicy")).count();
  }

  // --- instances ------------------------------------------------------------------------------

  /**
   * A second provisioner, its IAM calls through {@code log}, its Kafka clients named {@code
   * clientId} (null: the connector's default names).
   */
  ServicePart replica(String name, String clientId, IamCallLog log, Map<String, String> env) {
    logs.add(log);
    Map<String, String> all = new HashMap<>(env);
    all.put("ROSTER_IAM_ENDPOINT", log.url());
    if (clientId != null) {
      all.put("KAFKA_CLIENT_ID", clientId);
    }
    long t0 = System.nanoTime();
    ServicePart replica = stack.startReplica(Component.PROVISIONER, name, all);
    replicas.add(replica);
    System.out.printf("e2e: %s ready in %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
    return replica;
  }

  /**
   * Waits until the group is stable with {@code n} members (one per process) and every partition of
   * {@code hr.events} has an owner; returns partition to the owner's client id.
   */
  static Map<Integer, String> awaitGroup(int n) {
    long t0 = System.nanoTime();
    Map<Integer, String> owners =
        await("the group has " + n + " members owning every partition")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  ConsumerGroupDescription g = group();
                  return g.members().size() == n ? owners(g) : Map.<Integer, String>of();
                },
                o -> o.size() == partitions);
    System.out.printf(
        "e2e: group of %d stable in %.1f s, hr.events owners %s%n",
        n, (System.nanoTime() - t0) / 1e9, owners);
    return owners;
  }

  /** Partition of {@code hr.events} to the client id of its consumer, while the group is stable. */
  static Map<Integer, String> owners(ConsumerGroupDescription g) {
    Map<Integer, String> out = new TreeMap<>();
    if (g.groupState() != GroupState.STABLE) {
      return out;
    }
    for (MemberDescription m : g.members()) {
      for (TopicPartition tp : m.assignment().topicPartitions()) {
        if (tp.topic().equals(Topics.HR_EVENTS)) {
          out.put(tp.partition(), m.clientId());
        }
      }
    }
    return out;
  }

  /** The partition of {@code hr.events} an employee's events go to (key = employee id). */
  static int partition(String employeeId) {
    return Utils.toPositive(Utils.murmur2(employeeId.getBytes(StandardCharsets.UTF_8)))
        % partitions;
  }

  /** {@code base} with the shortest suffix that puts the employee on {@code partition}. */
  static String onPartition(String base, int partition) {
    for (int i = 0; ; i++) {
      String id = base + "-" + Integer.toString(i, 36);
      if (partition(id) == partition) {
        return id;
      }
    }
  }

  static ConsumerGroupDescription group() throws Exception {
    return admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
  }
}
