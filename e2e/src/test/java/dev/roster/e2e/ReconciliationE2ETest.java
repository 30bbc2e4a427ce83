package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A snapshot through the whole stack, over the per-service Kafka users and ACLs: hr-listener takes
 * a signed CSV snapshot onto {@code hr.snapshots}, the provisioner compares it with IAM and
 * publishes to {@code reconciliations}, the auditor serves it. Report mode only: the e2e stack is
 * shared, and an applied snapshot that lists only this test's people would cut off everyone else's.
 */
class ReconciliationE2ETest {
  static Mapping mapping;

  @BeforeAll
  static void startStack() {
    E2eStack.get();
    mapping = Mapping.read(RepoRoot.find().resolve("deploy/roles.yaml"));
  }

  @Test
  void aReportedSnapshotFindsAHandMadeGroupAndALeaverHrNeverSentAndChangesNothing() {
    String tag = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    String stays = "recon-a-" + tag;
    String left = "recon-b-" + tag;
    String role = mapping.roleNames().get(0);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    for (String employee : List.of(stays, left)) {
      String hire = "evt-" + employee + "-hire";
      assertThat(
              E2eStack.post(Scenario.event(hire, "hire", employee, now, now, user(employee), role)))
          .isEqualTo(202);
      assertThat(Scenario.outcomeOtherThan(hire, "", Duration.ofMinutes(2))).isEqualTo("completed");
    }
    String dev = mapping.birthrightAccountId();
    IamClient iam = E2eStack.iam(dev);
    // An admin's hand: a group the mapping does not know, in dev.
    String extra = "contractors-" + tag;
    iam.createGroup(r -> r.groupName(extra));
    iam.addUserToGroup(r -> r.groupName(extra).userName(user(stays)));

    // HR says the second one is gone, though it never sent the leave.
    String csv =
        "employeeId,username,status,roles\n"
            + stays
            + ","
            + user(stays)
            + ",active,"
            + role
            + "\n"
            + left
            + ","
            + user(left)
            + ",terminated,\n";
    E2eStack.Answer answer =
        E2eStack.post(
            "/v1/snapshots?mode=report", "text/csv", csv.getBytes(StandardCharsets.UTF_8));
    assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    String id = readTree(answer.body()).path("snapshotId").asText();

    JsonNode run =
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> E2eStack.auditor("/v1/reconciliations/" + E2eStack.enc(id)),
                r -> r != null && !r.path("status").asText().equals("running"));
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("mode").asText()).isEqualTo("report");

    List<JsonNode> mine =
        E2eStack.auditorAll("/v1/reconciliations/" + E2eStack.enc(id) + "/differences", "").stream()
            .filter(d -> Set.of(stays, left).contains(d.path("employeeId").asText()))
            .toList();
    assertThat(mine)
        .anySatisfy(
            d -> {
              assertThat(d.path("kind").asText()).isEqualTo("extra-group");
              assertThat(d.path("employeeId").asText()).isEqualTo(stays);
              assertThat(d.path("account").asText()).isEqualTo(dev);
              assertThat(d.path("detail").asText()).contains(extra);
            })
        .anySatisfy(
            d -> {
              assertThat(d.path("kind").asText()).isEqualTo("leaver-with-access");
              assertThat(d.path("employeeId").asText()).isEqualTo(left);
            })
        .allSatisfy(d -> assertThat(d.path("repaired").isNull()).isTrue());

    // Report mode changes nothing: the hand-made group stays, the leaver is not cut off.
    assertThat(Scenario.groups(iam, user(stays))).contains(extra);
    assertThat(iam.listUserPolicies(r -> r.userName(user(left))).policyNames())
        .doesNotContain(Scenario.DENY_ALL);
  }

  private static JsonNode readTree(String json) {
    try {
      return Scenario.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  private static String user(String employee) {
    return employee + ".user";
  }
}
