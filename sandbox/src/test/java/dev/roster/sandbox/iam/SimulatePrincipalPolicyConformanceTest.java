package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InvalidInputException;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.iam.model.PolicySourceType;
import software.amazon.awssdk.services.iam.model.SimulatePrincipalPolicyResponse;
import software.amazon.awssdk.services.iam.model.Statement;

/** SimulatePrincipalPolicy through the SDK, decided by the sandbox's own evaluator. */
class SimulatePrincipalPolicyConformanceTest extends SandboxTestBase {
  static final String DENY_ALL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"RosterDeactivated\","
          + "\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
  static final String DENY_ALL_BUT_S3_GET =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"RosterDeactivated\","
          + "\"Effect\":\"Deny\",\"NotAction\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
  static final List<String> SENSITIVE =
      List.of("s3:GetObject", "iam:CreateAccessKey", "sts:AssumeRole", "ec2:RunInstances");
  static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";

  @BeforeEach
  void seedAliceInDevelopers() {
    iam.createGroup(r -> r.groupName("developers"));
    iam.attachGroupPolicy(
        r -> r.groupName("developers").policyArn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"));
    iam.createUser(r -> r.userName("alice"));
    iam.addUserToGroup(r -> r.groupName("developers").userName("alice"));
  }

  private Map<String, EvaluationResult> simulate(String arn, List<String> actions) {
    return iam
        .simulatePrincipalPolicy(r -> r.policySourceArn(arn).actionNames(actions))
        .evaluationResults()
        .stream()
        .collect(Collectors.toMap(EvaluationResult::evalActionName, e -> e));
  }

  @Test
  void theDenyAllDeniesEveryActionExplicitlyAndNamesItself() {
    iam.putUserPolicy(
        r -> r.userName("alice").policyName("roster-deny-all").policyDocument(DENY_ALL));

    Map<String, EvaluationResult> results = simulate(ALICE, SENSITIVE);

    assertThat(results).hasSize(4);
    results
        .values()
        .forEach(
            e -> {
              assertThat(e.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.EXPLICIT_DENY);
              assertThat(e.evalResourceName()).isEqualTo("*");
              assertThat(e.matchedStatements())
                  .extracting(Statement::sourcePolicyId, Statement::sourcePolicyType)
                  .containsExactly(tuple("roster-deny-all", PolicySourceType.USER));
              assertThat(e.matchedStatements().get(0).startPosition().line()).isEqualTo(1);
              assertThat(e.matchedStatements().get(0).startPosition().column()).isGreaterThan(30);
            });
  }

  @Test
  void aDenyAllThatExemptsAnActionLeavesTheGroupsGrantInForce() {
    iam.putUserPolicy(
        r -> r.userName("alice").policyName("roster-deny-all").policyDocument(DENY_ALL_BUT_S3_GET));

    Map<String, EvaluationResult> results = simulate(ALICE, SENSITIVE);

    assertThat(results.get("s3:GetObject").evalDecision())
        .isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
    assertThat(results.get("s3:GetObject").matchedStatements())
        .extracting(Statement::sourcePolicyId, Statement::sourcePolicyType)
        .containsExactly(tuple("AmazonS3ReadOnlyAccess", PolicySourceType.AWS_MANAGED));
    assertThat(results.get("ec2:RunInstances").evalDecision())
        .isEqualTo(PolicyEvaluationDecisionType.EXPLICIT_DENY);
  }

  @Test
  void withoutAnyAllowTheDecisionIsTheImplicitDeny() {
    Map<String, EvaluationResult> results =
        simulate(ALICE, List.of("ec2:RunInstances", "s3:GetObject"));

    assertThat(results.get("ec2:RunInstances").evalDecision())
        .isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
    assertThat(results.get("ec2:RunInstances").matchedStatements()).isEmpty();
    assertThat(results.get("s3:GetObject").evalDecision())
        .isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
  }

  @Test
  void aGroupCanBeSimulatedOnItsOwn() {
    iam.putGroupPolicy(
        r ->
            r.groupName("developers")
                .policyName("no-delete")
                .policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                        + "\"Action\":\"s3:Get*\",\"Resource\":\"arn:aws:s3:::secret/*\"}]}"));
    String group = "arn:aws:iam::" + ACCOUNT + ":group/developers";

    SimulatePrincipalPolicyResponse r =
        iam.simulatePrincipalPolicy(
            b ->
                b.policySourceArn(group)
                    .actionNames("s3:GetObject")
                    .resourceArns("arn:aws:s3:::public/a", "arn:aws:s3:::secret/b"));

    EvaluationResult e = r.evaluationResults().get(0);
    // The aggregate is the most restrictive decision; each resource has its own.
    assertThat(e.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.EXPLICIT_DENY);
    assertThat(e.resourceSpecificResults())
        .extracting(x -> x.evalResourceName(), x -> x.evalResourceDecision())
        .containsExactly(
            tuple("arn:aws:s3:::public/a", PolicyEvaluationDecisionType.ALLOWED),
            tuple("arn:aws:s3:::secret/b", PolicyEvaluationDecisionType.EXPLICIT_DENY));
    assertThat(e.matchedStatements())
        .extracting(Statement::sourcePolicyId, Statement::sourcePolicyType)
        .containsExactly(tuple("no-delete", PolicySourceType.GROUP));
  }

