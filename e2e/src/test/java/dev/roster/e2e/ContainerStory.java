package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.local.Signatures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.GetUserResponse;

/**
 * The in-process e2e story, small, for Roster running in containers: a mover (hired as a developer
 * in dev and staging, moved to QA and SRE: staging and prod) and a leaver (hired as a developer,
 * given credentials in both accounts, then leaving), posted signed to the hr-listener, checked in
 * IAM through the AWS SDK and in the audit log through the auditor API. The stack is reached only
 * through the URLs given, so the Testcontainers and the compose tests share it.
 */
final class ContainerStory {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Person(String employeeId, String username, List<String> hired, List<String> moved) {
    boolean leaves() {
      return moved == null;
    }

    List<String> finalRoles() {
      return leaves() ? List.of() : moved;
    }
  }

  private final Mapping mapping;
  private final URI hrListener;
  private final String webhookSecret;
  private final URI auditor;
  private final String auditorPassword;
  private final URI iamEndpoint;
  private final Map<String, IamClient> iam = new HashMap<>();
  final Person mover;
  final Person leaver;
  final List<String> eventIds = new ArrayList<>();

  ContainerStory(
      Mapping mapping,
      URI hrListener,
      String webhookSecret,
      URI auditor,
      String auditorPassword,
      URI iamEndpoint) {
    this.mapping = mapping;
    this.hrListener = hrListener;
    this.webhookSecret = webhookSecret;
    this.auditor = auditor;
    this.auditorPassword = auditorPassword;
    this.iamEndpoint = iamEndpoint;
    String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    mover =
        new Person(
            "ctm-" + run,
            "ctm-" + run + ".user",
            List.of("developer"),
            List.of("qa-engineer", "sre"));
    leaver = new Person("ctl-" + run, "ctl-" + run + ".user", List.of("developer"), null);
  }

  /** Waits until the hr-listener, the provisioner and the auditor answer ready. */
  static void awaitReady(Duration atMost, URI... services) {
    for (URI base : services) {
      await()
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () ->
                  HTTP.send(
                              HttpRequest.newBuilder(base.resolve("/q/health/ready"))
                                  .timeout(Duration.ofSeconds(5))
                                  .build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode()
                      == 200);
    }
  }

