package dev.roster.listener.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.SnapshotPart;
import dev.roster.events.WebhookSignature;
import dev.roster.listener.HrSnapshotsTopicAccess;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/snapshots} and {@code POST /v1/reconciliations/{id}/approve} against a genuine
 * Kafka broker: what they answer and what they leave on {@code hr.snapshots}.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class SnapshotResourceTest {
  static final String SECRET = EventResourceTest.NEW_SECRET;
  static final String CSV_HEADER = "employeeId,username,status,roles\n";

  /** Rest Assured would add {@code charset=ISO-8859-1} to a text/csv body; curl adds nothing. */
  static io.restassured.specification.RequestSpecification request() {
    return RestAssured.given()
        .config(
            RestAssured.config()
                .encoderConfig(
                    io.restassured.config.EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)));
  }

  static Response post(String path, String contentType, byte[] body, String secret) {
    return request()
        .contentType(contentType)
        .header(
            WebhookSignature.HEADER,
            WebhookSignature.sign(secret, Instant.now().getEpochSecond(), body))
        .body(body)
        .post(path);
  }

  static Response postJson(ArrayNode rows) {
    return post("/v1/snapshots", "application/json", bytes(rows.toString()), SECRET);
  }

  static Response postCsv(String csv) {
    return post("/v1/snapshots", "text/csv", bytes(csv), SECRET);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static ObjectNode row(String employeeId, String username, String status, String... roles) {
    ObjectNode row = EventJson.mapper().createObjectNode();
    row.put("employeeId", employeeId);
    row.put("username", username);
    row.put("status", status);
    ArrayNode list = row.putArray("roles");
    for (String role : roles) {
      list.add(role);
    }
    return row;
  }

  /** n active employees, E-<prefix>-0 ... with user names u-<prefix>-0 ... */
  static String csvOf(String prefix, int n) {
    StringBuilder csv = new StringBuilder(CSV_HEADER);
    for (int i = 0; i < n; i++) {
      csv.append("E-")
          .append(prefix)
          .append('-')
          .append(i)
          .append(",u-")
          .append(prefix)
          .append('-')
          .append(i)
          .append(",active,developer;ops\n");
    }
    return csv.toString();
  }

  static String accepted(Response response) {
    return response
        .then()
        .statusCode(202)
        .contentType("application/json")
        .body("status", equalTo("accepted"))
        .body("snapshotId", matchesPattern("[A-Za-z0-9._:-]{1,128}"))
        .extract()
        .path("snapshotId");
  }

  /** A marker snapshot after a refused request: the topic must have grown by its one part only. */
  static void assertNothingPublishedSince(long before) {
    String marker = accepted(postCsv(csvOf(UUID.randomUUID().toString(), 1)));
    assertThat(HrSnapshotsTopicAccess.partsOf(marker)).hasSize(1);
    assertThat(HrSnapshotsTopicAccess.endOffsets()).isEqualTo(before + 1);
  }

  // --- accepted snapshots ----------------------------------------------------------------------

  @Test
  void aJsonSnapshotIsPublishedAsOnePartWithCloudEventsHeaders() {
    ArrayNode rows = EventJson.mapper().createArrayNode();
    ObjectNode full = row("E1001", "alice.doe", "active", "developer", "oncall");
    full.put("email", "alice.doe@example.com");
    full.put("displayName", "Alice Doe");
    full.put("department", "Engineering");
    full.put("title", "Backend Engineer");
    full.put("timeZone", "Europe/Berlin");
    rows.add(full);
    rows.add(row("E1002", "bob", "active"));
    ObjectNode leaver = row("E1003", "carol", "terminated");
    leaver.remove("roles");
    rows.add(leaver);

    String snapshotId = accepted(postJson(rows));

    List<ConsumerRecord<String, byte[]>> parts = HrSnapshotsTopicAccess.partsOf(snapshotId);
    assertThat(parts).hasSize(1);
    ConsumerRecord<String, byte[]> record = parts.get(0);
    assertThat(record.key()).isEqualTo(snapshotId);
    assertThat(HrSnapshotsTopicAccess.header(record, CloudEvents.HEADER_TYPE))
        .isEqualTo(CloudEvents.SNAPSHOT_PART_TYPE);
    assertThat(HrSnapshotsTopicAccess.header(record, CloudEvents.HEADER_SPEC_VERSION))
        .isEqualTo("1.0");
    assertThat(HrSnapshotsTopicAccess.header(record, CloudEvents.HEADER_ID))
        .isEqualTo(snapshotId + ":part:0");
    assertThat(HrSnapshotsTopicAccess.header(record, CloudEvents.HEADER_SUBJECT))
        .isEqualTo(snapshotId);
    assertThat(HrSnapshotsTopicAccess.header(record, CloudEvents.HEADER_SOURCE)).isEqualTo("hr");
    assertThat(HrSnapshotsTopicAccess.header(record, CloudEvents.HEADER_TIME)).isNotBlank();
    assertThat(HrSnapshotsTopicAccess.header(record, "content-type")).isEqualTo("application/json");

    JsonNode part = HrSnapshotsTopicAccess.json(record);
    assertThat(part.get("snapshotId").asText()).isEqualTo(snapshotId);
    assertThat(part.get("mode").asText()).isEqualTo("report");
    assertThat(part.get("part").asInt()).isZero();
    assertThat(part.get("parts").asInt()).isEqualTo(1);
    assertThat(part.get("total").asInt()).isEqualTo(3);
    // As posted; the terminated employee without roles gets an empty list.
    leaver.putArray("roles");
    assertThat(part.get("employees")).isEqualTo(rows);
  }

  @Test
  void aCsvSnapshotInApplyModeIsPublishedWithTheSameContentAsJson() {
    String csv =
        "\uFEFFemployeeId,username,status,roles,displayName,email\r\n"
            + "E2001,dave,active,developer; oncall,\"Doe, Dave \"\"DD\"\"\",dave@example.com\r\n"
            + "\r\n"
            + "E2002,erin,terminated,,,\r\n"
            + "E2003,frank,active,,\"two\nlines\",\r\n";

    Response response =
        post("/v1/snapshots?mode=apply", "text/csv; charset=utf-8", bytes(csv), SECRET);

    String snapshotId = accepted(response);
    JsonNode part = HrSnapshotsTopicAccess.json(HrSnapshotsTopicAccess.partsOf(snapshotId).get(0));
    assertThat(part.get("mode").asText()).isEqualTo("apply");
    ArrayNode expected = EventJson.mapper().createArrayNode();
    ObjectNode dave = row("E2001", "dave", "active", "developer", "oncall");
    dave.put("email", "dave@example.com");
    dave.put("displayName", "Doe, Dave \"DD\"");
    expected.add(dave);
    expected.add(row("E2002", "erin", "terminated"));
    expected.add(row("E2003", "frank", "active").put("displayName", "two\nlines"));
    assertThat(part.get("employees")).isEqualTo(expected);
  }

  @Test
  void aSnapshotOf2500RowsIsPublishedAsThreePartsInOrder() {
    String prefix = UUID.randomUUID().toString();

    String snapshotId = accepted(postCsv(csvOf(prefix, 2500)));

    List<JsonNode> parts =
        HrSnapshotsTopicAccess.partsOf(snapshotId).stream()
            .map(HrSnapshotsTopicAccess::json)
            .toList();
    assertThat(parts).extracting(p -> p.get("part").asInt()).containsExactly(0, 1, 2);
    assertThat(parts).extracting(p -> p.get("parts").asInt()).containsOnly(3);
    assertThat(parts).extracting(p -> p.get("total").asInt()).containsOnly(2500);
    assertThat(parts).extracting(p -> p.get("employees").size()).containsExactly(1000, 1000, 500);
    assertThat(parts.get(1).get("employees").get(0).get("employeeId").asText())
        .isEqualTo("E-" + prefix + "-1000");
    assertThat(parts.get(2).get("employees").get(499).get("username").asText())
        .isEqualTo("u-" + prefix + "-2499");
  }

  @Test
  void partsStayUnderKafkasRecordLimitWhenRowsAreLong() {
    // 50 roles of 120 characters: about 6 KB a row, so 1,000 rows would make a 6 MB record.
    StringBuilder roles = new StringBuilder();
    for (int r = 0; r < 50; r++) {
      roles
          .append(r == 0 ? "" : ";")
          .append(String.valueOf((char) ('a' + r % 26)).repeat(119))
          .append(r % 10);
    }
    StringBuilder csv = new StringBuilder(CSV_HEADER);
    String prefix = UUID.randomUUID().toString();
    for (int i = 0; i < 400; i++) {
      csv.append("E-")
          .append(prefix)
          .append('-')
          .append(i)
          .append(",u-")
          .append(prefix)
          .append('-')
          .append(i)
          .append(",active,")
          .append(roles)
          .append('\n');
    }

    String snapshotId = accepted(postCsv(csv.toString()));

    List<ConsumerRecord<String, byte[]>> parts = HrSnapshotsTopicAccess.partsOf(snapshotId);
    assertThat(parts.size()).isGreaterThan(1);
    assertThat(parts).allSatisfy(p -> assertThat(p.value().length).isLessThan(1_000_000));
    assertThat(
            parts.stream()
                .mapToInt(p -> HrSnapshotsTopicAccess.json(p).get("employees").size())
                .sum())
        .isEqualTo(400);
  }

  @Test
  void aSnapshotOf100000RowsIsAccepted() {
    String prefix = UUID.randomUUID().toString().substring(0, 8);
    String csv = csvOf(prefix, SnapshotPart.MAX_TOTAL);

    long start = System.nanoTime();
    String snapshotId = accepted(postCsv(csv));
    io.quarkus.logging.Log.infof(
        "snapshot of %d rows (%d bytes) acknowledged in %d ms",
        SnapshotPart.MAX_TOTAL, csv.length(), (System.nanoTime() - start) / 1_000_000);

    List<ConsumerRecord<String, byte[]>> parts = HrSnapshotsTopicAccess.partsOf(snapshotId);
    assertThat(parts).hasSize(100);
    JsonNode last = HrSnapshotsTopicAccess.json(parts.get(99));
    assertThat(last.get("part").asInt()).isEqualTo(99);
    assertThat(last.get("total").asInt()).isEqualTo(SnapshotPart.MAX_TOTAL);
    assertThat(last.at("/employees/999/employeeId").asText()).isEqualTo("E-" + prefix + "-99999");
  }

  // --- refused snapshots -----------------------------------------------------------------------

  @Test
  void oneBadRowIs400NamingTheRowAndFieldAndPublishesNothing() {
    long before = HrSnapshotsTopicAccess.endOffsets();
    String prefix = UUID.randomUUID().toString();
    String csv = csvOf(prefix, 3).replace("u-" + prefix + "-1,", "u " + prefix + ",");

    postCsv(csv)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("https://roster.dev/problems/invalid-snapshot"))
        .body("instance", equalTo("/v1/snapshots"))
        .body("detail", equalTo("1 error in 1 of 3 rows; nothing was published"))
        .body("errors.pointer", equalTo(List.of("/rows/2/username")))
        .body("errors.reason", equalTo(List.of("must match [A-Za-z0-9+=,.@_-]{1,64}")));

    assertNothingPublishedSince(before);
  }

  @Test
  void everyBadRowIsListedWithDuplicatesAndNothingIsPublished() {
    long before = HrSnapshotsTopicAccess.endOffsets();
    ArrayNode rows = EventJson.mapper().createArrayNode();
    rows.add(row("E1", "alice", "active", "developer"));
    rows.add(row("E2", "Alice", "active", "developer"));
    rows.add(row("E1", "bob", "retired"));
    ObjectNode noRoles = row("E3", "carol", "active");
    noRoles.remove("roles");
    noRoles.put("colour", "blue");
    noRoles.put("timeZone", "GMT+2");
    rows.add(noRoles);
    rows.add(EventJson.mapper().getNodeFactory().textNode("not an object"));

    postJson(rows)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", equalTo("7 errors in 4 of 5 rows; nothing was published"))
        .body(
            "errors.pointer",
            equalTo(
                List.of(
                    "/rows/2/username",
                    "/rows/3/status",
                    "/rows/3/employeeId",
                    "/rows/4/colour",
                    "/rows/4/roles",
                    "/rows/4/timeZone",
                    "/rows/5")))
        .body("errors.reason", hasItem("duplicates row 1"))
        .body("errors.reason", hasItem("is required for status active"));

    postCsv(CSV_HEADER + "E1,alice,active\nE2,bob,active,a,b\n")
        .then()
        .statusCode(400)
        .body("errors.pointer", equalTo(List.of("/rows/1", "/rows/2")))
        .body(
            "errors.reason",
            equalTo(List.of("has 3 cells, the header has 4", "has 5 cells, the header has 4")));

    assertNothingPublishedSince(before);
  }

  @Test
  void moreThanAThousandErrorsAreCountedAndTheFirstThousandListed() {
    postCsv(csvOf("x", 1500).replace(",active,", ",hired,"))
        .then()
        .statusCode(400)
        .body(
            "detail",
            equalTo(
                "1500 errors in 1500 of 1500 rows; nothing was published; the first 1000 are listed"))
        .body("errors", hasSize(1000))
        .body("errors[999].pointer", equalTo("/rows/1000/status"));
  }

  @Test
  void aCsvHeaderWithoutRequiredOrWithUnknownColumnsIs400NamingThem() {
    postCsv("employeeId,username,colour\nE1,alice,blue\n")
        .then()
        .statusCode(400)
        .body("type", equalTo("https://roster.dev/problems/invalid-snapshot"))
        .body(
            "errors.pointer",
            equalTo(List.of("/header/colour", "/header/status", "/header/roles")));
  }

  @Test
  void malformedBodiesAndEmptySnapshotsAre400() {
    post("/v1/snapshots", "application/json", bytes("[{\"employeeId\":"), SECRET)
        .then()
        .statusCode(400)
        .body("type", equalTo("https://roster.dev/problems/malformed-json"));
    post("/v1/snapshots", "application/json", bytes("{\"employeeId\":\"E1\"}"), SECRET)
        .then()
        .statusCode(400)
        .body("type", equalTo("https://roster.dev/problems/invalid-snapshot"))
        .body("errors[0].reason", equalTo("must be a JSON array of employee objects"));
    postCsv(CSV_HEADER + "E1,\"alice,active,\n")
        .then()
        .statusCode(400)
        .body("type", equalTo("https://roster.dev/problems/malformed-csv"))
        .body("errors[0].pointer", equalTo("/rows/1"));
    post("/v1/snapshots", "application/json", bytes("[]"), SECRET)
        .then()
        .statusCode(400)
        .body("errors[0].reason", equalTo("must list at least one employee"));
    postCsv(CSV_HEADER).then().statusCode(400);
  }

  @Test
  void unsignedWronglySignedAndStaleSnapshotsAre401AndPublishNothing() {
    long before = HrSnapshotsTopicAccess.endOffsets();
    byte[] body = bytes(csvOf(UUID.randomUUID().toString(), 2));

    request()
        .contentType("text/csv")
        .body(body)
        .post("/v1/snapshots")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", notNullValue())
        .body("type", equalTo("https://roster.dev/problems/invalid-signature"))
        .body("detail", containsString("missing"));
    post("/v1/snapshots", "text/csv", body, "not-the-secret-0123456789abcdef!!")
        .then()
        .statusCode(401)
        .body("detail", containsString("no v1 signature matches"));
    request()
        .contentType("text/csv")
        .header(
            WebhookSignature.HEADER,
            WebhookSignature.sign(SECRET, Instant.now().getEpochSecond() - 301, body))
        .body(body)
        .post("/v1/snapshots")
        .then()
        .statusCode(401)
        .body("detail", containsString("too far"));
    // Signed over other bytes than were sent.
    request()
        .contentType("text/csv")
        .header(
            WebhookSignature.HEADER,
            WebhookSignature.sign(SECRET, Instant.now().getEpochSecond(), bytes("other")))
        .body(body)
        .post("/v1/snapshots")
        .then()
        .statusCode(401);

    assertNothingPublishedSince(before);
  }

  @Test
  void anotherContentTypeIs415AndABadModeIs400NamingIt() {
    byte[] body = bytes(csvOf("m", 1));
    post("/v1/snapshots", "text/plain", body, SECRET)
        .then()
        .statusCode(415)
        .contentType("application/problem+json")
        .body("type", equalTo("https://roster.dev/problems/unsupported-media-type"));
    post("/v1/snapshots", "text/csv; charset=iso-8859-1", body, SECRET).then().statusCode(415);

    post("/v1/snapshots?mode=fix", "text/csv", body, SECRET)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("https://roster.dev/problems/invalid-parameter"))
        .body("errors.pointer", equalTo(List.of("mode")))
        .body("errors.reason", equalTo(List.of("must be report or apply")));
    post("/v1/snapshots?mode=report&mode=apply", "text/csv", body, SECRET)
        .then()
        .statusCode(400)
        .body("errors.pointer", equalTo(List.of("mode")));
  }

  static long maxBodyBytes() {
    return org.eclipse.microprofile.config.ConfigProvider.getConfig()
        .getValue("roster.snapshot.max-body-bytes", Long.class);
  }

  static String statusLine(Socket socket) throws java.io.IOException {
    return new java.io.BufferedReader(
            new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
        .readLine();
  }

  @Test
  void aBodyDeclaredLargerThanTheSnapshotLimitIs413BeforeItIsRead() throws Exception {
    try (Socket socket = new Socket("localhost", RestAssured.port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/snapshots HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n"
                  + "Content-Length: "
                  + (maxBodyBytes() + 1)
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(statusLine(socket)).startsWith("HTTP/1.1 413");
    }
    // An event body is still limited to 1 MiB: the snapshot limit is the snapshot route's alone.
    request()
        .contentType("application/json")
        .body(new byte[1024 * 1024 + 1])
        .post("/v1/events")
        .then()
        .statusCode(413);
  }

  @Test
  void snapshotsBeyondTheInFlightLimitGet503AndTheSlotsComeBackWithTheConnections()
      throws Exception {
    // Two uploads (roster.snapshot.max-in-flight=2) that declare a body and send almost none.
    byte[] declared = bytes(csvOf("slow", 10));
    List<Socket> slow = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        Socket socket = new Socket("localhost", RestAssured.port);
        slow.add(socket);
        socket
            .getOutputStream()
            .write(
                ("POST /v1/snapshots HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n"
                        + WebhookSignature.HEADER
                        + ": "
                        + WebhookSignature.sign(SECRET, Instant.now().getEpochSecond(), declared)
                        + "\r\nContent-Length: "
                        + declared.length
                        + "\r\n\r\nemployeeId")
                    .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
      }
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  postCsv(csvOf(UUID.randomUUID().toString(), 1))
                      .then()
                      .statusCode(503)
                      .header("Retry-After", notNullValue())
                      .body("type", equalTo("https://roster.dev/problems/overloaded")));
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> postCsv(csvOf(UUID.randomUUID().toString(), 1)).then().statusCode(202));
    // Every spool file is deleted, the broken-off uploads' too.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              try (var files =
                  java.nio.file.Files.list(java.nio.file.Path.of("target/snapshot-spool"))) {
                assertThat(files).isEmpty();
              }
            });
  }

  @Test
  void aChunkedBodyIsCountedAsItArrivesAnd413OnceOverTheLimit() throws Exception {
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) 'x');
    long total = maxBodyBytes() + chunk.length;
    try (Socket socket = new Socket("localhost", RestAssured.port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream());
      out.write(
          ("POST /v1/snapshots HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n"
                  + WebhookSignature.HEADER
                  + ": "
                  + WebhookSignature.sign(SECRET, Instant.now().getEpochSecond(), chunk)
                  + "\r\nTransfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      for (long sent = 0; sent < total; sent += chunk.length) {
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      // The whole request is sent, so the server closes after its answer without a reset.
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(statusLine(socket)).startsWith("HTTP/1.1 413");
    }
  }

  // --- approvals -------------------------------------------------------------------------------

  @Test
  void aSignedApprovalIsPublishedKeyedByTheSnapshotIdNamingTheKey() throws Exception {
    String snapshotId = UUID.randomUUID().toString();
    byte[] body = bytes("{\"snapshotId\":\"" + snapshotId + "\"}");

    post("/v1/reconciliations/" + snapshotId + "/approve", "application/json", body, SECRET)
        .then()
        .statusCode(202)
        .body("snapshotId", equalTo(snapshotId))
        .body("status", equalTo("approval-accepted"));

    List<ConsumerRecord<String, byte[]>> records =
        HrSnapshotsTopicAccess.recordsOf(snapshotId, r -> !r.isEmpty());
    assertThat(records).hasSize(1);
    ConsumerRecord<String, byte[]> record = records.get(0);
    assertThat(record.key()).isEqualTo(snapshotId);
    assertThat(HrSnapshotsTopicAccess.header(record, CloudEvents.HEADER_TYPE))
        .isEqualTo(CloudEvents.SNAPSHOT_APPROVAL_TYPE);
    assertThat(HrSnapshotsTopicAccess.header(record, CloudEvents.HEADER_SUBJECT))
        .isEqualTo(snapshotId);
    // ce_id a new UUID, not the snapshot id: a second approval is a second event.
    String ceId = HrSnapshotsTopicAccess.header(record, CloudEvents.HEADER_ID);
    assertThat(UUID.fromString(ceId).toString()).isEqualTo(ceId).isNotEqualTo(snapshotId);
    assertThat(HrSnapshotsTopicAccess.header(record, CloudEvents.HEADER_SOURCE)).isEqualTo("hr");
    assertThat(HrSnapshotsTopicAccess.header(record, CloudEvents.HEADER_SPEC_VERSION))
        .isEqualTo("1.0");
    assertThat(HrSnapshotsTopicAccess.header(record, "content-type")).isEqualTo("application/json");
    JsonNode approval = HrSnapshotsTopicAccess.json(record);
    assertThat(approval.get("snapshotId").asText()).isEqualTo(snapshotId);
    assertThat(java.time.OffsetDateTime.parse(approval.get("approvedAt").asText()))
        .isEqualTo(
            java.time.OffsetDateTime.parse(
                HrSnapshotsTopicAccess.header(record, CloudEvents.HEADER_TIME)));
    // The first 16 hex digits of the secret's SHA-256: names the key, never the secret.
    String expected =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(SECRET.getBytes(StandardCharsets.UTF_8)),
                0,
                8);
    assertThat(approval.get("approvedBy").asText()).isEqualTo("webhook-key:" + expected);
    assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContain(SECRET);
  }

  @Test
  void anApprovalWithABadIdABodyNamingAnotherOrNoSignatureIsRefused() {
    long before = HrSnapshotsTopicAccess.endOffsets();
    post("/v1/reconciliations/bad%20id/approve", "application/json", bytes("{}"), SECRET)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("https://roster.dev/problems/invalid-parameter"))
        .body("errors.pointer", equalTo(List.of("id")));
    // The id is checked before the signature: unsigned, a bad id is still 400, not 401.
    request()
        .contentType("application/json")
        .body("{}")
        .post("/v1/reconciliations/bad%20id/approve")
        .then()
        .statusCode(400)
        .body("errors.pointer", equalTo(List.of("id")));
    post(
            "/v1/reconciliations/snap-1/approve",
            "application/json",
            bytes("{\"snapshotId\":\"snap-1\",\"by\":\"me\"}"),
            SECRET)
        .then()
        .statusCode(400)
        .body("type", equalTo("https://roster.dev/problems/invalid-approval"))
        .body("errors.pointer", equalTo(List.of("/by")));
    post(
            "/v1/reconciliations/snap-1/approve",
            "application/json",
            bytes("{\"snapshotId\":"),
            SECRET)
        .then()
        .statusCode(400)
        .body("type", equalTo("https://roster.dev/problems/malformed-json"));
    post("/v1/reconciliations/snap-1/approve", "text/plain", bytes("{}"), SECRET)
        .then()
        .statusCode(415)
        .body("type", equalTo("https://roster.dev/problems/unsupported-media-type"));
    post(
            "/v1/reconciliations/snap-1/approve",
            "application/json",
            bytes("{\"snapshotId\":\"snap-2\"}"),
            SECRET)
        .then()
        .statusCode(400)
        .body("type", equalTo("https://roster.dev/problems/invalid-approval"))
        .body("errors.pointer", equalTo(List.of("/snapshotId")));
    request()
        .contentType("application/json")
        .body("{\"snapshotId\":\"snap-1\"}")
        .post("/v1/reconciliations/snap-1/approve")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", notNullValue());

    assertNothingPublishedSince(before);
  }

  // --- service endpoints -----------------------------------------------------------------------

  @Test
  void metricsCountSnapshotsAndApprovalsApartFromEvents() {
    accepted(postCsv(csvOf(UUID.randomUUID().toString(), 1)));
    request().contentType("text/csv").body("x").post("/v1/snapshots").then().statusCode(401);

    request()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("roster_snapshots_accepted_total{mode=\"report\"}"))
        .body(containsString("roster_snapshots_accepted_total{mode=\"apply\"}"))
        .body(containsString("roster_snapshots_rejected_total{reason=\"signature_missing\"}"))
        .body(containsString("roster_snapshot_rows_total"))
        .body(containsString("roster_snapshot_approvals_total"));
  }

  @Test
  void openApiDescribesTheSnapshotAndApprovalEndpoints() {
    request()
        .get("/q/openapi?format=json")
        .then()
        .statusCode(200)
        .body("paths", hasKey("/v1/snapshots"))
        .body("paths", hasKey("/v1/reconciliations/{id}/approve"))
        .body("paths", hasKey("/v1/events"));
  }
}
