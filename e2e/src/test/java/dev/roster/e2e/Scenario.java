package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.GetUserResponse;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * A crowd of employees going through hire -> role change (-> leave for some), posted concurrently
 * (each person's events in order), and the checks that matter: IAM ends exactly as the mapping
 * says, leavers are fully cut off, the audit log holds each HR event and each IAM mutation once.
 */
final class Scenario {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * An event timestamp with its seconds always written: {@code OffsetDateTime.toString()} drops
   * ":00" on a whole minute, which the contract refuses (the seconds are required).
   */
  static String iso(OffsetDateTime t) {
    return t.format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  static final String DENY_ALL = "roster-deny-all";

  record Person(
      String employeeId,
      String username,
      List<String> hireRoles,
      List<String> newRoles,
      boolean leaves) {}

  final String name;
  final Mapping mapping;
  final List<Person> people = new ArrayList<>();
  final List<String> eventIds = new ArrayList<>();
  final AtomicInteger accepted = new AtomicInteger();
  private final Map<String, JsonNode> settled = new ConcurrentHashMap<>();

  /** {@code count} people; every {@code leaverEvery}-th leaves (0: nobody). */
  Scenario(String name, Mapping mapping, int count, int leaverEvery) {
    this.name = name;
    this.mapping = mapping;
    List<String> roles = mapping.roleNames();
    String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    for (int i = 0; i < count; i++) {
      String id = name + "-" + run + "-" + i;
      List<String> hire = List.of(roles.get(i % roles.size()));
      List<String> moved =
          i % 7 == 3
              ? List.of() // birthright only
              : List.of(roles.get((i + 1) % roles.size()), roles.get((i + 2) % roles.size()));
      boolean leaves = leaverEvery > 0 && i % leaverEvery == 0;
      people.add(new Person(id, (id + ".user").toLowerCase(), hire, moved, leaves));
      eventIds.add(eventId(id, "hire"));
      eventIds.add(eventId(id, "role_change"));
      if (leaves) {
        eventIds.add(eventId(id, "leave"));
      }
    }
  }

  static String eventId(String employeeId, String type) {
    return "evt-" + employeeId + "-" + type;
  }

  /**
   * Posts every person's story on {@code parallelism} threads; once {@code faultAfter} events are
   * accepted, runs {@code fault} on this thread while posting goes on.
   */
  void postAll(int parallelism, int faultAfter, Runnable fault) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Person p : people) {
        done.add(pool.submit(() -> story(p)));
      }
      if (fault != null) {
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> accepted.get() >= faultAfter);
        fault.run();
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(accepted.get()).isEqualTo(eventIds.size());
  }

  private void story(Person p) {
    send(p, "hire", p.hireRoles(), p.username());
    if (p.leaves()) {
      // People create credentials after they join; the leave must find and cut every one.
      String dev = devAccount();
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(300))
          .ignoreExceptions()
          .until(() -> E2eStack.iam(dev).getUser(b -> b.userName(p.username())) != null);
      Credentials.seed(E2eStack.iam(dev), p.username());
    }
    send(p, "role_change", p.newRoles(), null);
    if (p.leaves()) {
      send(p, "leave", null, null);
    }
  }

  private void send(Person p, String type, List<String> roles, String username) {
    ObjectNode e = JSON.createObjectNode();
    String now = iso(OffsetDateTime.now(ZoneOffset.UTC));
    e.put("eventId", eventId(p.employeeId(), type))
        .put("type", type)
        .put("employeeId", p.employeeId())
        .put("occurredAt", now)
        .put("effectiveAt", now);
    if (roles != null || username != null) {
      ObjectNode emp = e.putObject("employee");
      if (username != null) {
        emp.put("username", username)
            .put("email", username + "@example.com")
            .put("displayName", p.employeeId())
            .put("department", "Engineering")
            .put("title", "Engineer");
      }
      if (roles != null) {
        roles.forEach(emp.putArray("roles")::add);
      }
    }
    if (type.equals("leave")) {
      e.put("reason", "e2e leave");
    }
    int status = E2eStack.post(e.toString());
    assertThat(status).as("%s of %s accepted", type, p.employeeId()).isEqualTo(202);
    accepted.incrementAndGet();
  }

  /**
   * One event as JSON with the given times; {@code username} null for an event without {@code
   * employee} (a leave), else with that username, its email and one role.
   */
  static String event(
      String eventId,
      String type,
      String employee,
      OffsetDateTime occurredAt,
      OffsetDateTime effectiveAt,
      String username,
      String role) {
    ObjectNode e = JSON.createObjectNode();
    e.put("eventId", eventId)
        .put("type", type)
        .put("employeeId", employee)
        .put("occurredAt", iso(occurredAt))
        .put("effectiveAt", iso(effectiveAt));
    if (username != null) {
      ObjectNode emp = e.putObject("employee");
      emp.put("username", username).put("email", username + "@example.com");
      emp.putArray("roles").add(role);
    }
    return e.toString();
  }

  /** The event's latest outcome in the audit log, once there is one other than {@code notYet}. */
  static String outcomeOtherThan(String eventId, String notYet, Duration atMost) {
    return await()
        .atMost(atMost)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              JsonNode d = E2eStack.auditor("/v1/hr-events/" + E2eStack.enc(eventId));
              return d == null ? "" : d.path("outcome").path("outcome").asText("");
            },
            o -> !o.isEmpty() && !o.equals(notYet));
  }

  String devAccount() {
    return mapping.birthrightAccountId();
  }

  // --- settling -----------------------------------------------------------------------------

  /** Waits until the auditor holds an outcome for every event; returns the details by id. */
  Map<String, JsonNode> awaitSettled(Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              for (String id : eventIds) {
                if (!settled.containsKey(id)) {
                  JsonNode d = E2eStack.auditor("/v1/hr-events/" + E2eStack.enc(id));
                  if (d == null
                      || d.path("outcome").isNull()
                      || d.path("outcome").isMissingNode()) {
                    return false;
                  }
                  settled.put(id, d);
                }
              }
              return true;
            });
    return settled;
  }

  // --- checks -------------------------------------------------------------------------------

  /** Every event completed; IAM is exactly the mapping's; leavers are fully cut off. */
  void assertIamExact() {
    settled.forEach(
        (id, d) ->
            assertThat(d.path("outcome").path("outcome").asText())
                .as("outcome of %s (%s)", id, d.path("outcome").path("reason").asText())
                .isEqualTo("completed"));
    for (Person p : people) {
      for (Map.Entry<String, String> acct : mapping.accountIds().entrySet()) {
        IamClient iam = E2eStack.iam(acct.getValue());
        Set<String> desired = p.leaves() ? Set.of() : mapping.desired(acct.getKey(), p.newRoles());
        GetUserResponse user = getUser(iam, p.username());
        String where = p.employeeId() + " in " + acct.getKey();
        if (user == null) {
          assertThat(desired).as("%s: user missing but groups expected", where).isEmpty();
          continue;
        }
        assertThat(user.user().path()).as(where).isEqualTo("/roster/");
        Set<String> groups = groups(iam, p.username());
        groups.removeAll(mapping.ignored().getOrDefault(acct.getKey(), Set.of()));
        assertThat(groups).as("%s: groups", where).isEqualTo(desired);
        Set<String> inline =
            new TreeSet<>(iam.listUserPolicies(b -> b.userName(p.username())).policyNames());
        if (desired.isEmpty()) {
          assertThat(inline)
              .as("%s: deactivated, direct policies gone", where)
              .containsExactly(DENY_ALL);
          assertCutOff(iam, p.username(), where);
        } else {
          assertThat(inline).as("%s: active", where).doesNotContain(DENY_ALL);
        }
      }
      if (p.leaves()) {
        assertThat(getUser(E2eStack.iam(devAccount()), p.username()))
            .as("leaver %s is kept for forensics", p.employeeId())
            .isNotNull();
      }
    }
  }

  static void assertCutOff(IamClient iam, String user, String where) {
    boolean loginProfile;
    try {
      iam.getLoginProfile(b -> b.userName(user));
      loginProfile = true;
    } catch (NoSuchEntityException e) {
      loginProfile = false;
    }
    assertThat(loginProfile).as("%s: console password deleted", where).isFalse();
    assertThat(iam.listAccessKeys(b -> b.userName(user)).accessKeyMetadata())
        .as("%s: access keys", where)
        .extracting(AccessKeyMetadata::statusAsString)
        .allMatch("Inactive"::equals);
    assertThat(iam.listSSHPublicKeys(b -> b.userName(user)).sshPublicKeys())
        .as("%s: SSH keys", where)
        .allMatch(k -> k.statusAsString().equals("Inactive"));
    assertThat(
            iam.listServiceSpecificCredentials(b -> b.userName(user)).serviceSpecificCredentials())
        .as("%s: service credentials", where)
        .allMatch(c -> c.statusAsString().equals("Inactive"));
    assertThat(iam.listSigningCertificates(b -> b.userName(user)).certificates())
        .as("%s: signing certificates", where)
        .allMatch(c -> c.statusAsString().equals("Inactive"));
    assertThat(iam.listMFADevices(b -> b.userName(user)).mfaDevices())
        .as("%s: MFA", where)
        .isEmpty();
    assertThat(iam.listAttachedUserPolicies(b -> b.userName(user)).attachedPolicies())
        .as("%s: attached policies", where)
        .isEmpty();
  }

  /**
   * The leave completed with a cut-off time, and in every account where the user exists: the
   * deny-all on it, no way in left active.
   */
  static void assertCutOffEverywhere(Mapping mapping, String user, String leave) {
    JsonNode outcome = E2eStack.auditor("/v1/hr-events/" + E2eStack.enc(leave)).path("outcome");
    assertThat(outcome.path("outcome").asText())
        .as("%s: %s", leave, outcome)
        .isEqualTo("completed");
    assertThat(outcome.path("cutOffAt").asText()).as("%s: cutOffAt", leave).isNotEmpty();
    int accounts = 0;
    for (Map.Entry<String, String> acct : mapping.accountIds().entrySet()) {
      IamClient iam = E2eStack.iam(acct.getValue());
      if (getUser(iam, user) == null) {
        continue;
      }
      accounts++;
      String where = user + " in " + acct.getKey();
      assertThat(iam.listUserPolicies(b -> b.userName(user)).policyNames())
          .as("%s: deny-all", where)
          .contains(DENY_ALL);
      assertCutOff(iam, user, where);
    }
    assertThat(accounts).as("%s has users", user).isPositive();
  }

  /**
   * The audit log holds every HR event once and every IAM mutation once, its changes explain the
   * final group memberships, and its chain verifies.
   */
  void assertAuditExact() {
    Set<String> ours = new HashSet<>(eventIds);
    Map<String, Integer> hrCount = new HashMap<>();
    for (Person p : people) {
      for (JsonNode e :
          E2eStack.auditorAll("/v1/hr-events", "employeeId=" + E2eStack.enc(p.employeeId()))) {
        hrCount.merge(e.path("eventId").asText(), 1, Integer::sum);
      }
      Map<String, Set<String>> replayed = new HashMap<>();
      for (JsonNode c : changesRecordedOnce(p.employeeId())) {
        Set<String> g = replayed.computeIfAbsent(c.path("account").asText(), k -> new TreeSet<>());
        switch (c.path("action").asText()) {
          case "AddUserToGroup" -> g.add(c.path("target").asText());
          case "RemoveUserFromGroup" -> g.remove(c.path("target").asText());
          default -> {}
        }
      }
      for (String accountId : mapping.accountIds().values()) {
        IamClient iam = E2eStack.iam(accountId);
        if (getUser(iam, p.username()) != null) {
          assertThat(replayed.getOrDefault(accountId, Set.of()))
              .as("audit log of %s explains its groups in %s", p.employeeId(), accountId)
              .isEqualTo(groups(iam, p.username()));
        }
      }
    }
    assertThat(hrCount.keySet()).as("every HR event recorded").containsAll(ours);
    assertThat(hrCount).as("each HR event once").allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
    JsonNode integrity = E2eStack.auditor("/v1/integrity");
    assertThat(integrity.path("ok").asBoolean()).as("chain verifies: %s", integrity).isTrue();
  }

  /**
   * The audit log's changes of one employee, in order, after checking that each is applied and that
   * each change id and each IAM mutation (event, account, action, target) is there once.
   */
  static List<JsonNode> changesRecordedOnce(String employeeId) {
    Map<String, Integer> changeCount = new HashMap<>();
    Map<String, Integer> mutationCount = new HashMap<>();
    List<JsonNode> changes =
        new ArrayList<>(
            E2eStack.auditorAll("/v1/changes", "employeeId=" + E2eStack.enc(employeeId)));
    changes.sort((a, b) -> Long.compare(a.path("seq").asLong(), b.path("seq").asLong()));
    for (JsonNode c : changes) {
      changeCount.merge(c.path("changeId").asText(), 1, Integer::sum);
      assertThat(c.path("status").asText()).as("change %s", c).isEqualTo("applied");
      mutationCount.merge(
          c.path("eventId").asText()
              + "|"
              + c.path("account").asText()
              + "|"
              + c.path("action").asText()
              + "|"
              + c.path("target").asText(),
          1,
          Integer::sum);
    }
    assertThat(changeCount)
        .as("each change id of %s once", employeeId)
        .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
    assertThat(mutationCount)
        .as("each IAM mutation of %s once", employeeId)
        .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
    return changes;
  }

  static GetUserResponse getUser(IamClient iam, String user) {
    try {
      return iam.getUser(b -> b.userName(user));
    } catch (NoSuchEntityException e) {
      return null;
    }
  }

  static Set<String> groups(IamClient iam, String user) {
    Set<String> out = new TreeSet<>();
    iam.listGroupsForUserPaginator(b -> b.userName(user)).groups().stream()
        .map(Group::groupName)
        .forEach(out::add);
    return out;
  }
}
