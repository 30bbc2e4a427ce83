package dev.roster.provisioner;

import static dev.roster.provisioner.SeededIamSandbox.DEV;
import static dev.roster.provisioner.SeededIamSandbox.PROD;
import static dev.roster.provisioner.SeededIamSandbox.STAGING;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.FindingKind;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.Review;
import dev.roster.events.Topics;
import dev.roster.policy.review.ScpHash;
import dev.roster.policy.review.ScpSnapshot;
import dev.roster.provisioner.config.KafkaClientConfig;
import dev.roster.provisioner.plan.Tags;
import dev.roster.provisioner.review.KafkaReviewState;
import dev.roster.sandbox.iam.IamSandbox;
import dev.roster.sandbox.iam.IamSandboxTestResource;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Handshake;
import software.amazon.awssdk.services.organizations.model.OrganizationalUnit;
import software.amazon.awssdk.services.organizations.model.PolicyType;

/**
 * The security review end to end: {@code POST /v1/reviews}, the IAM sandbox (its own instance) and
 * its AWS Organizations through the real SDK, the records on {@code reviews} (real Kafka) as the
 * auditor consumes them, and the SCP snapshot on {@code provisioner.reviews}. Every hygiene finding
 * is planted through the SDK (the old key through the sandbox's seed: IAM gives no way to back-date
 * a key) in dev, staging and prod.
 */