  /** Posts both stories (each person's events in order) and waits until every event settled. */
  void play(Duration atMost) {
    post(mover, "hire", mover.hired(), true);
    post(leaver, "hire", leaver.hired(), true);
    post(mover, "role_change", mover.moved(), false);
    // Credentials the leaver made after joining, in every account the hire reached: the leave
    // must find and cut each one.
    for (String account : accountsOf(leaver.hired())) {
      IamClient client = iam(mapping.accountIds().get(account));
      await()
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(300))
          .ignoreExceptions()
          .until(() -> client.getUser(b -> b.userName(leaver.username())) != null);
      Credentials.seed(client, leaver.username());
    }
    post(leaver, "leave", null, false);
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (String id : eventIds) {
                JsonNode d = auditorGet("/v1/hr-events/" + id);
                assertThat(d).as("auditor has %s", id).isNotNull();
                assertThat(d.path("outcome").path("outcome").asText())
                    .as("outcome of %s", id)
                    .isNotEmpty();
              }
            });
  }

  /** Every event completed and IAM is exactly the mapping's, the leaver cut off everywhere. */
  void assertIam() {
    for (String id : eventIds) {
      JsonNode outcome = auditorGet("/v1/hr-events/" + id).path("outcome");
      assertThat(outcome.path("outcome").asText())
          .as("outcome of %s (%s)", id, outcome.path("reason").asText())
          .isEqualTo("completed");
    }
    for (Person p : List.of(mover, leaver)) {
      for (Map.Entry<String, String> acct : mapping.accountIds().entrySet()) {
        IamClient client = iam(acct.getValue());
        String where = p.employeeId() + " in " + acct.getKey();
        GetUserResponse user = Scenario.getUser(client, p.username());
        Set<String> desired = mapping.desired(acct.getKey(), p.finalRoles());
        if (p.leaves()) {
          desired = Set.of();
          boolean hadAccess = !mapping.desired(acct.getKey(), p.hired()).isEmpty();
          if (hadAccess) {
            assertThat(user).as("%s: leaver kept for forensics", where).isNotNull();
          }
        }
        if (user == null) {
          assertThat(desired).as("%s: user missing but groups expected", where).isEmpty();
          continue;
        }
        assertThat(user.user().path()).as(where).isEqualTo("/roster/");
        Set<String> groups = Scenario.groups(client, p.username());
        groups.removeAll(mapping.ignored().getOrDefault(acct.getKey(), Set.of()));
        assertThat(groups).as("%s: groups", where).isEqualTo(desired);
        Set<String> inline =
            new TreeSet<>(client.listUserPolicies(b -> b.userName(p.username())).policyNames());
        if (desired.isEmpty()) {
          assertThat(inline).as("%s: cut off", where).containsExactly(Scenario.DENY_ALL);
          Scenario.assertCutOff(client, p.username(), where);
        } else {
          assertThat(inline).as("%s: active", where).doesNotContain(Scenario.DENY_ALL);
        }
      }
    }
  }

  /**
   * The audit log holds each HR event once, each change applied and once, the changes explain the
   * final groups, the leaver's deny-all is recorded in each account it reached, and the chain
   * verifies.
   */
  void assertAudit() {
    for (Person p : List.of(mover, leaver)) {
      Map<String, Integer> events = new HashMap<>();
      for (JsonNode e : auditorItems("/v1/hr-events?limit=1000&employeeId=" + p.employeeId())) {
        events.merge(e.path("eventId").asText(), 1, Integer::sum);
      }
      List<String> own = eventIds.stream().filter(id -> id.contains(p.employeeId())).toList();
      assertThat(events.keySet()).as("HR events of %s", p.employeeId()).containsAll(own);
      assertThat(events).as("each HR event once").allSatisfy((k, v) -> assertThat(v).isEqualTo(1));

      List<JsonNode> changes =
          new ArrayList<>(auditorItems("/v1/changes?limit=1000&employeeId=" + p.employeeId()));
      changes.sort((a, b) -> Long.compare(a.path("seq").asLong(), b.path("seq").asLong()));
      Map<String, Integer> ids = new HashMap<>();
      Map<String, Set<String>> replayed = new LinkedHashMap<>();
      Set<String> deniedIn = new TreeSet<>();
      for (JsonNode c : changes) {
        ids.merge(c.path("changeId").asText(), 1, Integer::sum);
        assertThat(c.path("status").asText()).as("change %s", c).isEqualTo("applied");
        Set<String> g = replayed.computeIfAbsent(c.path("account").asText(), k -> new TreeSet<>());
        switch (c.path("action").asText()) {
          case "AddUserToGroup" -> g.add(c.path("target").asText());
          case "RemoveUserFromGroup" -> g.remove(c.path("target").asText());
          case "PutUserPolicy" -> deniedIn.add(c.path("account").asText());
          default -> {}
        }
      }
      assertThat(ids).as("each change once").allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
      for (String accountId : mapping.accountIds().values()) {
        IamClient client = iam(accountId);
        if (Scenario.getUser(client, p.username()) != null) {
          assertThat(replayed.getOrDefault(accountId, Set.of()))
              .as("audit log of %s explains its groups in %s", p.employeeId(), accountId)
              .isEqualTo(Scenario.groups(client, p.username()));
        }
      }
      if (p.leaves()) {
        Set<String> reached = new TreeSet<>();
        accountsOf(p.hired()).forEach(a -> reached.add(mapping.accountIds().get(a)));
        assertThat(deniedIn).as("deny-all of %s recorded in", p.employeeId()).isEqualTo(reached);
      }
    }
    JsonNode integrity = auditorGet("/v1/integrity");
    assertThat(integrity.path("ok").asBoolean()).as("chain verifies: %s", integrity).isTrue();
  }

  /** The accounts (by name) where the roles give any group, birthright included. */
  private Set<String> accountsOf(List<String> roles) {
    Set<String> out = new TreeSet<>();
    mapping.accountIds().keySet().stream()
        .filter(a -> !mapping.desired(a, roles).isEmpty())
        .forEach(out::add);
    return out;
  }

  private void post(Person p, String type, List<String> roles, boolean withUsername) {
    String id = "evt-" + p.employeeId() + "-" + type;
    String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
    ObjectNode e = JSON.createObjectNode();
    e.put("eventId", id).put("type", type).put("employeeId", p.employeeId()).put("occurredAt", now);
    if (roles != null || withUsername) {
      ObjectNode emp = e.putObject("employee");
      if (withUsername) {
        emp.put("username", p.username()).put("email", p.username() + "@example.com");
      }
      if (roles != null) {
        roles.forEach(emp.putArray("roles")::add);
      }
    }
    if (type.equals("leave")) {
      e.put("reason", "container e2e leave");
    }
    byte[] body = e.toString().getBytes(StandardCharsets.UTF_8);
    // 503 (Kafka not acknowledging yet) and a refused connection are the answers to retry on;
    // anything else is the answer.
    HttpResponse<String> answer =
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptionsInstanceOf(IOException.class)
            .until(
                () ->
                    HTTP.send(
                        HttpRequest.newBuilder(hrListener.resolve("/v1/events"))
                            .header("Content-Type", "application/json")
                            .header(Signatures.HEADER, Signatures.header(webhookSecret, body))
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                        HttpResponse.BodyHandlers.ofString()),
                r -> r.statusCode() != 503);
    assertThat(answer.statusCode())
        .as("%s of %s: %s", type, p.employeeId(), answer.body())
        .isEqualTo(202);
    eventIds.add(id);
  }

  private List<JsonNode> auditorItems(String pathAndQuery) {
    JsonNode page = auditorGet(pathAndQuery);
    assertThat(page).as("auditor answers %s", pathAndQuery).isNotNull();
    assertThat(page.path("nextCursor").isTextual()).as("one page is enough").isFalse();
    List<JsonNode> out = new ArrayList<>();
    page.path("items").forEach(out::add);
    return out;
  }

  /** GET on the auditor as user auditor; null on 404. */
  JsonNode auditorGet(String pathAndQuery) {
    String auth =
        Base64.getEncoder()
            .encodeToString(("auditor:" + auditorPassword).getBytes(StandardCharsets.UTF_8));
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(auditor.resolve(pathAndQuery))
                  .header("Authorization", "Basic " + auth)
                  .header("Accept", "application/json")
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 404) {
        return null;
      }
      assertThat(r.statusCode()).as("auditor %s: %s", pathAndQuery, r.body()).isEqualTo(200);
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("auditor " + pathAndQuery + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** An SDK client acting in an account of the IAM endpoint (the access key id selects it). */
  IamClient iam(String accountId) {
    return iam.computeIfAbsent(
        accountId,
        id ->
            IamClient.builder()
                .endpointOverride(iamEndpoint)
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(id, "e2e")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build());
  }

  void close() {
    iam.values().forEach(IamClient::close);
  }
}
