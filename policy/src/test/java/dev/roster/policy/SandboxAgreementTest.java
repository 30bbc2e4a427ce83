package dev.roster.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.sandbox.iam.IamSandbox;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;

/**
 * Two independent evaluators, one answer: every row of the decision table that the product's
 * evaluator decides for certain is put to the IAM sandbox's own evaluator through {@code
 * SimulatePrincipalPolicy}, and the two must agree. A bug in either shows here.
 */
class SandboxAgreementTest {
  static final String ACCOUNT = "111111111111";
  static IamSandbox sandbox;
  static IamClient iam;

  @BeforeAll
  static void start() {
    sandbox = IamSandbox.builder().build().start();
    iam =
        IamClient.builder()
            .endpointOverride(sandbox.endpoint())
            .region(Region.AWS_GLOBAL)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCOUNT, "secret")))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    iam.createUser(r -> r.userName("probe"));
  }

  @AfterAll
  static void stop() {
    iam.close();
    sandbox.close();
  }

  @Test
  void theSandboxDecidesEveryCertainRowAsTheProductDoes() {
    List<String> disagreements = new ArrayList<>();
    int compared = 0;
    for (JsonNode row :
        (Iterable<JsonNode>) PolicyEvaluatorTableTest.rows("decisions.json")::iterator) {
      Decision expected = Decision.valueOf(row.get("expect").asText());
      String resource = row.hasNonNull("resource") ? row.get("resource").asText() : null;
      // "*" as a resource is literal for the product and "every resource" for IAM's simulator;
      // MAY_ALLOW has no IAM counterpart.
      if (expected == Decision.MAY_ALLOW || "*".equals(resource)) {
        continue;
      }
      List<String> documents =
          Documents.strings(row.get("policies")).stream().map(Documents.ALL::get).toList();
      List<ContextEntry> context = new ArrayList<>();
      JsonNode ctx = row.get("context");
      if (ctx != null) {
        for (Iterator<Map.Entry<String, JsonNode>> it = ctx.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          context.add(
              ContextEntry.builder()
                  .contextKeyName(e.getKey())
                  .contextKeyType(ContextKeyTypeEnum.STRING_LIST)
                  .contextKeyValues(Documents.strings(e.getValue()))
                  .build());
        }
      }
      PolicyEvaluationDecisionType answer =
          iam.simulatePrincipalPolicy(
                  r -> {
                    r.policySourceArn("arn:aws:iam::" + ACCOUNT + ":user/probe")
                        .actionNames(row.get("action").asText())
                        .policyInputList(documents)
                        .contextEntries(context);
                    if (resource != null) {
                      r.resourceArns(resource);
                    }
                  })
              .evaluationResults()
              .get(0)
              .evalDecision();
      compared++;
      PolicyEvaluationDecisionType wanted =
          switch (expected) {
            case ALLOWED -> PolicyEvaluationDecisionType.ALLOWED;
            case DENIED_EXPLICIT -> PolicyEvaluationDecisionType.EXPLICIT_DENY;
            default -> PolicyEvaluationDecisionType.IMPLICIT_DENY;
          };
      if (answer != wanted) {
        disagreements.add(row + " -> sandbox " + answer);
      }
    }
    assertThat(compared).isGreaterThan(80);
    assertThat(disagreements).isEmpty();
  }
}