@QuarkusTest
@TestProfile(ReviewFlowTest.Reviewing.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(ReviewFlowTest.OwnSandbox.class)
class ReviewFlowTest {
  static final Duration TIMEOUT = Duration.ofMinutes(2);
  static final String TOKEN = "review-token-for-tests";
  static final String DENY_IAM_USERS =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
          + "\"Action\":[\"iam:CreateUser\",\"iam:CreateAccessKey\"],\"Resource\":\"*\"}]}";
  static final String ALLOW_S3 =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";

  /** A sandbox of this class alone: a review sees every user of an account. */
  public static class OwnSandbox extends SeededIamSandbox {}

  /** The mapping with an organization, the token set, no schedule (runs are started here). */
  public static class Reviewing implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "roster.roles-file", "src/test/resources/roles-review.yaml",
          "roster.review.token", TOKEN,
          "roster.review.interval", "none");
    }
  }

  record Org(String production, String staging, String denyIamUsers) {}

  static KafkaClients kafka;
  static Org org;

  @BeforeAll
  static void plant() throws Exception {
    Map<String, Object> admin = KafkaTestResource.clientProperties();
    admin.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers());
    try (Admin a = Admin.create(admin)) {
      if (!a.listTopics().names().get(10, TimeUnit.SECONDS).contains(Topics.REVIEWS)) {
        a.createTopics(List.of(new NewTopic(Topics.REVIEWS, Optional.of(12), Optional.empty())))
            .all()
            .get(10, TimeUnit.SECONDS);
      }
    }
    kafka = new KafkaClients(Topics.REVIEWS);
    org = organization();
    try (IamClient dev = ProvisionerFlowTest.testClient(DEV);
        IamClient staging = ProvisionerFlowTest.testClient(STAGING);
        IamClient prod = ProvisionerFlowTest.testClient(PROD)) {
      // dev: a console password without MFA; two active keys; policies on the user itself.
      roster(dev, "rv.console", "RV1", "active", "developers");
      dev.createLoginProfile(r -> r.userName("rv.console").password("Correct-Horse-9"));
      roster(dev, "rv.keys", "RV2", "active", "developers");
      dev.createAccessKey(r -> r.userName("rv.keys"));
      dev.createAccessKey(r -> r.userName("rv.keys"));
      roster(dev, "rv.direct", "RV3", "active", "developers");
      dev.putUserPolicy(
          r -> r.userName("rv.direct").policyName("by-hand").policyDocument(ALLOW_S3));
      String extra =
          dev.createPolicy(r -> r.policyName("rv-extra").policyDocument(ALLOW_S3)).policy().arn();
      dev.attachUserPolicy(r -> r.userName("rv.direct").policyArn(extra));
      // Not Roster's: never reported, whatever it holds.
      dev.createUser(r -> r.userName("not.roster").path("/roster/"));
      dev.createLoginProfile(r -> r.userName("not.roster").password("Correct-Horse-9"));
      // staging: a group the mapping does not name; a mapped group that lets members write IAM.
      roster(staging, "rv.unmapped", "RV4", "active", "readonly");
      staging.createGroup(r -> r.groupName("contractors"));
      staging.addUserToGroup(r -> r.userName("rv.unmapped").groupName("contractors"));
      staging.attachGroupPolicy(
          r -> r.groupName("readonly").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
      // prod: a leaver with an active key; a leaver whose deny-all was altered by hand.
      roster(prod, "rv.leaver", "RV6", Tags.STATUS_DEACTIVATED);
      prod.putUserPolicy(
          r ->
              r.userName("rv.leaver")
                  .policyName(Tags.DENY_ALL_POLICY)
                  .policyDocument(Tags.DENY_ALL_DOCUMENT));
      prod.createAccessKey(r -> r.userName("rv.leaver"));
      roster(prod, "rv.altered", "RV7", Tags.STATUS_DEACTIVATED);
      prod.putUserPolicy(
          r ->
              r.userName("rv.altered")
                  .policyName(Tags.DENY_ALL_POLICY)
                  .policyDocument(
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                          + "\"NotAction\":\"s3:GetObject\",\"Resource\":\"*\"}]}"));
    }
    // dev: a key created in January, last used in January (IAM cannot back-date: the seed does).
    sandbox()
        .seed(
            EventJson.mapper()
                .readTree(
                    """
                    {"accounts": {"111111111111": {"users": [{"name": "rv.old", "path": "/roster/",
                      "tags": {"roster:managed-by": "roster", "roster:employee-id": "RV5",
                               "roster:status": "active"},
                      "groups": ["developers"],
                      "accessKeys": [{"id": "AKIAREVIEWOLD0000001", "status": "Active",
                        "createDate": "2026-01-02T03:04:05Z",
                        "lastUsedDate": "2026-01-05T00:00:00Z"}]}]}}}
                    """));
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  static IamSandbox sandbox() {
    return IamSandboxTestResource.sandbox();
  }

  static void roster(IamClient iam, String name, String employeeId, String status, String... g) {
    iam.createUser(
        r ->
            r.userName(name)
                .path(Tags.USER_PATH)
                .tags(
                    tag(Tags.MANAGED_BY, Tags.MANAGED_BY_ROSTER),
                    tag(Tags.EMPLOYEE_ID, employeeId),
                    tag(Tags.STATUS, status)));
    for (String group : g) {
      iam.addUserToGroup(r -> r.userName(name).groupName(group));
    }
  }

  static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  static OrganizationsClient orgs(String account) {
    return OrganizationsClient.builder()
        .endpointOverride(sandbox().endpoint())
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** dev manages the organization; prod in OU Production, staging in OU Staging, one SCP each. */
  static Org organization() {
    try (OrganizationsClient mgmt = orgs(DEV)) {
      mgmt.createOrganization(r -> r.featureSet("ALL"));
      String root = mgmt.listRoots().roots().get(0).id();
      String production = ou(mgmt, root, "Production");
      String staging = ou(mgmt, root, "Staging");
      join(mgmt, root, PROD, production);
      join(mgmt, root, STAGING, staging);
      String deny =
          mgmt.createPolicy(
                  r ->
                      r.name("deny-iam-user-creation")
                          .description("no IAM users by hand")
                          .type(PolicyType.SERVICE_CONTROL_POLICY)
                          .content(DENY_IAM_USERS))
              .policy()
              .policySummary()
              .id();
      mgmt.attachPolicy(r -> r.policyId(deny).targetId(production));
      mgmt.attachPolicy(r -> r.policyId(deny).targetId(staging));
      return new Org(production, staging, deny);
    }
  }

  static String ou(OrganizationsClient mgmt, String root, String name) {
    OrganizationalUnit ou =
        mgmt.createOrganizationalUnit(r -> r.parentId(root).name(name)).organizationalUnit();
    return ou.id();
  }

  static void join(OrganizationsClient mgmt, String root, String account, String ou) {
    Handshake invite =
        mgmt.inviteAccountToOrganization(r -> r.target(t -> t.id(account).type("ACCOUNT")))
            .handshake();
    try (OrganizationsClient member = orgs(account)) {
      member.acceptHandshake(r -> r.handshakeId(invite.id()));
    }
    mgmt.moveAccount(r -> r.accountId(account).sourceParentId(root).destinationParentId(ou));
  }

  /**
   * Starts a review on demand; its id. The previous run's final status can be out a moment before
   * its instance is free again, so a 409 is waited out.
   */
  static String review() {
    io.restassured.response.Response[] answer = {null};
    await("a review starts")
        .atMost(TIMEOUT)
        .until(
            () -> {
              answer[0] =
                  given().header("Authorization", "Bearer " + TOKEN).when().post("/v1/reviews");
              return answer[0].statusCode() != 409;
            });
    return answer[0]
        .then()
        .statusCode(202)
        .body("status", equalTo("running"))
        .body("reviewId", matchesPattern("review-\\d{8}T\\d{6}Z-[0-9a-f]{6}"))
        .extract()
        .path("reviewId");
  }

  static List<ConsumerRecord<String, String>> records(String reviewId) {
    return kafka.records(Topics.REVIEWS, reviewId);
  }

  static String type(ConsumerRecord<String, String> r) {
    return KafkaClients.header(r, CloudEvents.HEADER_TYPE);
  }

  /** The review's final status record (waits for it). */
  static Review awaitEnd(String reviewId) {
    return await("review " + reviewId)
        .atMost(TIMEOUT)
        .until(
            () ->
                records(reviewId).stream()
                    .filter(r -> CloudEvents.REVIEW_TYPE.equals(type(r)))
                    .map(r -> ProvisionerFlowTest.read(r.value(), Review.class))
                    .filter(r -> r.status() != ReconciliationStatus.RUNNING)
                    .findFirst(),
            Optional::isPresent)
        .get();
  }

  static List<Review.Finding> findings(String reviewId) {
    return records(reviewId).stream()
        .filter(r -> CloudEvents.FINDING_TYPE.equals(type(r)))
        .map(r -> ProvisionerFlowTest.read(r.value(), Review.Finding.class))
        .toList();
  }

  /** kind, account (or "org") and subject of each finding. */
  static List<String> facts(List<Review.Finding> findings) {
    return findings.stream()
        .map(
            f ->
                f.kind().wireName()
                    + " "
                    + (f.account() == null ? "org" : f.account())
                    + " "
                    + f.subject())
        .toList();
  }

  @Test
  void everyPlantedFindingIsFoundAcrossThreeAccountsAndNothingAboutUsersRosterDoesNotOwn() {
    String id = review();
    Review last = awaitEnd(id);

    assertThat(last.status()).isEqualTo(ReconciliationStatus.COMPLETED);
    assertThat(last.accounts()).containsExactly(DEV, STAGING, PROD);
    assertThat(last.startedAt()).isNotNull();
    assertThat(last.completedAt()).isAfterOrEqualTo(last.startedAt());
    List<Review.Finding> found = findings(id);
    assertThat(facts(found))
        .contains(
            "console-without-mfa " + DEV + " rv.console",
            "multiple-active-keys " + DEV + " rv.keys",
            "old-access-key " + DEV + " AKIAREVIEWOLD0000001",
            "unused-access-key " + DEV + " AKIAREVIEWOLD0000001",
            "direct-policy " + DEV + " policy:by-hand@rv.direct",
            "direct-policy " + DEV + " policy:arn:aws:iam::" + DEV + ":policy/rv-extra@rv.direct",
            "unmapped-group " + STAGING + " group:contractors@rv.unmapped",
            "privileged-group " + STAGING + " group:readonly",
            "leaver-with-active-credential " + PROD + " rv.leaver",
            "cut-off-not-verified " + PROD + " rv.altered",
            // A deny-all edited by hand counts as no deny-all: the leaver is open, and said so.
            "leaver-with-active-credential " + PROD + " rv.altered");
    // Only the hand-altered deny-all is unverified.
    assertThat(facts(found))
        .noneMatch(f -> f.equals("cut-off-not-verified " + PROD + " rv.leaver"));
    assertThat(found).noneMatch(f -> "not.roster".equals(f.userName()));
    assertThat(found)
        .filteredOn(f -> f.kind() == FindingKind.CONSOLE_WITHOUT_MFA)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.employeeId()).isEqualTo("RV1");
              assertThat(f.userName()).isEqualTo("rv.console");
              assertThat(f.reviewId()).isEqualTo(id);
              assertThat(f.observedAt()).isEqualTo(last.startedAt());
            });
    // Counts per kind are what was published; the findings come before the final status.
    Map<String, Integer> counted = new java.util.TreeMap<>();
    found.forEach(f -> counted.merge(f.kind().wireName(), 1, Integer::sum));
    assertThat(last.counts()).isEqualTo(counted);
    List<ConsumerRecord<String, String>> all = records(id);
    assertThat(type(all.get(0))).isEqualTo(CloudEvents.REVIEW_TYPE);
    assertThat(ProvisionerFlowTest.read(all.get(0).value(), Review.class).status())
        .isEqualTo(ReconciliationStatus.RUNNING);
    assertThat(type(all.get(all.size() - 1))).isEqualTo(CloudEvents.REVIEW_TYPE);
    assertThat(all).hasSize(found.size() + 2);
    assertThat(found).extracting(Review.Finding::findingId).doesNotHaveDuplicates();

    // The same facts have the same ids in the next run (the auditor keeps their first sighting).
    String again = review();
    awaitEnd(again);
    assertThat(findings(again))
        .extracting(Review.Finding::findingId)
        .containsAll(found.stream().map(Review.Finding::findingId).toList());
  }

  @Test
  void anAccountThatCannotBeReadIsNamedWhileTheOthersFindingsArePublished() {
    sandbox().faults().fail(STAGING, "GetAccountAuthorizationDetails", 1.0);
    try {
      String id = review();
      Review last = awaitEnd(id);

      assertThat(last.status()).isEqualTo(ReconciliationStatus.FAILED);
      assertThat(last.reason()).contains("account staging (" + STAGING + ")");
      assertThat(last.accounts()).containsExactly(DEV, PROD);
      assertThat(facts(findings(id)))
          .contains(
              "console-without-mfa " + DEV + " rv.console",
              "leaver-with-active-credential " + PROD + " rv.leaver")
          .noneMatch(f -> f.startsWith("unmapped-group " + STAGING));
    } finally {
      sandbox().faults().clear();
    }
  }

  @Test
  void aSecondReviewOnTheSameInstanceIsRefusedWhileTheFirstRuns() {
    sandbox()
        .faults()
        .latency(DEV, "GetAccountAuthorizationDetails", Duration.ofSeconds(3), Duration.ZERO);
    try {
      String id = review();
      given()
          .header("Authorization", "Bearer " + TOKEN)
          .when()
          .post("/v1/reviews")
          .then()
          .statusCode(409)
          .contentType("application/problem+json")
          .body("status", equalTo(409))
          .body("detail", equalTo("review " + id + " is running on this instance"));
      assertThat(awaitEnd(id).status()).isEqualTo(ReconciliationStatus.COMPLETED);
    } finally {
      sandbox().faults().clear();
    }
    // Once it is over, the next one starts.
    awaitEnd(review());
  }

  @Test
  void onlyTheRightBearerTokenStartsAReview() {
    given()
        .when()
        .post("/v1/reviews")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Bearer realm=\"roster-provisioner\"");
    given()
        .header("Authorization", "Bearer wrong-" + TOKEN)
        .when()
        .post("/v1/reviews")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    given()
        .header("Authorization", "Basic " + TOKEN)
        .when()
        .post("/v1/reviews")
        .then()
        .statusCode(401);
  }

  @Test
  void scpDetachedAddedAndEditedAreFoundAgainstTheSnapshotOfThePreviousReview() {
    String first = review();
    assertThat(awaitEnd(first).status()).isEqualTo(ReconciliationStatus.COMPLETED);
    assertThat(facts(findings(first)))
        .noneMatch(f -> f.startsWith("scp-") || f.startsWith("ou-without-scp"))
        .noneMatch(f -> f.startsWith("account-outside-ou"));

    String edited = DENY_IAM_USERS.replace(",\"iam:CreateAccessKey\"", "");
    String added;
    try (OrganizationsClient mgmt = orgs(DEV)) {
      mgmt.detachPolicy(r -> r.policyId(org.denyIamUsers()).targetId(org.staging()));
      added =
          mgmt.createPolicy(
                  r ->
                      r.name("extra-guardrail")
                          .description("attached by hand")
                          .type(PolicyType.SERVICE_CONTROL_POLICY)
                          .content(ALLOW_S3))
              .policy()
              .policySummary()
              .id();
      mgmt.attachPolicy(r -> r.policyId(added).targetId(org.production()));
      mgmt.updatePolicy(r -> r.policyId(org.denyIamUsers()).content(edited));
    }
    String second = review();
    assertThat(awaitEnd(second).status()).isEqualTo(ReconciliationStatus.COMPLETED);

    List<Review.Finding> found = findings(second);
    assertThat(facts(found))
        .contains(
            "scp-missing org scp:deny-iam-user-creation@ou:Staging",
            "scp-added org scp:" + added + "@" + org.production(),
            "scp-changed org scp:" + org.denyIamUsers(),
            "ou-without-scp org ou:" + org.staging());
    // The change is found against what the first review kept on the compacted topic; a fresh
    // reader (another instance) sees what the second one kept.
    Map<String, Object> client = KafkaTestResource.clientProperties();
    client.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers());
    try (KafkaReviewState state =
        new KafkaReviewState(KafkaClientConfig.from(client), Duration.ofSeconds(30))) {
      ScpSnapshot kept = state.scps(DEV).orElseThrow();
      assertThat(kept.hashOf(org.denyIamUsers())).contains(ScpHash.of(edited));
      assertThat(kept.attached(org.production(), added)).isTrue();
      assertThat(kept.attached(org.staging(), org.denyIamUsers())).isFalse();
    }
    assertThat(found)
        .filteredOn(f -> f.kind() == FindingKind.SCP_CHANGED)
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.detail())
                    .contains(ScpHash.of(DENY_IAM_USERS))
                    .contains(ScpHash.of(edited)));
  }
}