  @Test
  void conditionsAreDecidedFromTheContextEntriesAndMissingKeysAreReported() {
    iam.putUserPolicy(
        r ->
            r.userName("alice")
                .policyName("mfa-ec2")
                .policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"ec2:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":"
                        + "{\"aws:MultiFactorAuthPresent\":\"true\"}}}]}"));

    EvaluationResult without =
        iam.simulatePrincipalPolicy(r -> r.policySourceArn(ALICE).actionNames("ec2:RunInstances"))
            .evaluationResults()
            .get(0);
    EvaluationResult with =
        iam.simulatePrincipalPolicy(
                r ->
                    r.policySourceArn(ALICE)
                        .actionNames("ec2:RunInstances")
                        .contextEntries(
                            ContextEntry.builder()
                                .contextKeyName("aws:MultiFactorAuthPresent")
                                .contextKeyType(ContextKeyTypeEnum.BOOLEAN)
                                .contextKeyValues("true")
                                .build()))
            .evaluationResults()
            .get(0);

    assertThat(without.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
    assertThat(without.missingContextValues()).containsExactly("aws:MultiFactorAuthPresent");
    assertThat(with.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
    assertThat(with.missingContextValues()).isEmpty();
  }

  @Test
  void theUsersNameFillsInPolicyVariables() {
    iam.putUserPolicy(
        r ->
            r.userName("alice")
                .policyName("own-keys")
                .policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"iam:CreateAccessKey\","
                        + "\"Resource\":\"arn:aws:iam::*:user/${aws:username}\"}]}"));

    SimulatePrincipalPolicyResponse r =
        iam.simulatePrincipalPolicy(
            b ->
                b.policySourceArn(ALICE)
                    .actionNames("iam:CreateAccessKey")
                    .resourceArns(ALICE, "arn:aws:iam::" + ACCOUNT + ":user/admin"));

    assertThat(r.evaluationResults().get(0).resourceSpecificResults())
        .extracting(x -> x.evalResourceDecision())
        .containsExactly(
            PolicyEvaluationDecisionType.ALLOWED, PolicyEvaluationDecisionType.IMPLICIT_DENY);
  }

  @Test
  void policyInputsAndPermissionsBoundariesTakePart() {
    String admin =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
            + "\"Resource\":\"*\"}]}";
    String s3Only =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
            + "\"Resource\":\"*\"}]}";

    Map<String, EvaluationResult> results =
        iam
            .simulatePrincipalPolicy(
                r ->
                    r.policySourceArn(ALICE)
                        .actionNames("s3:PutObject", "iam:CreateUser")
                        .policyInputList(admin)
                        .permissionsBoundaryPolicyInputList(s3Only))
            .evaluationResults()
            .stream()
            .collect(Collectors.toMap(EvaluationResult::evalActionName, e -> e));

    assertThat(results.get("s3:PutObject").evalDecision())
        .isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
    assertThat(results.get("s3:PutObject").matchedStatements())
        .extracting(Statement::sourcePolicyId, Statement::sourcePolicyType)
        .contains(tuple("PolicyInputList.1", PolicySourceType.NONE));
    assertThat(results.get("iam:CreateUser").evalDecision())
        .isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
  }

