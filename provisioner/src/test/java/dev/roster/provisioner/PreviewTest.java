package dev.roster.provisioner;

import static dev.roster.provisioner.SeededIamSandbox.DEV;
import static dev.roster.provisioner.SeededIamSandbox.PROD;
import static dev.roster.provisioner.SeededIamSandbox.STAGING;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.events.EventJson;
import dev.roster.events.Outcome;
import dev.roster.events.Topics;
import dev.roster.events.WebhookSignature;
import dev.roster.provisioner.plan.Tags;
import dev.roster.sandbox.iam.IamSandbox;
import dev.roster.sandbox.iam.IamSandboxTestResource;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * {@code POST /v1/preview}: a signed event in, the ordered IAM calls per account out, nothing
 * applied (real Kafka for the hire before it, the IAM sandbox through the real SDK).
 */
@QuarkusTest
@TestProfile(PreviewTest.Signed.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PreviewTest.OwnSandbox.class)
class PreviewTest {
  static final String SECRET = "preview-test-secret-of-at-least-32-bytes";
  static final List<String> MUTATIONS =
      List.of(
          "PutUserPolicy",
          "DeleteUserPolicy",
          "RemoveUserFromGroup",
          "AddUserToGroup",
          "UpdateAccessKey",
          "DeleteLoginProfile",
          "TagUser",
          "CreateUser");

  /** A sandbox of this class alone. */
  public static class OwnSandbox extends SeededIamSandbox {}

  public static class Signed implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("roster.webhook.secrets", SECRET);
    }
  }

  @TestHTTPResource("/v1/preview")
  URI preview;

  static KafkaClients kafka;

  @BeforeAll
  static void clients() {
    kafka = new KafkaClients(Topics.IAM_CHANGES);
    ProvisionerFlowTest.kafka = kafka;
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  static IamSandbox sandbox() {
    return IamSandboxTestResource.sandbox();
  }

  static String now() {
    return OffsetDateTime.now(ZoneOffset.UTC)
        .truncatedTo(ChronoUnit.SECONDS)
        .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  HttpResponse<String> post(String json, String signatureHeader) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(preview)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (signatureHeader != null) {
      request.header(WebhookSignature.HEADER, signatureHeader);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String signed(String json) {
    long t = System.currentTimeMillis() / 1000;
    return WebhookSignature.sign(SECRET, t, json.getBytes(StandardCharsets.UTF_8));
  }

  long mutations() {
    return MUTATIONS.stream().mapToLong(a -> sandbox().calls(null, a)).sum();
  }

  @Test
  void aLeavesPreviewListsTheDenyAllFirstInEveryAccountAndChangesNothing() throws Exception {
    String hire =
        ProvisionerFlowTest.send(
            ProvisionerFlowTest.event(
                "hire",
                "PREV-1",
                "prev.one",
                // Well before the leave below, which is dated at the whole second: a hire later in
                // the same second would make the leave stale.
                OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1),
                "developer"));
    assertThat(ProvisionerFlowTest.awaitOutcome(hire).outcome()).isEqualTo(Outcome.COMPLETED);
    long before = mutations();
    String leave =
        "{\"eventId\":\"prev-leave-1\",\"type\":\"leave\",\"employeeId\":\"PREV-1\","
            + "\"occurredAt\":\""
            + now()
            + "\"}";

    HttpResponse<String> answer = post(leave, signed(leave));

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode plan = EventJson.mapper().readTree(answer.body());
    assertThat(plan.path("eventId").asText()).isEqualTo("prev-leave-1");
    Map<String, JsonNode> accounts =
        StreamSupport.stream(plan.path("accounts").spliterator(), false)
            .collect(java.util.stream.Collectors.toMap(a -> a.path("account").asText(), a -> a));
    for (String account : List.of(DEV, STAGING)) {
      JsonNode a = accounts.get(account);
      assertThat(a.path("state").asText()).isEqualTo("planned");
      JsonNode first = a.path("calls").get(0);
      assertThat(first.path("action").asText()).isEqualTo("PutUserPolicy");
      assertThat(first.path("target").asText()).isEqualTo(Tags.DENY_ALL_POLICY);
      assertThat(first.path("userName").asText()).isEqualTo("prev.one");
      assertThat(a.path("calls"))
          .extracting(c -> c.path("action").asText())
          .contains("RemoveUserFromGroup", "TagUser");
    }
    // No user in prod (a developer has no access there): nothing to cut, and it says why.
    assertThat(accounts.get(PROD).path("state").asText()).isEqualTo("skipped");
    assertThat(accounts.get(PROD).path("reason").asText()).isNotBlank();
    assertThat(accounts.get(PROD).path("calls")).isEmpty();
    // Nothing applied: no mutation reached IAM, the user is as the hire left it.
    assertThat(mutations()).isEqualTo(before);
    try (IamClient dev = ProvisionerFlowTest.testClient(DEV)) {
      assertThat(dev.listUserPolicies(r -> r.userName("prev.one")).policyNames()).isEmpty();
      assertThat(dev.listGroupsForUser(r -> r.userName("prev.one")).groups()).hasSize(2);
    }
  }

  @Test
  void anUnsignedOrWronglySignedPreviewIsRefusedWith401() throws Exception {
    String leave =
        "{\"eventId\":\"prev-leave-2\",\"type\":\"leave\",\"employeeId\":\"PREV-2\","
            + "\"occurredAt\":\""
            + now()
            + "\"}";

    HttpResponse<String> unsigned = post(leave, null);
    HttpResponse<String> wrong = post(leave, signed(leave.replace("PREV-2", "PREV-3")));

    for (HttpResponse<String> r : List.of(unsigned, wrong)) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
      assertThat(EventJson.mapper().readTree(r.body()).path("type").asText())
          .endsWith("/invalid-signature");
    }
  }

  @Test
  void anInvalidEventIs400NamingTheFieldAndAnUnknownRoleIsSaidToBeRefused() throws Exception {
    String noEmployee =
        "{\"eventId\":\"prev-bad\",\"type\":\"leave\",\"occurredAt\":\"" + now() + "\"}";
    String unknownRole =
        "{\"eventId\":\"prev-role\",\"type\":\"hire\",\"employeeId\":\"PREV-4\",\"occurredAt\":\""
            + now()
            + "\",\"employee\":{\"username\":\"prev.four\",\"roles\":[\"astronaut\"]}}";

    HttpResponse<String> bad = post(noEmployee, signed(noEmployee));
    HttpResponse<String> refused = post(unknownRole, signed(unknownRole));

    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(EventJson.mapper().readTree(bad.body()).path("errors"))
        .extracting(e -> e.path("pointer").asText())
        .contains("/employeeId");
    assertThat(refused.statusCode()).isEqualTo(200);
    JsonNode plan = EventJson.mapper().readTree(refused.body());
    assertThat(plan.path("refused").asText()).startsWith("unknown-role: ").contains("astronaut");
    assertThat(plan.path("accounts")).isEmpty();
  }
}
