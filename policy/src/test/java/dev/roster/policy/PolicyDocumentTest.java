package dev.roster.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyDocumentTest {
  @Test
  void readsStatementAsObjectOrArrayAndStringsOrLists() {
    PolicyDocument object =
        PolicyDocument.parse(
            "o",
            "{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"A\",\"Effect\":\"Allow\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}");
    PolicyDocument array =
        PolicyDocument.parse(
            "a",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"NotAction\":[\"iam:*\",\"sts:*\"],\"NotResource\":[\"arn:aws:s3:::x\"],"
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":false}}}]}");
    assertThat(object.statements()).hasSize(1);
    Statement s = object.statements().get(0);
    assertThat(s.sid()).isEqualTo("A");
    assertThat(s.effect()).isEqualTo(Effect.ALLOW);
    assertThat(s.actions()).containsExactly("s3:GetObject");
    assertThat(s.notAction()).isFalse();
    Statement d = array.statements().get(0);
    assertThat(d.effect()).isEqualTo(Effect.DENY);
    assertThat(d.notAction()).isTrue();
    assertThat(d.actions()).containsExactly("iam:*", "sts:*");
    assertThat(d.notResource()).isTrue();
    assertThat(d.condition())
        .isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", java.util.List.of("false"))));
  }

  @Test
  void decodesTheUrlEncodedFormIamReturns() {
    String json = Documents.ALL.get("IAMUserChangePassword");
    PolicyDocument decoded =
        PolicyDocument.parse("p", URLEncoder.encode(json, StandardCharsets.UTF_8));
    assertThat(decoded).isEqualTo(PolicyDocument.parse("p", json));
    assertThat(decoded.variables()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{oops|document",
        "[]|document",
        "{\"Version\":\"2012-10-18\",\"Statement\":[]}|Version",
        "{\"Version\":\"2012-10-17\"}|Statement",
        "{\"Statement\":\"x\"}|Statement",
        "{\"Statement\":[{\"Effect\":\"allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}|Statement[0].Effect",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Resource\":\"*\"}]}|Statement[0].Action",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotAction\":\"*\",\"Resource\":\"*\"}]}|Statement[0].Action",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\"}]}|Statement[0].Resource",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}]}|Statement[0].Action",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"GetObject\",\"Resource\":\"*\"}]}|Statement[0].Action",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Principal\":\"*\"}]}|Statement[0].Principal",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":[]}]}|Statement[0].Condition",
      })
  void refusesWhatIamWouldRefuseNamingTheField(String json, String field) {
    assertThatThrownBy(() -> PolicyDocument.parse("bad", json))
        .isInstanceOfSatisfying(
            PolicyParseException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageStartingWith("bad: " + field + ": ");
  }

  @Test
  void aManagedPolicyIsInForceWithItsDefaultVersionOnly() {
    String admin = Documents.ALL.get("AdministratorAccess");
    String readOnly = Documents.ALL.get("IAMReadOnlyAccess");
    ManagedPolicy narrowed =
        new ManagedPolicy(
            "arn:aws:iam::111111111111:policy/ops", "v2", Map.of("v1", admin, "v2", readOnly));
    PolicySet set = PolicySet.builder().managed("group ops", narrowed).build();
    assertThat(set.decide(Request.of("iam:ListUsers"))).isEqualTo(Decision.ALLOWED);
    assertThat(set.decide(Request.of("iam:CreateUser"))).isEqualTo(Decision.DENIED_IMPLICIT);
    assertThat(set.documents().get(0).source())
        .isEqualTo("group ops arn:aws:iam::111111111111:policy/ops v2");

    ManagedPolicy restored = new ManagedPolicy(narrowed.arn(), "v1", narrowed.versions());
    assertThat(
            PolicySet.builder()
                .managed("group ops", restored)
                .build()
                .decide(Request.of("iam:CreateUser")))
        .isEqualTo(Decision.ALLOWED);
    assertThat(
            EscalationAnalysis.analyse(PolicySet.builder().managed("g", narrowed).build())
                .escalates())
        .isFalse();
  }

  @Test
  void aDefaultVersionThatIsMissingIsAnError() {
    ManagedPolicy broken =
        new ManagedPolicy("arn:aws:iam::111111111111:policy/p", "v3", Map.of("v1", "{}"));
    assertThatThrownBy(() -> broken.defaultDocument("group g"))
        .isInstanceOfSatisfying(
            PolicyParseException.class, e -> assertThat(e.field()).isEqualTo("DefaultVersionId"));
  }

  @Test
  void anEvaluationNamesTheStatementsBehindIt() {
    Evaluation e =
        PolicySet.of(
                Documents.document("AdministratorAccess"), Documents.document("roster-deny-all"))
            .evaluate(Request.of("s3:GetObject"));
    assertThat(e.decision()).isEqualTo(Decision.DENIED_EXPLICIT);
    assertThat(e.allowedBy()).containsExactly("AdministratorAccess #0");
    assertThat(e.deniedBy()).containsExactly("roster-deny-all RosterDeactivated");
  }
}
