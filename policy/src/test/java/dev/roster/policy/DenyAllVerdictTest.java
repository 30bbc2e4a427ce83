package dev.roster.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DenyAllVerdictTest {
  static Stream<Arguments> verdicts() {
    return PolicyEvaluatorTableTest.rows("deny-all.json")
        .map(row -> Arguments.of(Documents.strings(row.get("policies")).toString(), row));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("verdicts")
  void judges(String name, JsonNode row) {
    DenyAllVerdict verdict = DenyAllVerdict.of(Documents.set(row.get("policies")));
    assertThat(verdict.deniedEverything()).isEqualTo(row.get("deniedEverything").asBoolean());
    assertThat(verdict.decisions().keySet())
        .containsExactlyElementsOf(DenyAllVerdict.SENSITIVE_ACTIONS);
    assertThat(verdict.notDenied()).containsAll(Documents.strings(row.get("notDenied")));
    assertThat(verdict.notDenied().isEmpty()).isEqualTo(verdict.deniedEverything());
  }

  @Test
  void theDenyAllRosterWritesIsACutOff() {
    // The document the provisioner puts on a leaver (provisioner Tags.DENY_ALL_DOCUMENT).
    String rosterDenyAll =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"RosterDeactivated\","
            + "\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
    PolicySet user =
        PolicySet.builder()
            .inline("user alice", "roster-deny-all", rosterDenyAll)
            .managed(
                "group admins",
                ManagedPolicy.of(
                    "arn:aws:iam::aws:policy/AdministratorAccess",
                    Documents.ALL.get("AdministratorAccess")))
            .build();
    assertThat(DenyAllVerdict.of(user).deniedEverything()).isTrue();
  }

  @Test
  void anEmptyCheckIsNotACutOff() {
    assertThat(
            DenyAllVerdict.of(
                    PolicySet.of(Documents.document("roster-deny-all")), java.util.List.of())
                .deniedEverything())
        .isFalse();
  }

  @Test
  void simulationResultsCountOnlyExplicitDenies() {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("s3:GetObject", "explicitDeny");
    all.put("sts:AssumeRole", "explicitDeny");
    assertThat(DenyAllVerdict.fromSimulation(all).deniedEverything()).isTrue();

    all.put("ec2:RunInstances", "implicitDeny");
    DenyAllVerdict verdict = DenyAllVerdict.fromSimulation(all);
    assertThat(verdict.deniedEverything()).isFalse();
    assertThat(verdict.notDenied()).containsExactly("ec2:RunInstances");

    assertThat(DenyAllVerdict.fromSimulation(Map.of()).deniedEverything()).isFalse();
    assertThat(DenyAllVerdict.fromSimulation(Map.of("s3:GetObject", "allowed")).notDenied())
        .containsExactly("s3:GetObject");
  }
}
