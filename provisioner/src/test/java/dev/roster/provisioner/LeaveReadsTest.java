package dev.roster.provisioner;

import static dev.roster.provisioner.SandboxAccounts.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.events.EventType;
import dev.roster.events.Outcome;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.iam.UserIndex;
import dev.roster.provisioner.journal.Journal;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A leave makes no read whose answer its cut-off already has: the full read after the deny-all asks
 * neither GetUser again where the cut-off read the user, nor ListUsers again where the employee has
 * no user (IAM through the real SDK, the sandbox counting every call).
 */
class LeaveReadsTest {
  static final RoleMapping MAPPING =
      SandboxAccounts.mapping("roles:\n  developer: { dev: [developers] }\n");

  static SandboxAccounts aws;

  @BeforeAll
  static void start() {
    aws = new SandboxAccounts();
    aws.dev.createGroup(r -> r.groupName("developers"));
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  @Test
  void theFullReadAfterTheCutOffAsksNothingTheCutOffAsked() {
    Provisioner provisioner =
        new Provisioner(
            MAPPING, aws.gateway, new UserIndex(aws.gateway), Journal.NONE, Clock.systemUTC());
    assertThat(
            provisioner
                .process(event("h-1", EventType.HIRE, "E-1", "2026-01-05T09:00:00Z", "developer"))
                .outcome()
                .outcome())
        .isEqualTo(Outcome.COMPLETED);
    Map<String, Map<String, Long>> before = aws.sandbox.callCounts();

    var left = provisioner.process(event("l-1", EventType.LEAVE, "E-1", "2026-01-06T09:00:00Z"));

    assertThat(left.outcome().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(left.outcome().cutOffAt()).isNotNull();
    Map<String, Long> dev = delta(before, SandboxAccounts.DEV);
    Map<String, Long> staging = delta(before, SandboxAccounts.STAGING);
    // dev: the cut-off's GetUser is the full read's too (the other is the verification's, for the
    // user's ARN); staging: one listing says nobody is there.
    assertThat(dev).containsEntry("GetUser", 2L).containsEntry("PutUserPolicy", 1L);
    assertThat(staging).containsEntry("ListUsers", 1L).doesNotContainKey("GetUser");
  }

  private static Map<String, Long> delta(Map<String, Map<String, Long>> before, String account) {
    Map<String, Long> now = aws.sandbox.callCounts().getOrDefault(account, Map.of());
    Map<String, Long> was = before.getOrDefault(account, Map.of());
    Map<String, Long> d = new HashMap<>();
    now.forEach(
        (action, n) -> {
          long diff = n - was.getOrDefault(action, 0L);
          if (diff > 0) {
            d.put(action, diff);
          }
        });
    return d;
  }
}
