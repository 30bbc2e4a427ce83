package dev.roster.listener.snapshot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.events.EventValidator;
import dev.roster.events.FieldError;
import dev.roster.listener.RejectReason;
import dev.roster.listener.Rejection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CSV (RFC 4180) in UTF-8 with a header row naming the columns (the JSON field names, any order,
 * optional ones may be left out), read one record at a time. Cells may be quoted ({@code "a,b"},
 * {@code ""} for a quote, line breaks inside quotes); lines end with CRLF or LF; a leading byte
 * order mark and empty lines are ignored. An empty cell is an absent field; {@code roles} is split
 * at {@code ;}, each role trimmed, an empty cell meaning no roles.
 */
final class CsvRows implements RowReader {
  /** Longer than any field allows; a longer cell ends the read (bounds a row's memory). */
  static final int MAX_CELL = 64 * 1024;

  /** Cells kept of a record: more than the 9 columns, so a wrong count is still reported. */
  static final int MAX_CELLS = 64;

  static final List<String> REQUIRED_COLUMNS = List.of("employeeId", "username", "status", "roles");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int END = -1;

  private final Reader in;
  private final List<String> columns;
  private int number;
  private int pushedBack = -2;
  private int cellsInRecord;

  CsvRows(InputStream stream) throws IOException {
    this.in =
        new BufferedReader(
            new InputStreamReader(
                stream,
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)),
            64 * 1024);
    int first = read();
    if (first != '\uFEFF') {
      pushedBack = first;
    }
    List<String> header = record("/header");
    if (header == null) {
      throw new Rejection(
          RejectReason.INVALID_SNAPSHOT,
          "the CSV has no header row",
          List.of(
              new FieldError(
                  "/header",
                  "is required: the column names, e.g. employeeId,username,status,roles")));
    }
    this.columns = header.stream().map(String::trim).toList();
    checkHeader(columns, cellsInRecord);
  }

  private static void checkHeader(List<String> columns, int count) {
    List<FieldError> errors = new ArrayList<>();
    if (count > MAX_CELLS) {
      errors.add(new FieldError("/header", "must have at most " + MAX_CELLS + " columns"));
    }
    Set<String> seen = new HashSet<>();
    for (String column : columns) {
      String pointer = "/header/" + FieldError.token(column);
      if (!EventValidator.SNAPSHOT_FIELDS.contains(column)) {
        errors.add(new FieldError(pointer, "unknown column"));
      } else if (!seen.add(column)) {
        errors.add(new FieldError(pointer, "duplicate column"));
      }
    }
    for (String required : REQUIRED_COLUMNS) {
      if (!seen.contains(required)) {
        errors.add(new FieldError("/header/" + required, "is required"));
      }
    }
    if (!errors.isEmpty()) {
      throw new Rejection(
          RejectReason.INVALID_SNAPSHOT,
          "the CSV header row must name the columns "
              + String.join(", ", EventValidator.SNAPSHOT_FIELDS.stream().sorted().toList()),
          errors);
    }
  }

  @Override
  public Row next() throws IOException {
    List<String> cells = record("/rows/" + (number + 1));
    if (cells == null) {
      return null;
    }
    number++;
    if (cellsInRecord != columns.size()) {
      return new Row(
          number,
          NODES.objectNode(),
          List.of(
              new FieldError(
                  "", "has " + cellsInRecord + " cells, the header has " + columns.size())));
    }
    ObjectNode row = NODES.objectNode();
    for (int i = 0; i < columns.size(); i++) {
      String column = columns.get(i);
      String cell = cells.get(i);
      if (column.equals("roles")) {
        ArrayNode roles = row.putArray("roles");
        if (!cell.isEmpty()) {
          for (String role : cell.split(";", -1)) {
            if (roles.size() <= EventValidator.MAX_ROLES) {
              roles.add(role.trim());
            }
          }
        }
      } else if (!cell.isEmpty()) {
        row.put(column, cell);
      }
    }
    return new Row(number, row, List.of());
  }

  /**
   * The cells of the next record that is not an empty line, or null at the end; {@link
   * #cellsInRecord} counts them all, at most {@link #MAX_CELLS} are kept.
   */
  private List<String> record(String pointer) throws IOException {
    int c;
    do {
      c = read();
    } while (c == '\n' || c == '\r');
    if (c == END) {
      return null;
    }
    List<String> cells = new ArrayList<>();
    cellsInRecord = 0;
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean afterQuote = false;
    while (true) {
      if (quoted) {
        if (c == END) {
          throw malformed(pointer, "a quoted cell is not closed");
        }
        if (c == '"') {
          int next = read();
          if (next == '"') {
            append(cell, '"', pointer);
          } else {
            quoted = false;
            afterQuote = true;
            c = next;
            continue;
          }
        } else {
          append(cell, (char) c, pointer);
        }
      } else if (c == ',' || c == '\n' || c == '\r' || c == END) {
        if (cellsInRecord++ < MAX_CELLS) {
          cells.add(cell.toString());
        }
        cell.setLength(0);
        afterQuote = false;
        if (c != ',') {
          if (c == '\r') {
            int next = read();
            if (next != '\n') {
              pushedBack = next;
            }
          }
          return cells;
        }
      } else if (afterQuote) {
        throw malformed(pointer, "only a comma or a line break may follow a closing quote");
      } else if (c == '"' && cell.isEmpty()) {
        quoted = true;
      } else {
        append(cell, (char) c, pointer);
      }
      c = read();
    }
  }

  private static void append(StringBuilder cell, char c, String pointer) {
    if (cell.length() >= MAX_CELL) {
      throw malformed(pointer, "a cell is longer than " + MAX_CELL + " characters");
    }
    cell.append(c);
  }

  private int read() throws IOException {
    if (pushedBack != -2) {
      int c = pushedBack;
      pushedBack = -2;
      return c;
    }
    try {
      return in.read();
    } catch (CharacterCodingException e) {
      throw malformed("/rows/" + (number + 1), "not UTF-8");
    }
  }

  private static Rejection malformed(String pointer, String reason) {
    return new Rejection(
        RejectReason.MALFORMED_CSV,
        "malformed CSV: " + reason,
        List.of(new FieldError(pointer, reason)));
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
