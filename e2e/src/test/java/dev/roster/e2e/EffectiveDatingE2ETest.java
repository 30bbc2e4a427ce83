package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.local.Component;
import dev.roster.local.Stack;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A leave announced ahead, against the packaged services: held (outcome scheduled, listed by the
 * auditor), nothing changed in IAM before its moment even though the provisioner is killed with
 * {@code kill -9} and restarted in between, then cut off when due, and no longer pending.
 */
class EffectiveDatingE2ETest {
  static Stack stack;
  static Mapping mapping;

  @BeforeAll
  static void startStack() {
    stack = E2eStack.get();
    mapping = Mapping.read(RepoRoot.find().resolve("deploy/roles.yaml"));
  }

  @Test
  void aHeldLeaveSurvivesAKilledProvisionerAndCutsOffOnlyWhenDue() {
    String employee = "dated-" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    String user = employee + ".user";
    String role = mapping.roleNames().get(0);
    String hire = "evt-" + employee + "-hire";
    String leave = "evt-" + employee + "-leave";
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    assertThat(E2eStack.post(Scenario.event(hire, "hire", employee, now, now, user, role)))
        .isEqualTo(202);
    assertThat(Scenario.outcomeOtherThan(hire, "", Duration.ofMinutes(2))).isEqualTo("completed");
    IamClient dev = E2eStack.iam(mapping.birthrightAccountId());

    // Long enough ahead that the kill and the restart happen before it, even on a busy machine.
    OffsetDateTime due =
        OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(75).truncatedTo(ChronoUnit.SECONDS);
    assertThat(
            E2eStack.post(
                Scenario.event(leave, "leave", employee, now.plusSeconds(1), due, null, null)))
        .isEqualTo(202);
    assertThat(Scenario.outcomeOtherThan(leave, "", Duration.ofMinutes(1))).isEqualTo("scheduled");
    assertThat(pending(employee)).containsExactly(leave);

    stack.kill(Component.PROVISIONER);
    stack.restart(Component.PROVISIONER);

    if (Instant.now().isBefore(due.toInstant().minusSeconds(2))) {
      assertThat(inlinePolicies(dev, user)).as("nothing cut before the moment").isEmpty();
    }
    assertThat(Scenario.outcomeOtherThan(leave, "scheduled", Duration.ofMinutes(4)))
        .isEqualTo("completed");
    JsonNode outcome = E2eStack.auditor("/v1/hr-events/" + E2eStack.enc(leave)).path("outcome");
    assertThat(OffsetDateTime.parse(outcome.path("cutOffAt").asText()))
        .as("cut off at its moment, not before")
        .isAfterOrEqualTo(due);
    assertThat(inlinePolicies(dev, user)).containsExactly(Scenario.DENY_ALL);
    assertThat(pending(employee)).isEmpty();
  }

  private static List<String> pending(String employee) {
    JsonNode page = E2eStack.auditor("/v1/scheduled?employeeId=" + E2eStack.enc(employee));
    return page == null
        ? List.of()
        : java.util.stream.StreamSupport.stream(page.path("items").spliterator(), false)
            .map(i -> i.path("eventId").asText())
            .toList();
  }

  private static List<String> inlinePolicies(IamClient iam, String user) {
    return iam.listUserPolicies(b -> b.userName(user)).policyNames();
  }
}
