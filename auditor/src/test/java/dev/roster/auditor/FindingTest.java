package dev.roster.auditor;

import static dev.roster.auditor.Fixtures.api;
import static dev.roster.auditor.Fixtures.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.roster.auditor.messaging.AuditConsumer;
import dev.roster.events.CloudEvents;
import dev.roster.events.FindingKind;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.Review;
import dev.roster.events.Topics;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Security reviews as the provisioner publishes them on {@code reviews}, read back through {@code
 * /v1/findings} and {@code /v1/reviews}: first-seen, last-seen and resolution across reviews, a
 * finding reported again, filters, paging, CSV, the {@code roster_findings} gauge, idempotency,
 * dead letters and append-only tables.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class FindingTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final OffsetDateTime T0 =
      OffsetDateTime.of(2026, 7, 1, 3, 0, 0, 0, ZoneOffset.UTC);

  @Inject AuditConsumer consumer;

  /** A 12-digit account id no other test uses, so that counts and filters are this test's. */
  private static String account() {
    return Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L));
  }

  private static String iso(OffsetDateTime t) {
    return t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  private static Review review(
      String id, ReconciliationStatus status, OffsetDateTime startedAt, String account) {
    return new Review(
        id,
        status,
        startedAt,
        status == ReconciliationStatus.COMPLETED ? startedAt.plusSeconds(10) : null,
        List.of(account),
        status == ReconciliationStatus.COMPLETED ? Map.of("old-access-key", 1) : null,
        null);
  }

  private static Review.Finding finding(
      String reviewId,
      String findingId,
      FindingKind kind,
      String account,
      String employeeId,
      String detail,
      OffsetDateTime observedAt) {
    return new Review.Finding(
        reviewId,
        findingId,
        kind,
        account,
        employeeId,
        employeeId == null ? null : "u-" + employeeId,
        employeeId == null ? "ou-prod" : "AKIA" + employeeId,
        detail,
        observedAt);
  }

  private static JsonPath findings(Object... params) {
    var req = api().queryParam("limit", 1000);
    for (int i = 0; i < params.length; i += 2) {
      req = req.queryParam((String) params[i], params[i + 1]);
    }
    return req.get("/v1/findings").then().statusCode(200).extract().jsonPath();
  }

  private static List<String> ids(Object... params) {
    return findings(params).getList("items.findingId", String.class);
  }

  @Test
  void aFindingALaterCompletedReviewNoLongerReportsIsResolvedAndOpenAgainWhenReportedAgain() {
    String acct = account();
    String a = Fixtures.id("review-a");
    String b = Fixtures.id("review-b");
    String c = Fixtures.id("review-c");
    String key = Fixtures.id("f-key");
    String mfa = Fixtures.id("f-mfa");
    String scp = Fixtures.id("f-scp");
    String employee = Fixtures.id("E");
    OffsetDateTime bStart = T0.plusHours(1);

    Fixtures.publish(review(a, ReconciliationStatus.RUNNING, T0, acct));
    Fixtures.publish(
        finding(
            a,
            key,
            FindingKind.OLD_ACCESS_KEY,
            acct,
            "E1",
            "created 2026-01-02, 180 days",
            T0.plusSeconds(1)));
    Fixtures.publish(
        finding(
            a,
            mfa,
            FindingKind.CONSOLE_WITHOUT_MFA,
            acct,
            employee,
            "=HYPERLINK(\"http://x\")",
            T0.plusSeconds(2)));
    Fixtures.publish(
        finding(a, scp, FindingKind.SCP_MISSING, null, null, "deny-iam", T0.plusSeconds(3)));
    Fixtures.publish(review(a, ReconciliationStatus.COMPLETED, T0, acct));
    Fixtures.publish(review(b, ReconciliationStatus.RUNNING, bStart, acct));
    Fixtures.publish(
        finding(
            b,
            key,
            FindingKind.OLD_ACCESS_KEY,
            acct,
            "E1",
            "created 2026-01-02, 181 days",
            bStart.plusSeconds(1)));
    Fixtures.publish(
        finding(b, scp, FindingKind.SCP_MISSING, null, null, "deny-iam", bStart.plusSeconds(2)));
    Fixtures.publish(review(b, ReconciliationStatus.COMPLETED, bStart, acct));

    await()
        .atMost(WAIT)
        .until(() -> ids("account", acct, "status", "resolved").equals(List.of(mfa)));

    JsonPath all = findings("account", acct);
    // newest first by the first stored sighting; the organization-wide one has no account
    assertThat(all.getList("items.findingId", String.class)).containsExactly(mfa, key);
    Map<String, Object> k = all.getMap("items[1]");
    assertThat(k)
        .containsEntry("findingId", key)
        .containsEntry("kind", "old-access-key")
        .containsEntry("account", acct)
        .containsEntry("employeeId", "E1")
        .containsEntry("userName", "u-E1")
        .containsEntry("subject", "AKIAE1")
        .containsEntry("detail", "created 2026-01-02, 181 days")
        .containsEntry("status", "open")
        .containsEntry("firstSeenAt", "2026-07-01T03:00:01Z")
        .containsEntry("lastSeenAt", "2026-07-01T04:00:01Z")
        .containsEntry("reviewId", b);
    assertThat(all.getString("items[1].resolvedAt")).isNull();
    Map<String, Object> m = all.getMap("items[0]");
    assertThat(m)
        .containsEntry("status", "resolved")
        .containsEntry("firstSeenAt", "2026-07-01T03:00:02Z")
        .containsEntry("lastSeenAt", "2026-07-01T03:00:02Z")
        // b's completedAt: the first completed review after a's sighting that lacks it
        .containsEntry("resolvedAt", "2026-07-01T04:00:10Z")
        .containsEntry("reviewId", a);
    // (any later completed review, another test's too, looks at the organization: no status here)
    JsonPath org = findings("kind", "scp-missing");
    int i = org.getList("items.findingId", String.class).indexOf(scp);
    assertThat(i).isNotNegative();
    assertThat(org.getString("items[" + i + "].account")).isNull();
    assertThat(org.getString("items[" + i + "].reviewId")).isEqualTo(b);
    assertThat(org.getString("items[" + i + "].lastSeenAt")).isEqualTo("2026-07-01T04:00:02Z");

    // filters: status, kind, employeeId, from/to on firstSeenAt, and together
    assertThat(ids("account", acct, "status", "open")).containsExactly(key);
    assertThat(ids("account", acct, "kind", "console-without-mfa")).containsExactly(mfa);
    assertThat(ids("employeeId", employee)).containsExactly(mfa);
    assertThat(ids("account", acct, "from", iso(T0.plusSeconds(2)))).containsExactly(mfa);
    assertThat(ids("account", acct, "to", iso(T0.plusSeconds(2)))).containsExactly(key);
    assertThat(ids("account", acct, "from", iso(bStart))).isEmpty();
    assertThat(ids("account", acct, "kind", "old-access-key", "status", "resolved")).isEmpty();

    // keyset paging: one per page, each once
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      var req = api().queryParam("account", acct).queryParam("limit", 1);
      if (cursor != null) {
        req = req.queryParam("cursor", cursor);
      }
      JsonPath page = req.get("/v1/findings").then().statusCode(200).extract().jsonPath();
      seen.addAll(page.getList("items.findingId", String.class));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    assertThat(seen).containsExactly(mfa, key);

    // CSV: same rows, every column, the formula-like detail neutralised
    String csv =
        api()
            .queryParam("account", acct)
            .queryParam("format", "csv")
            .get("/v1/findings")
            .then()
            .statusCode(200)
            .contentType("text/csv")
            .header("Content-Disposition", "attachment; filename=\"findings.csv\"")
            .extract()
            .asString();
    List<String> lines = csv.lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "seq,findingId,kind,account,employeeId,userName,subject,detail,status,firstSeenAt,"
                + "lastSeenAt,resolvedAt,reviewId");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1))
        .contains(
            mfa
                + ",console-without-mfa,"
                + acct
                + ","
                + employee
                + ",u-"
                + employee
                + ",AKIA"
                + employee
                + ",\"'=HYPERLINK(\"\"http://x\"\")\",resolved,2026-07-01T03:00:02Z,"
                + "2026-07-01T03:00:02Z,2026-07-01T04:00:10Z,"
                + a);
    assertThat(lines.get(2))
        .contains(key + ",old-access-key,")
        .endsWith(",open," + "2026-07-01T03:00:01Z,2026-07-01T04:00:01Z,," + b);

    // the gauge: open findings per kind and account; the resolved kind is 0, not gone
    await().atMost(WAIT).until(() -> gauge("old-access-key", acct) == 1.0);
    assertThat(gauge("console-without-mfa", acct)).isZero();

    // the reviews, newest first, with their latest status and stored findings
    JsonPath reviews =
        api()
            .queryParam("limit", 1000)
            .get("/v1/reviews")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<String> reviewIds = reviews.getList("items.reviewId", String.class);
    assertThat(reviewIds.indexOf(b)).isLessThan(reviewIds.indexOf(a)).isNotNegative();
    int ai = reviewIds.indexOf(a);
    assertThat(reviews.getString("items[" + ai + "].status")).isEqualTo("completed");
    assertThat(reviews.getInt("items[" + ai + "].findings")).isEqualTo(3);
    assertThat(reviews.getInt("items[" + ai + "].counts.old-access-key")).isEqualTo(1);
    assertThat(reviews.getString("items[" + ai + "].completedAt"))
        .isEqualTo("2026-07-01T03:00:10Z");
    assertThat(reviews.getList("items[" + ai + "].accounts", String.class)).containsExactly(acct);

    String reviewsCsv =
        api()
            .queryParam("format", "csv")
            .queryParam("limit", 1000)
            .get("/v1/reviews")
            .then()
            .statusCode(200)
            .contentType("text/csv")
            .header("Content-Disposition", "attachment; filename=\"reviews.csv\"")
            .extract()
            .asString();
    assertThat(reviewsCsv.lines().findFirst())
        .hasValue(
            "seq,reviewId,status,startedAt,completedAt,accounts,counts,findings,reason,updatedAt");
    assertThat(reviewsCsv.lines().filter(l -> l.contains(a)))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .contains(
                        a
                            + ",completed,2026-07-01T03:00:00Z,2026-07-01T03:00:10Z,"
                            + acct
                            + ",old-access-key=1,3,,"));

    // reported again by a later (still running) review: open again, first seen unchanged
    Fixtures.publish(review(c, ReconciliationStatus.RUNNING, T0.plusHours(2), acct));
    Fixtures.publish(
        finding(
            c,
            mfa,
            FindingKind.CONSOLE_WITHOUT_MFA,
            acct,
            employee,
            "no MFA device",
            T0.plusHours(2).plusSeconds(1)));
    await().atMost(WAIT).until(() -> ids("account", acct, "status", "open").size() == 2);
    Map<String, Object> again =
        findings("account", acct, "kind", "console-without-mfa").getMap("items[0]");
    assertThat(again)
        .containsEntry("status", "open")
        .containsEntry("firstSeenAt", "2026-07-01T03:00:02Z")
        .containsEntry("lastSeenAt", "2026-07-01T05:00:01Z")
        .containsEntry("detail", "no MFA device")
        .containsEntry("reviewId", c);
    assertThat(again.get("resolvedAt")).isNull();
    await().atMost(WAIT).until(() -> gauge("console-without-mfa", acct) == 1.0);
    assertThat(
            api()
                .queryParam("status", "running")
                .queryParam("limit", 1000)
                .get("/v1/reviews")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.reviewId", String.class))
        .contains(c)
        .doesNotContain(a, b);
  }

  @Test
  void aFailedReviewOrACompletedReviewOfOtherAccountsResolvesNothing() {
    String acct = account();
    String a = Fixtures.id("review-ok");
    String b = Fixtures.id("review-failed");
    String other = Fixtures.id("review-other-account");
    String f = Fixtures.id("f");
    Fixtures.publish(review(a, ReconciliationStatus.RUNNING, T0, acct));
    Fixtures.publish(
        finding(
            a, f, FindingKind.DIRECT_POLICY, acct, "E7", "AdministratorAccess", T0.plusSeconds(1)));
    Fixtures.publish(review(a, ReconciliationStatus.COMPLETED, T0, acct));
    await().atMost(WAIT).until(() -> ids("account", acct).equals(List.of(f)));
    Fixtures.publish(review(b, ReconciliationStatus.RUNNING, T0.plusHours(1), acct));
    Fixtures.publish(
        new Review(
            b,
            ReconciliationStatus.FAILED,
            T0.plusHours(1),
            null,
            List.of(acct),
            null,
            "account unreadable"));
    // a later review of another account only: it did not look at acct
    Fixtures.publish(review(other, ReconciliationStatus.COMPLETED, T0.plusHours(2), account()));
    // and a later one of acct still running
    String running = Fixtures.id("review-running");
    Fixtures.publish(review(running, ReconciliationStatus.RUNNING, T0.plusHours(3), acct));
    await()
        .atMost(WAIT)
        .until(
            () ->
                "failed".equals(reviewOf(b).get("status"))
                    && "completed".equals(reviewOf(other).get("status"))
                    && "running".equals(reviewOf(running).get("status")));
    assertThat(reviewOf(b)).containsEntry("reason", "account unreadable");
    assertThat(ids("account", acct, "status", "open")).containsExactly(f);
    assertThat(gauge("direct-policy", acct)).isEqualTo(1.0);
  }

  @Test
  void redeliveredAndRepublishedRecordsStoreNothingTwice() {
    String acct = account();
    String id = Fixtures.id("review-redeliver");
    String f = Fixtures.id("f");
    Review running = review(id, ReconciliationStatus.RUNNING, T0, acct);
    Review.Finding mfa =
        finding(
            id,
            f,
            FindingKind.MULTIPLE_ACTIVE_KEYS,
            acct,
            "E8",
            "2 active keys",
            T0.plusSeconds(1));
    List<ProducerRecord<String, String>> sent =
        List.of(Fixtures.record(running), Fixtures.record(mfa));
    List<RecordMetadata> landed = Fixtures.publishTogether(sent);
    await().atMost(WAIT).until(() -> ids("account", acct).equals(List.of(f)));
    double before = duplicates("status") + duplicates("finding");

    List<ConsumerRecord<String, String>> again = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      ConsumerRecord<String, String> r =
          new ConsumerRecord<>(
              Topics.REVIEWS,
              landed.get(i).partition(),
              landed.get(i).offset(),
              id,
              sent.get(i).value());
      sent.get(i).headers().forEach(h -> r.headers().add(h));
      again.add(r);
    }
    consumer.reviews(
        new ConsumerRecords<>(
            Map.of(new TopicPartition(Topics.REVIEWS, landed.get(0).partition()), again),
            Map.of()));
    // the finding republished by the same review (another offset, even with another detail):
    // one sighting per review, the first stored copy stands
    Fixtures.publish(
        new Review.Finding(
            id,
            f,
            mfa.kind(),
            acct,
            mfa.employeeId(),
            mfa.userName(),
            mfa.subject(),
            "3 active keys",
            mfa.observedAt()));
    Fixtures.publish(review(id, ReconciliationStatus.COMPLETED, T0, acct));

    await().atMost(WAIT).until(() -> duplicates("status") + duplicates("finding") - before >= 3);
    await().atMost(WAIT).until(() -> "completed".equals(reviewOf(id).get("status")));
    assertThat(ids("account", acct)).containsExactly(f);
    assertThat(findings("account", acct).getString("items[0].detail")).isEqualTo("2 active keys");
    assertThat(reviewOf(id)).containsEntry("findings", 1);
    assertThat(gauge("multiple-active-keys", acct))
        .as(metrics().stream().filter(l -> l.contains("roster_findings")).toList().toString())
        .isEqualTo(1.0);
  }

  @Test
  void badRecordsLandOnTheDlqWithTheReasonAndTheGoodOnesAreStored() {
    String acct = account();
    String id = Fixtures.id("review-bad");
    OffsetDateTime at = T0.plusSeconds(5);
    ProducerRecord<String, String> held =
        raw(
            id,
            CloudEvents.REVIEW_TYPE,
            "{\"reviewId\":\"" + id + "\",\"status\":\"held\",\"startedAt\":\"" + iso(T0) + "\"}");
    ProducerRecord<String, String> noCompletedAt =
        raw(
            id,
            CloudEvents.REVIEW_TYPE,
            "{\"reviewId\":\""
                + id
                + "\",\"status\":\"completed\",\"startedAt\":\""
                + iso(T0)
                + "\"}");
    ProducerRecord<String, String> unknownKind =
        raw(
            id,
            CloudEvents.FINDING_TYPE,
            "{\"reviewId\":\""
                + id
                + "\",\"findingId\":\"x\",\"kind\":\"vanished\",\"observedAt\":\""
                + iso(at)
                + "\"}");
    ProducerRecord<String, String> noObservedAt =
        raw(
            id,
            CloudEvents.FINDING_TYPE,
            "{\"reviewId\":\"" + id + "\",\"findingId\":\"y\",\"kind\":\"direct-policy\"}");
    ProducerRecord<String, String> unknownType = raw(id, "dev.roster.review.unknown", "{}");
    ProducerRecord<String, String> badJson = raw(id, CloudEvents.FINDING_TYPE, "{not json");
    ProducerRecord<String, String> otherKey =
        Fixtures.record(
            finding(id + "-other", "z", FindingKind.DIRECT_POLICY, acct, "E1", "x", at));
    ProducerRecord<String, String> wrongKey =
        new ProducerRecord<>(Topics.REVIEWS, id, otherKey.value());
    otherKey.headers().forEach(h -> wrongKey.headers().add(h));
    ProducerRecord<String, String> nul =
        Fixtures.record(
            finding(
                id, Fixtures.id("nul"), FindingKind.UNMAPPED_GROUP, acct, "E2", "grp\u0000x", at));
    String good = Fixtures.id("good");
    ProducerRecord<String, String> noStartedAt =
        raw(id, CloudEvents.REVIEW_TYPE, "{\"reviewId\":\"" + id + "\",\"status\":\"running\"}");
    ProducerRecord<String, String> noFindingId =
        raw(
            id,
            CloudEvents.FINDING_TYPE,
            "{\"reviewId\":\""
                + id
                + "\",\"kind\":\"direct-policy\",\"observedAt\":\""
                + iso(at)
                + "\"}");
    ProducerRecord<String, String> unknownField =
        raw(
            id,
            CloudEvents.REVIEW_TYPE,
            "{\"reviewId\":\""
                + id
                + "\",\"status\":\"running\",\"startedAt\":\""
                + iso(T0)
                + "\",\"severity\":\"high\"}");

    List<RecordMetadata> landed =
        Fixtures.publishTogether(
            List.of(
                Fixtures.record(review(id, ReconciliationStatus.RUNNING, T0, acct)),
                held,
                noCompletedAt,
                unknownKind,
                noObservedAt,
                unknownType,
                badJson,
                wrongKey,
                nul,
                noStartedAt,
                noFindingId,
                unknownField,
                Fixtures.record(
                    finding(id, good, FindingKind.UNMAPPED_GROUP, acct, "E3", "admins", at))));

    await().atMost(WAIT).until(() -> ids("account", acct).equals(List.of(good)));
    await().atMost(WAIT).until(() -> Fixtures.deadLetters(id).size() == 11);
    Map<String, String> reasonByOffset = new HashMap<>();
    Map<String, String> causeByOffset = new HashMap<>();
    for (ConsumerRecord<String, String> d : Fixtures.deadLetters(id)) {
      assertThat(header(d, CloudEvents.HEADER_DLQ_TOPIC)).isEqualTo(Topics.REVIEWS);
      reasonByOffset.put(
          header(d, CloudEvents.HEADER_DLQ_OFFSET), header(d, CloudEvents.HEADER_DLQ_REASON));
      causeByOffset.put(
          header(d, CloudEvents.HEADER_DLQ_OFFSET), header(d, CloudEvents.HEADER_DLQ_CAUSE));
    }
    Map<String, String> expected = new HashMap<>();
    for (int i = 1; i <= 11; i++) {
      expected.put(off(landed, i), i == 5 ? "unknown-type" : "malformed");
    }
    expected.put(off(landed, 8), "database-refused");
    assertThat(reasonByOffset).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(causeByOffset.get(off(landed, 1))).contains("never held");
    assertThat(causeByOffset.get(off(landed, 2))).contains("completedAt: required");
    assertThat(causeByOffset.get(off(landed, 3))).contains("vanished");
    assertThat(causeByOffset.get(off(landed, 4))).contains("observedAt: required");
    assertThat(causeByOffset.get(off(landed, 5))).contains("dev.roster.review.unknown");
    assertThat(causeByOffset.get(off(landed, 7))).contains("is not the reviewId");
    assertThat(causeByOffset.get(off(landed, 8))).startsWith("SQLState 22021");
    assertThat(causeByOffset.get(off(landed, 9))).contains("startedAt: required");
    assertThat(causeByOffset.get(off(landed, 10))).contains("findingId: required");
    assertThat(causeByOffset.get(off(landed, 11))).contains("severity");
  }

  @Test
  void badFiltersAre400NamingTheParameter() {
    for (String[] bad :
        new String[][] {
          {"/v1/findings", "kind", "vanished"},
          {"/v1/findings", "account", "prod"},
          {"/v1/findings", "status", "closed"},
          {"/v1/findings", "from", "yesterday"},
          {"/v1/findings", "limit", "0"},
          {"/v1/findings", "format", "xml"},
          {"/v1/reviews", "status", "held"},
          {"/v1/reviews", "cursor", "x"}
        }) {
      api()
          .queryParam(bad[1], bad[2])
          .get(bad[0])
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].pointer", org.hamcrest.Matchers.equalTo(bad[1]));
    }
    api()
        .queryParam("from", iso(T0.plusHours(1)))
        .queryParam("to", iso(T0))
        .get("/v1/findings")
        .then()
        .statusCode(400)
        .body("errors[0].pointer", org.hamcrest.Matchers.equalTo("to"));
  }

  @Test
  void updateDeleteAndTruncateAreRefusedOnBothTables() {
    String acct = account();
    String id = Fixtures.id("review-tamper");
    Fixtures.publish(review(id, ReconciliationStatus.RUNNING, T0, acct));
    Fixtures.publish(
        finding(id, Fixtures.id("f"), FindingKind.OLD_ACCESS_KEY, acct, "E1", "x", T0));
    await().atMost(WAIT).until(() -> ids("account", acct).size() == 1);
    for (String table : List.of("review_status", "review_finding")) {
      String where = " WHERE review_id = '" + id + "'";
      assertThatThrownBy(
              () ->
                  ReconciliationTest.superuser("UPDATE " + table + " SET review_id = 'x'" + where))
          .hasMessageContaining(table + " is append-only: UPDATE rejected");
      assertThatThrownBy(() -> ReconciliationTest.superuser("DELETE FROM " + table + where))
          .hasMessageContaining(table + " is append-only: DELETE rejected");
      assertThatThrownBy(() -> ReconciliationTest.superuser("TRUNCATE " + table))
          .hasMessageContaining(table + " is append-only: TRUNCATE rejected");
      assertThatThrownBy(() -> ReconciliationTest.asService("DELETE FROM " + table + where))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(
              () ->
                  ReconciliationTest.asService("UPDATE " + table + " SET review_id = 'x'" + where))
          .hasMessageContaining("permission denied");
    }
    assertThat(ids("account", acct)).hasSize(1);
  }

  /** The review's item in /v1/reviews (empty when not listed). */
  private static Map<String, Object> reviewOf(String id) {
    List<Map<String, Object>> items =
        api()
            .queryParam("limit", 1000)
            .get("/v1/reviews")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("items");
    return items.stream().filter(r -> id.equals(r.get("reviewId"))).findFirst().orElse(Map.of());
  }

  private static String off(List<RecordMetadata> landed, int i) {
    return Long.toString(landed.get(i).offset());
  }

  private static ProducerRecord<String, String> raw(String key, String ceType, String value) {
    ProducerRecord<String, String> r = new ProducerRecord<>(Topics.REVIEWS, key, value);
    r.headers().add(CloudEvents.HEADER_TYPE, ceType.getBytes(StandardCharsets.UTF_8));
    return r;
  }

  private static List<String> metrics() {
    return io.restassured.RestAssured.get("/q/metrics")
        .then()
        .extract()
        .asString()
        .lines()
        .toList();
  }

  /** roster_findings{kind,account}, or -1 when not exported. */
  private static double gauge(String kind, String account) {
    return metrics().stream()
        .filter(
            l ->
                l.startsWith("roster_findings{")
                    && l.contains("kind=\"" + kind + "\"")
                    && l.contains("account=\"" + account + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(-1);
  }

  private static double duplicates(String type) {
    String line = "roster_auditor_review_duplicates_skipped_total{type=\"" + type + "\"";
    return metrics().stream()
        .filter(l -> l.startsWith(line))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