  @Test
  void resultsPageWithMaxItemsAndMarker() {
    List<String> actions =
        List.of("s3:GetObject", "s3:PutObject", "s3:ListBucket", "ec2:RunInstances", "iam:GetUser");

    SimulatePrincipalPolicyResponse first =
        iam.simulatePrincipalPolicy(r -> r.policySourceArn(ALICE).actionNames(actions).maxItems(2));

    assertThat(first.evaluationResults()).hasSize(2);
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.marker()).isNotBlank();
    List<String> all =
        iam
            .simulatePrincipalPolicyPaginator(
                r -> r.policySourceArn(ALICE).actionNames(actions).maxItems(2))
            .evaluationResults()
            .stream()
            .map(EvaluationResult::evalActionName)
            .toList();
    assertThat(all).containsExactlyElementsOf(actions);
  }

  @Test
  void customerManagedPoliciesCountWithTheirTypeAndSeededRolesHaveNoPolicies() {
    String arn =
        iam.createPolicy(
                r ->
                    r.policyName("ec2-run")
                        .policyDocument(
                            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                + "\"Action\":\"ec2:RunInstances\",\"Resource\":\"*\"}]}"))
            .policy()
            .arn();
    iam.attachUserPolicy(r -> r.userName("alice").policyArn(arn));
    sandbox.seed(
        new ByteArrayInputStream(
            ("{\"accounts\":{\"" + ACCOUNT + "\":{\"roles\":[\"auditor\"]}}}")
                .getBytes(StandardCharsets.UTF_8)));

    EvaluationResult user = simulate(ALICE, List.of("ec2:RunInstances")).get("ec2:RunInstances");
    EvaluationResult role =
        simulate("arn:aws:iam::" + ACCOUNT + ":role/auditor", List.of("ec2:RunInstances"))
            .get("ec2:RunInstances");

    assertThat(user.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
    assertThat(user.matchedStatements())
        .extracting(Statement::sourcePolicyId, Statement::sourcePolicyType)
        .containsExactly(tuple("ec2-run", PolicySourceType.USER_MANAGED));
    assertThat(role.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
  }

  @Test
  void aContextEntryOverridesTheUsersName() {
    iam.putUserPolicy(
        r ->
            r.userName("alice")
                .policyName("own-keys")
                .policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"iam:CreateAccessKey\","
                        + "\"Resource\":\"arn:aws:iam::*:user/${aws:username}\"}]}"));

    EvaluationResult e =
        iam.simulatePrincipalPolicy(
                b ->
                    b.policySourceArn(ALICE)
                        .actionNames("iam:CreateAccessKey")
                        .resourceArns("arn:aws:iam::" + ACCOUNT + ":user/admin")
                        .contextEntries(
                            ContextEntry.builder()
                                .contextKeyName("aws:username")
                                .contextKeyType(ContextKeyTypeEnum.STRING)
                                .contextKeyValues("admin")
                                .build()))
            .evaluationResults()
            .get(0);

    assertThat(e.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
  }

  @Test
  void badRequestsGetIamsErrors() {
    assertThatThrownBy(
            () ->
                iam.simulatePrincipalPolicy(
                    r ->
                        r.policySourceArn("arn:aws:iam::" + ACCOUNT + ":user/nobody")
                            .actionNames("s3:GetObject")))
        .isInstanceOf(NoSuchEntityException.class);
    assertThatThrownBy(
            () ->
                iam.simulatePrincipalPolicy(
                    r -> r.policySourceArn("not-an-arn-at-all-really").actionNames("s3:GetObject")))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () ->
                iam.simulatePrincipalPolicy(
                    r ->
                        r.policySourceArn(ALICE)
                            .actionNames("s3:GetObject")
                            .policyInputList("{oops")))
        .isInstanceOf(MalformedPolicyDocumentException.class);
    assertThatThrownBy(() -> iam.simulatePrincipalPolicy(r -> r.policySourceArn(ALICE)))
        .isInstanceOfSatisfying(
            IamException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
  }
}
