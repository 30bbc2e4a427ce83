package dev.roster.auditor;

import static dev.roster.auditor.Fixtures.api;
import static dev.roster.auditor.Fixtures.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.roster.auditor.messaging.AuditConsumer;
import dev.roster.events.CloudEvents;
import dev.roster.events.DifferenceKind;
import dev.roster.events.Reconciliation;
import dev.roster.events.Reconciliation.Difference;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.SnapshotMode;
import dev.roster.events.Topics;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Reconciliations as the provisioner publishes them on {@code reconciliations}, read back through
 * {@code /v1/reconciliations}: latest status wins, counts per kind and account, filters, paging,
 * CSV, idempotency, dead letters and append-only tables.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class ReconciliationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final OffsetDateTime T0 =
      OffsetDateTime.of(2026, 6, 1, 2, 0, 0, 0, ZoneOffset.UTC);
  static final String DEV = "111111111111";
  static final String PROD = "333333333333";

  @Inject AuditConsumer consumer;

  static Reconciliation status(
      String id,
      ReconciliationStatus status,
      Map<String, Integer> counts,
      Integer deactivations,
      String reason) {
    return new Reconciliation(
        id,
        Reconciliation.SOURCE_SNAPSHOT,
        SnapshotMode.APPLY,
        status,
        T0,
        status == ReconciliationStatus.RUNNING ? null : T0.plusSeconds(42),
        200,
        List.of(DEV, PROD),
        counts,
        null,
        deactivations,
        reason);
  }

  static Difference difference(
      String id, DifferenceKind kind, String account, String employeeId, String detail) {
    return new Difference(
        id, kind, account, employeeId, "u-" + employeeId, detail, Boolean.TRUE, "evt-" + detail);
  }

  /** running, five differences over two accounts, completed; returns them in publication order. */
  static List<Difference> publishCompletedRun(String id) {
    Fixtures.publish(status(id, ReconciliationStatus.RUNNING, null, null, null));
    List<Difference> diffs =
        List.of(
            difference(id, DifferenceKind.MISSING_GROUP, DEV, "E1", "developers"),
            difference(id, DifferenceKind.EXTRA_GROUP, DEV, "E2", "admins"),
            difference(id, DifferenceKind.LEAVER_WITH_ACCESS, DEV, "E3", "no deny-all"),
            difference(id, DifferenceKind.LEAVER_WITH_ACCESS, PROD, "E3", "AKIAEXAMPLE"),
            new Difference(
                id, DifferenceKind.UNOWNED_CONFLICT, PROD, "E4", "u-E4", "same name", null, null));
    diffs.forEach(Fixtures::publish);
    Fixtures.publish(
        status(
            id,
            ReconciliationStatus.COMPLETED,
            Map.of(
                "missing-group",
                1,
                "extra-group",
                1,
                "leaver-with-access",
                2,
                "unowned-conflict",
                1),
            1,
            null));
    return diffs;
  }

  static JsonPath awaitStatus(String id, String status, int differences) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var r = api().get("/v1/reconciliations/{id}", id);
              return r.statusCode() == 200
                  && status.equals(r.jsonPath().getString("status"))
                  && r.jsonPath().getInt("differenceCount") == differences;
            });
    return api().get("/v1/reconciliations/{id}", id).then().statusCode(200).extract().jsonPath();
  }

  @Test
  void aRunningDifferencesCompletedSequenceIsServedWithCountsPerKindAndAccount() {
    String id = Fixtures.id("rec");
    publishCompletedRun(id);

    JsonPath r = awaitStatus(id, "completed", 5);
    assertThat(r.getString("reconciliationId")).isEqualTo(id);
    assertThat(r.getString("source")).isEqualTo("snapshot");
    assertThat(r.getString("mode")).isEqualTo("apply");
    assertThat(r.getInt("employees")).isEqualTo(200);
    assertThat(r.getInt("deactivations")).isEqualTo(1);
    assertThat(r.getList("accounts", String.class)).containsExactly(DEV, PROD);
    assertThat(r.getString("startedAt")).isEqualTo("2026-06-01T02:00:00Z");
    assertThat(r.getString("completedAt")).isEqualTo("2026-06-01T02:00:42Z");
    Map<String, Integer> counts = r.getMap("counts", String.class, Integer.class);
    assertThat(counts)
        .containsEntry("missing-group", 1)
        .containsEntry("extra-group", 1)
        .containsEntry("leaver-with-access", 2)
        .containsEntry("unowned-conflict", 1)
        .containsEntry("orphan", 0)
        .hasSize(DifferenceKind.values().length);
    assertThat(r.getInt("countsByAccount.'111111111111'.'leaver-with-access'")).isEqualTo(1);
    assertThat(r.getInt("countsByAccount.'111111111111'.'missing-group'")).isEqualTo(1);
    assertThat(r.getInt("countsByAccount.'333333333333'.'leaver-with-access'")).isEqualTo(1);
    assertThat(r.getInt("countsByAccount.'333333333333'.'unowned-conflict'")).isEqualTo(1);
    assertThat(r.getInt("countsByAccount.'333333333333'.'missing-group'")).isZero();
    assertThat(r.getInt("reported.counts.'leaver-with-access'")).isEqualTo(2);
    assertThat(r.getList("history.status", String.class)).containsExactly("running", "completed");
    // the embedded page: newest first, with every field
    assertThat(r.getList("differences.items.kind", String.class))
        .containsExactly(
            "unowned-conflict",
            "leaver-with-access",
            "leaver-with-access",
            "extra-group",
            "missing-group");
    assertThat(r.getString("differences.items[0].repaired")).isNull();
    assertThat(r.getBoolean("differences.items[1].repaired")).isTrue();
    assertThat(r.getString("differences.items[1].detail")).isEqualTo("AKIAEXAMPLE");
    assertThat(r.getString("differences.items[1].employeeId")).isEqualTo("E3");
    assertThat(r.getString("differences.items[1].userName")).isEqualTo("u-E3");
    assertThat(r.getString("differences.items[1].eventId")).isEqualTo("evt-AKIAEXAMPLE");
    assertThat(r.getString("differences.nextCursor")).isNull();

    // filters on the differences, alone and together, on both endpoints
    assertThat(kinds(id, "kind", "leaver-with-access"))
        .containsExactly("leaver-with-access", "leaver-with-access");
    assertThat(accounts(id, "account", PROD)).containsExactly(PROD, PROD);
    assertThat(
            api()
                .queryParam("kind", "leaver-with-access")
                .queryParam("account", PROD)
                .get("/v1/reconciliations/{id}", id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("differences.items.detail", String.class))
        .containsExactly("AKIAEXAMPLE");

    // keyset paging: two per page, each difference exactly once, newest first
    List<Long> seqs = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var req = api().queryParam("limit", 2);
      if (cursor != null) {
        req = req.queryParam("cursor", cursor);
      }
      JsonPath page =
          req.get("/v1/reconciliations/{id}/differences", id)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      seqs.addAll(page.getList("items.seq", Long.class));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seqs)
        .hasSize(5)
        .doesNotHaveDuplicates()
        .isSortedAccordingTo((a, b) -> b.compareTo(a));

    // CSV: the filter's rows, every column
    String csv =
        api()
            .queryParam("format", "csv")
            .queryParam("kind", "leaver-with-access")
            .get("/v1/reconciliations/{id}/differences", id)
            .then()
            .statusCode(200)
            .contentType("text/csv")
            .header("Content-Disposition", "attachment; filename=\"differences.csv\"")
            .extract()
            .asString();
    List<String> lines = csv.lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "seq,reconciliationId,kind,account,employeeId,userName,detail,repaired,eventId,recordedAt");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1))
        .contains(id + ",leaver-with-access," + PROD + ",E3,u-E3,AKIAEXAMPLE,true");
    assertThat(
            api()
                .accept("text/csv")
                .get("/v1/reconciliations/{id}/differences", id)
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines())
        .hasSize(6);

    // the listing: found by its latest status, not by an earlier one or another source
    assertThat(listedIds("status", "completed")).contains(id);
    assertThat(listedIds("status", "running")).doesNotContain(id);
    assertThat(listedIds("source", "drift")).doesNotContain(id);
    assertThat(listedIds("source", "snapshot")).contains(id);
    String listCsv =
        api()
            .queryParam("format", "csv")
            .queryParam("status", "completed")
            .get("/v1/reconciliations")
            .then()
            .statusCode(200)
            .contentType("text/csv")
            .extract()
            .asString();
    assertThat(listCsv.lines().filter(l -> l.contains(id)))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .contains(
                        id
                            + ",completed,snapshot,apply,2026-06-01T02:00:00Z,2026-06-01T02:00:42Z,200,"
                            + DEV
                            + ";"
                            + PROD
                            + ",1,5,"));
  }

  @Test
  void reconciliationsAreListedNewestFirstAndPagedEachExactlyOnce() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = Fixtures.id("page");
      Fixtures.publish(status(id, ReconciliationStatus.RUNNING, null, null, null));
      ids.add(0, id);
    }
    await().atMost(WAIT).until(() -> listedIds("status", "running").containsAll(ids));
    // a later status of the oldest does not move it: it keeps the place of its first record
    Fixtures.publish(
        status(ids.get(2), ReconciliationStatus.FAILED, null, null, "account 3 unreadable"));
    awaitStatus(ids.get(2), "failed", 0);
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      var req = api().queryParam("limit", 1);
      if (cursor != null) {
        req = req.queryParam("cursor", cursor);
      }
      JsonPath page = req.get("/v1/reconciliations").then().statusCode(200).extract().jsonPath();
      seen.addAll(page.getList("items.reconciliationId", String.class));
      cursor = page.getString("nextCursor");
    } while (cursor != null && !seen.containsAll(ids));
    assertThat(seen.stream().filter(ids::contains).toList()).containsExactlyElementsOf(ids);
    assertThat(new HashSet<>(seen)).hasSameSizeAs(seen);
    assertThat(
            api()
                .get("/v1/reconciliations/{id}", ids.get(2))
                .then()
                .extract()
                .jsonPath()
                .getString("reason"))
        .isEqualTo("account 3 unreadable");
  }

  @Test
  void aHeldStatusIsReplacedByTheLaterCompletedOne() {
    String id = Fixtures.id("held");
    Fixtures.publish(status(id, ReconciliationStatus.RUNNING, null, null, null));
    Fixtures.publish(
        status(id, ReconciliationStatus.HELD, null, 120, "would deactivate 120 of 200 (60 %)"));

    JsonPath held = awaitStatus(id, "held", 0);
    assertThat(held.getString("reason")).isEqualTo("would deactivate 120 of 200 (60 %)");
    assertThat(held.getInt("deactivations")).isEqualTo(120);
    assertThat(listedIds("status", "held")).contains(id);

    Fixtures.publish(status(id, ReconciliationStatus.COMPLETED, Map.of(), 120, null));
    JsonPath done = awaitStatus(id, "completed", 0);
    assertThat(done.getString("reason")).isNull();
    assertThat(done.getList("history.status", String.class))
        .containsExactly("running", "held", "completed");
    assertThat(done.getList("history.reason", String.class))
        .containsExactly(null, "would deactivate 120 of 200 (60 %)", null);
    assertThat(listedIds("status", "held")).doesNotContain(id);
    assertThat(listedIds("status", "completed")).contains(id);
  }

  @Test
  void redeliveredRecordsStoreNothingTwice() {
    String id = Fixtures.id("redeliver");
    Reconciliation running = status(id, ReconciliationStatus.RUNNING, null, null, null);
    Difference orphan = difference(id, DifferenceKind.ORPHAN, DEV, "E9", "no such employee");
    List<ProducerRecord<String, String>> sent =
        List.of(Fixtures.record(running), Fixtures.record(orphan));
    List<RecordMetadata> landed = Fixtures.publishTogether(sent);
    awaitStatus(id, "running", 1);
    double duplicatesBefore = duplicates("status") + duplicates("difference");

    // the same records again, at the same partition and offset (a redelivery after a crash) ...
    List<ConsumerRecord<String, String>> again = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      ConsumerRecord<String, String> r =
          new ConsumerRecord<>(
              Topics.RECONCILIATIONS,
              landed.get(i).partition(),
              landed.get(i).offset(),
              id,
              sent.get(i).value());
      sent.get(i).headers().forEach(h -> r.headers().add(h));
      again.add(r);
    }
    consumer.reconciliations(
        new ConsumerRecords<>(
            Map.of(new TopicPartition(Topics.RECONCILIATIONS, landed.get(0).partition()), again),
            Map.of()));
    // ... and the difference republished (another offset, same content)
    Fixtures.publish(orphan);
    Fixtures.publish(status(id, ReconciliationStatus.COMPLETED, Map.of("orphan", 1), 0, null));

    JsonPath r = awaitStatus(id, "completed", 1);
    assertThat(r.getList("history.status", String.class)).containsExactly("running", "completed");
    assertThat(r.getInt("counts.orphan")).isEqualTo(1);
    await()
        .atMost(WAIT)
        .until(() -> duplicates("status") + duplicates("difference") - duplicatesBefore >= 3);
  }

  @Test
  void badRecordsLandOnTheDlqWithTheReasonAndTheGoodOnesAreStored() {
    String id = Fixtures.id("bad");
    ProducerRecord<String, String> unknownKind =
        raw(
            id,
            CloudEvents.DIFFERENCE_TYPE,
            "{\"reconciliationId\":\""
                + id
                + "\",\"kind\":\"vanished\",\"account\":\""
                + DEV
                + "\"}");
    ProducerRecord<String, String> unknownType = raw(id, "dev.roster.reconciliation.unknown", "{}");
    ProducerRecord<String, String> badJson = raw(id, CloudEvents.RECONCILIATION_TYPE, "{not json");
    ProducerRecord<String, String> otherKey =
        Fixtures.record(difference(id + "-other", DifferenceKind.ORPHAN, DEV, "E1", "x"));
    ProducerRecord<String, String> wrongKey =
        new ProducerRecord<>(Topics.RECONCILIATIONS, id, otherKey.value());
    otherKey.headers().forEach(h -> wrongKey.headers().add(h));
    ProducerRecord<String, String> nul =
        Fixtures.record(difference(id, DifferenceKind.TAG_MISMATCH, DEV, "E5", "dept\u0000x"));
    Reconciliation running = status(id, ReconciliationStatus.RUNNING, null, null, null);
    Difference good =
        difference(
            id,
            DifferenceKind.DIRECT_POLICY,
            DEV,
            "E6",
            "arn:aws:iam::aws:policy/AdministratorAccess");

    List<RecordMetadata> landed =
        Fixtures.publishTogether(
            List.of(
                Fixtures.record(running),
                unknownKind,
                unknownType,
                badJson,
                wrongKey,
                nul,
                Fixtures.record(good)));

    JsonPath r = awaitStatus(id, "running", 1);
    assertThat(r.getList("differences.items.kind", String.class)).containsExactly("direct-policy");
    await().atMost(WAIT).until(() -> Fixtures.deadLetters(id).size() == 5);
    Map<String, String> reasonByOffset = new java.util.HashMap<>();
    Map<String, String> causeByOffset = new java.util.HashMap<>();
    for (ConsumerRecord<String, String> d : Fixtures.deadLetters(id)) {
      assertThat(header(d, CloudEvents.HEADER_DLQ_TOPIC)).isEqualTo(Topics.RECONCILIATIONS);
      reasonByOffset.put(
          header(d, CloudEvents.HEADER_DLQ_OFFSET), header(d, CloudEvents.HEADER_DLQ_REASON));
      causeByOffset.put(
          header(d, CloudEvents.HEADER_DLQ_OFFSET), header(d, CloudEvents.HEADER_DLQ_CAUSE));
    }
    assertThat(reasonByOffset)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                off(landed, 1), "malformed",
                off(landed, 2), "unknown-type",
                off(landed, 3), "malformed",
                off(landed, 4), "malformed",
                off(landed, 5), "database-refused"));
    assertThat(causeByOffset.get(off(landed, 1))).contains("vanished");
    assertThat(causeByOffset.get(off(landed, 2))).contains("dev.roster.reconciliation.unknown");
    assertThat(causeByOffset.get(off(landed, 4))).contains("is not the reconciliationId");
    assertThat(causeByOffset.get(off(landed, 5))).startsWith("SQLState 22021");
  }

  @Test
  void unknownIdsAre404AndBadFiltersAre400NamingTheParameter() {
    api()
        .get("/v1/reconciliations/{id}", "nope-" + Fixtures.id("x"))
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404));
    api()
        .get("/v1/reconciliations/{id}/differences", "nope-" + Fixtures.id("x"))
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    for (String[] bad :
        new String[][] {
          {"/v1/reconciliations/x/differences", "kind", "vanished"},
          {"/v1/reconciliations/x", "kind", "missing_user"},
          {"/v1/reconciliations/x/differences", "account", "prod"},
          {"/v1/reconciliations", "status", "done"},
          {"/v1/reconciliations", "source", "manual"},
          {"/v1/reconciliations", "limit", "0"},
          {"/v1/reconciliations", "format", "xml"}
        }) {
      api()
          .queryParam(bad[1], bad[2])
          .get(bad[0])
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].pointer", equalTo(bad[1]));
    }
  }

  @Test
  void updateDeleteAndTruncateAreRefusedOnBothTables() throws Exception {
    String id = Fixtures.id("tamper");
    Fixtures.publish(status(id, ReconciliationStatus.RUNNING, null, null, null));
    Fixtures.publish(difference(id, DifferenceKind.ORPHAN, DEV, "E1", "x"));
    awaitStatus(id, "running", 1);
    for (String table : List.of("reconciliation_status", "reconciliation_difference")) {
      assertThatThrownBy(
              () ->
                  superuser(
                      "UPDATE "
                          + table
                          + " SET reconciliation_id = 'x' WHERE reconciliation_id = '"
                          + id
                          + "'"))
          .hasMessageContaining(table + " is append-only: UPDATE rejected");
      assertThatThrownBy(
              () -> superuser("DELETE FROM " + table + " WHERE reconciliation_id = '" + id + "'"))
          .hasMessageContaining(table + " is append-only: DELETE rejected");
      assertThatThrownBy(() -> superuser("TRUNCATE " + table))
          .hasMessageContaining(table + " is append-only: TRUNCATE rejected");
      // the service's own role lacks the privilege altogether
      assertThatThrownBy(
              () -> asService("DELETE FROM " + table + " WHERE reconciliation_id = '" + id + "'"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(
              () ->
                  asService(
                      "UPDATE "
                          + table
                          + " SET reconciliation_id = 'x' WHERE reconciliation_id = '"
                          + id
                          + "'"))
          .hasMessageContaining("permission denied");
    }
    awaitStatus(id, "running", 1);
  }

  private static String off(List<RecordMetadata> landed, int i) {
    return Long.toString(landed.get(i).offset());
  }

  private static ProducerRecord<String, String> raw(String key, String ceType, String value) {
    ProducerRecord<String, String> r = new ProducerRecord<>(Topics.RECONCILIATIONS, key, value);
    r.headers().add(CloudEvents.HEADER_TYPE, ceType.getBytes(StandardCharsets.UTF_8));
    return r;
  }

  static List<String> listedIds(String param, String value) {
    return api()
        .queryParam(param, value)
        .queryParam("limit", 1000)
        .get("/v1/reconciliations")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items.reconciliationId", String.class);
  }

  private static List<String> kinds(String id, String param, String value) {
    return differences(id, param, value).getList("items.kind", String.class);
  }

  private static List<String> accounts(String id, String param, String value) {
    return differences(id, param, value).getList("items.account", String.class);
  }

  private static JsonPath differences(String id, String param, String value) {
    return api()
        .queryParam(param, value)
        .get("/v1/reconciliations/{id}/differences", id)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static double duplicates(String type) {
    String line = "roster_auditor_reconciliation_duplicates_skipped_total{type=\"" + type + "\"}";
    return io.restassured.RestAssured.get("/q/metrics")
        .then()
        .extract()
        .asString()
        .lines()
        .filter(l -> l.startsWith(line))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  static void superuser(String sql) throws SQLException {
    AuditorDatabase.asSuperuser(sql);
  }

  static void asService(String sql) throws SQLException {
    AuditorDatabase.asService(sql);
  }
}
