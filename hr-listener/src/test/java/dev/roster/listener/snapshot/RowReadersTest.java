package dev.roster.listener.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.events.FieldError;
import dev.roster.events.SnapshotPart;
import dev.roster.listener.RejectReason;
import dev.roster.listener.Rejection;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming readers keep a row's memory bounded and refuse what they cannot read. */
class RowReadersTest {

  static List<Row> read(SnapshotFormat format, String body) throws IOException {
    return read(format, body.getBytes(StandardCharsets.UTF_8));
  }

  static List<Row> read(SnapshotFormat format, byte[] body) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (RowReader reader = format.open(new ByteArrayInputStream(body))) {
      for (Row row = reader.next(); row != null; row = reader.next()) {
        rows.add(row);
      }
    }
    return rows;
  }

  static void refused(SnapshotFormat format, String body, RejectReason reason, String pointer) {
    assertThatThrownBy(() -> read(format, body))
        .isInstanceOfSatisfying(
            Rejection.class,
            r -> {
              assertThat(r.reason()).isEqualTo(reason);
              assertThat(r.errors()).extracting(FieldError::pointer).containsExactly(pointer);
            });
  }

  @Test
  void aJsonRowKeepsAtMost51RolesAnd32FieldsAndPlaceholdersForNestedValues() throws Exception {
    StringBuilder json = new StringBuilder("[{\"roles\":[");
    for (int i = 0; i < 60; i++) {
      json.append(i == 0 ? "" : ",").append("\"r").append(i).append('"');
    }
    json.append("],\"username\":{\"deep\":[1,2,3]}");
    for (int i = 0; i < 40; i++) {
      json.append(",\"f").append(i).append("\":1");
    }
    json.append("}]");

    Row row = read(SnapshotFormat.JSON, json.toString()).get(0);

    assertThat(row.fields().get("roles").size()).isEqualTo(51);
    assertThat(row.fields().size()).isEqualTo(32);
    assertThat(row.fields().get("username").isObject()).isTrue();
    assertThat(row.fields().get("username").size()).isZero();
  }

  @Test
  void jsonThatIsTooLongDuplicatedOrTrailingIsMalformed() {
    String longString = "x".repeat(JsonRows.MAX_STRING + 1);
    refused(
        SnapshotFormat.JSON,
        "[{\"displayName\":\"" + longString + "\"}]",
        RejectReason.MALFORMED_JSON,
        "");
    refused(
        SnapshotFormat.JSON,
        "[{\"username\":\"a\",\"username\":\"b\"}]",
        RejectReason.MALFORMED_JSON,
        "");
    refused(SnapshotFormat.JSON, "[] []", RejectReason.MALFORMED_JSON, "");
    refused(SnapshotFormat.JSON, "", RejectReason.MALFORMED_JSON, "");
  }

  @Test
  void csvCellsThatAreTooLongBadlyQuotedOrNotUtf8AreMalformedNamingTheRow() {
    String header = "employeeId,username,status,roles\n";
    refused(
        SnapshotFormat.CSV,
        header + "E1,a,active,r\nE2," + "x".repeat(CsvRows.MAX_CELL + 1) + ",active,r\n",
        RejectReason.MALFORMED_CSV,
        "/rows/2");
    refused(
        SnapshotFormat.CSV, header + "E1,\"a\"b,active,r\n", RejectReason.MALFORMED_CSV, "/rows/1");
    refused(
        SnapshotFormat.CSV, header + "E1,\"a,active,r\n", RejectReason.MALFORMED_CSV, "/rows/1");
    byte[] latin1 = (header + "E1,jos\u00e9,active,r\n").getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> read(SnapshotFormat.CSV, latin1))
        .isInstanceOfSatisfying(
            Rejection.class, r -> assertThat(r.reason()).isEqualTo(RejectReason.MALFORMED_CSV));
  }

  @Test
  void csvLineEndsQuotesAndEmptyCells() throws Exception {
    List<Row> rows =
        read(
            SnapshotFormat.CSV,
            "roles,status,username,employeeId,title\r\n"
                + "\"a; b\",active,u1,E1,\"say \"\"hi\"\"\"\r\n"
                + "\n"
                + ",terminated,u2,E2,\n");

    assertThat(rows).extracting(Row::number).containsExactly(1, 2);
    assertThat(rows.get(0).fields().toString())
        .isEqualTo(
            "{\"roles\":[\"a\",\"b\"],\"status\":\"active\",\"username\":\"u1\",\"employeeId\":\"E1\","
                + "\"title\":\"say \\\"hi\\\"\"}");
    assertThat(rows.get(1).fields().get("roles").size()).isZero();
    assertThat(rows.get(1).fields().has("title")).isFalse();
  }

  @Test
  void moreThan100000RowsAreRefusedWithoutReadingFurther() {
    RowReader.Source endless =
        () ->
            new RowReader() {
              int n;

              @Override
              public Row next() {
                n++;
                var fields = dev.roster.events.EventJson.mapper().createObjectNode();
                fields.put("employeeId", "E" + n).put("username", "u" + n).put("status", "active");
                fields.putArray("roles");
                return new Row(n, fields, List.of());
              }

              @Override
              public void close() {}
            };

    assertThatThrownBy(() -> SnapshotCheck.check(endless))
        .isInstanceOfSatisfying(
            Rejection.class,
            r -> {
              assertThat(r.reason()).isEqualTo(RejectReason.INVALID_SNAPSHOT);
              assertThat(r.getMessage())
                  .isEqualTo("a snapshot lists at most " + SnapshotPart.MAX_TOTAL + " employees");
            });
  }
}
