package dev.roster.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The escalation table: {@code escalations.json}, what membership of a policy set opens. */
class EscalationAnalysisTableTest {
  static Stream<Arguments> escalations() {
    return PolicyEvaluatorTableTest.rows("escalations.json")
        .map(row -> Arguments.of(Documents.strings(row.get("policies")).toString(), row));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("escalations")
  void analyses(String name, JsonNode row) {
    EscalationReport report = EscalationAnalysis.analyse(Documents.set(row.get("policies")));
    Map<String, EscalationReport.OpenPath> paths =
        report.paths().stream().collect(Collectors.toMap(p -> p.path().id(), Function.identity()));
    List<String> writes = report.iamWrites().stream().map(EscalationReport.Grant::action).toList();

    assertThat(report.escalates()).isEqualTo(row.get("escalates").asBoolean());
    if (!row.get("escalates").asBoolean()) {
      assertThat(paths).isEmpty();
      assertThat(writes).isEmpty();
    }
    assertThat(paths.keySet()).containsAll(Documents.strings(row.get("paths")));
    for (String absent : Documents.strings(row.get("notPaths"))) {
      assertThat(paths).doesNotContainKey(absent);
    }
    assertThat(writes)
        .containsAll(Documents.strings(row.get("writes")).stream().map(a -> "iam:" + a).toList());
    if (row.path("noWrites").asBoolean()) {
      assertThat(writes).isEmpty();
    }
    if (row.path("noPaths").asBoolean()) {
      assertThat(paths).isEmpty();
    }
    for (String certain : Documents.strings(row.get("certain"))) {
      assertThat(paths.get(certain).decision()).as(certain).isEqualTo(Decision.ALLOWED);
    }
    for (String uncertain : Documents.strings(row.get("uncertain"))) {
      assertThat(paths.get(uncertain).decision()).as(uncertain).isEqualTo(Decision.MAY_ALLOW);
    }
  }

  @Test
  void administratorAccessOpensEveryPathOfTheCatalogue() {
    List<String> open =
        EscalationAnalysis.analyse(PolicySet.of(Documents.document("AdministratorAccess")))
            .paths()
            .stream()
            .map(p -> p.path().id())
            .toList();
    assertThat(open)
        .containsExactlyElementsOf(EscalationPaths.KNOWN.stream().map(EscalationPath::id).toList());
  }

  @Test
  void theCatalogueHasEveryPathTheSecurityReviewNames() {
    List<String> ids = EscalationPaths.KNOWN.stream().map(EscalationPath::id).toList();
    assertThat(ids)
        .contains(
            "CreateAccessKey",
            "CreateLoginProfile",
            "UpdateLoginProfile",
            "AttachUserPolicy",
            "AttachGroupPolicy",
            "AttachRolePolicy",
            "PutUserPolicy",
            "PutGroupPolicy",
            "PutRolePolicy",
            "AddUserToGroup",
            "CreatePolicyVersion",
            "SetDefaultPolicyVersion",
            "UpdateAssumeRolePolicy",
            "PassRole+EC2",
            "PassRole+Lambda",
            "AssumeRole*")
        .doesNotHaveDuplicates();
  }

  @Test
  void anOpenPathNamesTheStatementsThatAllowEachStep() {
    EscalationReport report =
        EscalationAnalysis.analyse(PolicySet.of(Documents.document("pass-role-ec2")));
    EscalationReport.OpenPath path = report.paths().get(0);
    assertThat(path.path().id()).isEqualTo("PassRole+EC2");
    assertThat(path.steps())
        .extracting(EscalationReport.Grant::action)
        .containsExactly("iam:PassRole", "ec2:RunInstances");
    assertThat(path.steps().get(0).allowedBy()).containsExactly("pass-role-ec2 #0");
  }

  @Test
  void notEscalatingWritesAreRealIamWriteActions() {
    assertThat(IamWriteActions.ALL)
        .containsAll(IamWriteActions.NOT_ESCALATING)
        .doesNotHaveDuplicates();
  }
}
