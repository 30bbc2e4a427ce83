package dev.roster.sandbox.iam.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sandbox's own evaluator decides like IAM, with no "undecided". */
class PolicyEngineTest {
  private static IamPolicy policy(String statements) {
    return IamPolicy.parse(
        "p", "user", "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}");
  }

  private static EvalDecision decide(String statements, String action, String resource) {
    return decide(statements, action, resource, Map.of());
  }

  private static EvalDecision decide(
      String statements, String action, String resource, Map<String, List<String>> context) {
    return PolicyEngine.evaluate(List.of(policy(statements)), null, action, resource, context)
        .decision();
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "iam:PutUserPolicy|*|ALLOWED",
        "IAM:putuserpolicy|*|ALLOWED",
        "iam:PutGroupPolicy|*|ALLOWED",
        "iam:AttachUserPolicy|*|IMPLICIT_DENY",
        "iam:AddUserToGroup|*|ALLOWED",
        "iam:XAddUserToGroup|*|IMPLICIT_DENY",
        "s3:GetObject|arn:aws:s3:::reports/a|ALLOWED",
        "s3:GetObject|arn:aws:s3:::Reports/a|IMPLICIT_DENY",
        "s3:GetObject|arn:aws:s3:::reports/secret/a|EXPLICIT_DENY",
        "s3:GetObject|*|EXPLICIT_DENY",
        "ec2:RunInstances|*|IMPLICIT_DENY",
      })
  void actionsAndResources(String action, String resource, EvalDecision expected) {
    String statements =
        "{\"Effect\":\"Allow\",\"Action\":[\"iam:Put*\",\"iam:?ddUserToGroup\"],\"Resource\":\"*\"},"
            + "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::reports/*\"},"
            + "{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::reports/secret/*\"}";
    assertThat(decide(statements, action, resource)).isEqualTo(expected);
  }

  @Test
  void notActionAndNotResourceApplyToEverythingTheyDoNotList() {
    String denyAllButGet =
        "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Deny\",\"NotAction\":\"s3:GetObject\",\"Resource\":\"*\"}";
    assertThat(decide(denyAllButGet, "s3:GetObject", "*")).isEqualTo(EvalDecision.ALLOWED);
    assertThat(decide(denyAllButGet, "s3:PutObject", "*")).isEqualTo(EvalDecision.EXPLICIT_DENY);

    String notResource =
        "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"NotResource\":\"arn:aws:s3:::prod-*\"}";
    assertThat(decide(notResource, "s3:GetObject", "arn:aws:s3:::prod-x"))
        .isEqualTo(EvalDecision.IMPLICIT_DENY);
    assertThat(decide(notResource, "s3:GetObject", "arn:aws:s3:::dev-x"))
        .isEqualTo(EvalDecision.ALLOWED);
    assertThat(
            decide(
                "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"NotResource\":\"*\"}",
                "s3:GetObject",
                "*"))
        .isEqualTo(EvalDecision.IMPLICIT_DENY);
  }

  @ParameterizedTest(name = "{0} with {1}={2} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "StringEquals|eu-west-1|eu-west-1|true",
        "StringEquals|eu-west-1|us-east-1|false",
        "StringEquals|eu-west-1||false",
        "StringNotEquals|eu-west-1||true",
        "StringEqualsIfExists|eu-west-1||true",
        "StringEqualsIfExists|eu-west-1|us-east-1|false",
        "StringLike|eu-*|eu-central-1|true",
        "StringEqualsIgnoreCase|EU-WEST-1|eu-west-1|true",
        "ForAnyValue:StringEquals|eu-west-1||false",
        "ForAllValues:StringEquals|eu-west-1||true",
        "NumericLessThan|10|5|true",
        "NumericLessThan|10|15|false",
        "NumericGreaterThanEquals|10|10|true",
        "DateLessThan|2030-01-01T00:00:00Z|2026-12-01T00:00:00Z|true",
        "DateGreaterThan|2030-01-01T00:00:00Z|2026-12-01T00:00:00Z|false",
        "IpAddress|203.0.113.0/24|203.0.113.7|true",
        "NotIpAddress|203.0.113.0/24|198.51.100.1|true",
        "Bool|true|TRUE|true",
        "Null|true||true",
        "Null|true|x|false",
        "BinaryEquals|abc|abc|false",
      })
  void conditionsAreDecidedLikeIam(String operator, String wanted, String actual, boolean allowed) {
    String statement =
        "{\"Effect\":\"Allow\",\"Action\":\"ec2:*\",\"Resource\":\"*\",\"Condition\":{\""
            + operator
            + "\":{\"k:key\":\""
            + wanted
            + "\"}}}";
    Map<String, List<String>> context =
        actual == null ? Map.of() : Map.of("K:Key", List.of(actual));
    assertThat(decide(statement, "ec2:RunInstances", "*", context))
        .isEqualTo(allowed ? EvalDecision.ALLOWED : EvalDecision.IMPLICIT_DENY);
  }

  @Test
  void missingContextKeysAreReported() {
    PolicyEngine.Result r =
        PolicyEngine.evaluate(
            List.of(
                policy(
                    "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
                        + "{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}}}")),
            null,
            "s3:GetObject",
            "*",
            Map.of());
    assertThat(r.decision()).isEqualTo(EvalDecision.IMPLICIT_DENY);
    assertThat(r.missingContext()).containsExactly("aws:MultiFactorAuthPresent");
  }

  @Test
  void policyVariablesExistOnlyInVersion2012() {
    String self =
        "\"Effect\":\"Allow\",\"Action\":\"iam:CreateAccessKey\",\"Resource\":\"arn:aws:iam::*:user/${aws:username}\"";
    IamPolicy v2012 = policy("{" + self + "}");
    IamPolicy v2008 =
        IamPolicy.parse("p", "user", "{\"Version\":\"2008-10-17\",\"Statement\":[{" + self + "}]}");
    Map<String, List<String>> alice = Map.of("aws:username", List.of("alice"));
    String aliceArn = "arn:aws:iam::111111111111:user/alice";

    assertThat(
            PolicyEngine.evaluate(List.of(v2012), null, "iam:CreateAccessKey", aliceArn, alice)
                .decision())
        .isEqualTo(EvalDecision.ALLOWED);
    assertThat(
            PolicyEngine.evaluate(
                    List.of(v2012),
                    null,
                    "iam:CreateAccessKey",
                    "arn:aws:iam::111111111111:user/bob",
                    alice)
                .decision())
        .isEqualTo(EvalDecision.IMPLICIT_DENY);
    assertThat(
            PolicyEngine.evaluate(List.of(v2008), null, "iam:CreateAccessKey", aliceArn, alice)
                .decision())
        .isEqualTo(EvalDecision.IMPLICIT_DENY);
  }

  @Test
  void aPermissionsBoundaryMustAllowTooAndItsDenyIsExplicit() {
    List<IamPolicy> admin =
        List.of(policy("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}"));
    List<IamPolicy> boundary =
        List.of(
            policy(
                "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},"
                    + "{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteBucket\",\"Resource\":\"*\"}"));
    assertThat(PolicyEngine.evaluate(admin, boundary, "s3:GetObject", "*", Map.of()).decision())
        .isEqualTo(EvalDecision.ALLOWED);
    assertThat(PolicyEngine.evaluate(admin, boundary, "iam:CreateUser", "*", Map.of()).decision())
        .isEqualTo(EvalDecision.IMPLICIT_DENY);
    assertThat(PolicyEngine.evaluate(admin, boundary, "s3:DeleteBucket", "*", Map.of()).decision())
        .isEqualTo(EvalDecision.EXPLICIT_DENY);
    assertThat(PolicyEngine.evaluate(List.of(), boundary, "s3:GetObject", "*", Map.of()).decision())
        .isEqualTo(EvalDecision.IMPLICIT_DENY);
  }

  @Test
  void statementsKnowWhereTheyAre() {
    IamPolicy p =
        IamPolicy.parse(
            "p",
            "user",
            "{\"Version\":\"2012-10-17\",\n\"Statement\":[\n  {\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"},\n  {\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}");
    assertThat(p.statements().get(0).start()).isEqualTo(new IamPolicy.Position(3, 3));
    assertThat(p.statements().get(1).start().line()).isEqualTo(4);
    assertThat(p.statements().get(1).end().line()).isEqualTo(4);
  }

  @Test
  void aDocumentIamWouldRefuseIsRefused() {
    assertThatThrownBy(() -> IamPolicy.parse("p", "none", "{oops"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy("{\"Effect\":\"allow\",\"Action\":\"*\",\"Resource\":\"*\"}"))
        .hasMessageContaining("Invalid effect");
    assertThatThrownBy(() -> policy("{\"Effect\":\"Allow\",\"Action\":\"*\"}"))
        .hasMessageContaining("resources");
  }

  @ParameterizedTest
  @CsvSource({
    "*,anything,true",
    "a*b*c,axxbyyc,true",
    "a*b*c,axxbyy,false",
    "?,a,true",
    "?,ab,false",
    "*:Get*,s3:GetObject,true",
    "arn:aws:s3:::b/*,arn:aws:s3:::b/,true",
    "**,,true",
  })
  void globbing(String pattern, String text, boolean matches) {
    assertThat(Glob.matches(pattern, text == null ? "" : text, false)).isEqualTo(matches);
  }

  @Test
  void aRealRequestWithoutResourceIsMatchedOnlyByResourceStar() {
    IamPolicy scoped =
        policy(
            "{\"Effect\":\"Allow\",\"Action\":\"iam:ListUsers\","
                + "\"Resource\":\"arn:aws:iam::111111111111:user/roster/*\"}");
    IamPolicy star =
        policy("{\"Effect\":\"Allow\",\"Action\":\"iam:ListUsers\",\"Resource\":\"*\"}");
    IamPolicy notResource =
        policy(
            "{\"Effect\":\"Deny\",\"Action\":\"iam:ListUsers\","
                + "\"NotResource\":\"arn:aws:iam::111111111111:user/roster/*\"}");
    // The simulator's "*" stands for every resource; a real ListUsers names none.
    assertThat(
            PolicyEngine.evaluate(List.of(scoped), null, "iam:ListUsers", "*", Map.of()).decision())
        .isEqualTo(EvalDecision.ALLOWED);
    assertThat(
            PolicyEngine.authorize(List.of(scoped), null, "iam:ListUsers", "*", Map.of())
                .decision())
        .isEqualTo(EvalDecision.IMPLICIT_DENY);
    assertThat(
            PolicyEngine.authorize(List.of(star), null, "iam:ListUsers", "*", Map.of()).decision())
        .isEqualTo(EvalDecision.ALLOWED);
    assertThat(
            PolicyEngine.authorize(List.of(star, notResource), null, "iam:ListUsers", "*", Map.of())
                .decision())
        .isEqualTo(EvalDecision.EXPLICIT_DENY);
  }
}
