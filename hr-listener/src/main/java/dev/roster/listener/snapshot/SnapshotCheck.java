package dev.roster.listener.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.events.EventJson;
import dev.roster.events.EventValidator;
import dev.roster.events.FieldError;
import dev.roster.events.SnapshotEmployee;
import dev.roster.events.SnapshotPart;
import dev.roster.listener.RejectReason;
import dev.roster.listener.Rejection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a whole snapshot before anything is published, holding one row at a time: every row with
 * the event rules ({@link EventValidator#snapshotEmployee}), no {@code employeeId} and no {@code
 * username} twice (user names compared case-insensitively, as IAM does), 1 to {@link
 * SnapshotPart#MAX_TOTAL} rows. Any error refuses the snapshot, listing them all by row. A valid
 * snapshot gets its plan: how many employees go into each part.
 */
public final class SnapshotCheck {
  /**
   * Bytes of employee JSON per part: with the part's own fields, under the 1 MiB that Kafka's
   * producer ({@code max.request.size}) and broker ({@code message.max.bytes}) allow by default.
   */
  static final int MAX_PART_BYTES = 900_000;

  /** How many employees each part holds, in order, and how many in all. */
  public record Plan(int total, int[] partSizes) {
    public int parts() {
      return partSizes.length;
    }
  }

  private SnapshotCheck() {}

  /**
   * Reads the body once (twice when a fingerprint repeats, to tell duplicates from collisions).
   *
   * @throws Rejection listing every error, or for a body that cannot be read as the format says
   */
  public static Plan check(RowReader.Source source) throws IOException {
    RowErrors errors = new RowErrors();
    Fingerprints ids = new Fingerprints();
    Fingerprints usernames = new Fingerprints();
    List<Integer> partSizes = new ArrayList<>();
    int inPart = 0;
    long partBytes = 0;
    int total = 0;
    try (RowReader rows = source.open()) {
      for (Row next = rows.next(); next != null; next = rows.next()) {
        Row row = next;
        total = row.number();
        if (total > SnapshotPart.MAX_TOTAL) {
          throw tooMany();
        }
        List<FieldError> found = new ArrayList<>(row.errors());
        SnapshotEmployee employee =
            found.isEmpty() ? EventValidator.snapshotEmployee(row.fields(), found) : null;
        found.forEach(e -> errors.add(row.number(), e));
        // Duplicates are looked for among every row's values, valid or not: all errors at once.
        String id = text(row, "employeeId");
        String username = usernameKey(row);
        if (id != null) {
          ids.add(id);
        }
        if (username != null) {
          usernames.add(username);
        }
        if (employee == null) {
          continue;
        }
        int size = size(employee) + 1;
        if (inPart == SnapshotPart.MAX_EMPLOYEES || partBytes + size > MAX_PART_BYTES) {
          partSizes.add(inPart);
          inPart = 0;
          partBytes = 0;
        }
        inPart++;
        partBytes += size;
      }
    }
    if (total == 0) {
      throw new Rejection(
          RejectReason.INVALID_SNAPSHOT,
          "a snapshot lists at least one employee",
          List.of(new FieldError("", "must list at least one employee")));
    }
    Set<Long> repeatedIds = ids.repeated();
    Set<Long> repeatedNames = usernames.repeated();
    if (!repeatedIds.isEmpty() || !repeatedNames.isEmpty()) {
      duplicates(source, repeatedIds, repeatedNames, errors);
    }
    if (!errors.isEmpty()) {
      String detail =
          describe(errors.total())
              + " in "
              + errors.rows()
              + " of "
              + total
              + " rows; nothing was published"
              + (errors.total() > RowErrors.MAX_LISTED
                  ? "; the first " + RowErrors.MAX_LISTED + " are listed"
                  : "");
      throw new Rejection(RejectReason.INVALID_SNAPSHOT, detail, errors.listed());
    }
    partSizes.add(inPart);
    return new Plan(total, partSizes.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The employee of a row that passed {@link #check}. */
  public static SnapshotEmployee employee(Row row) {
    List<FieldError> errors = new ArrayList<>();
    SnapshotEmployee employee =
        row.errors().isEmpty() ? EventValidator.snapshotEmployee(row.fields(), errors) : null;
    if (employee == null) {
      throw new IllegalStateException("row " + row.number() + " changed after its check");
    }
    return employee;
  }

  /** The second pass: only values whose fingerprint repeats are kept, to find their first row. */
  private static void duplicates(
      RowReader.Source source, Set<Long> repeatedIds, Set<Long> repeatedNames, RowErrors errors)
      throws IOException {
    Map<String, Integer> firstId = new HashMap<>();
    Map<String, Integer> firstName = new HashMap<>();
    try (RowReader rows = source.open()) {
      for (Row row = rows.next(); row != null; row = rows.next()) {
        duplicate(row, "/employeeId", text(row, "employeeId"), repeatedIds, firstId, errors);
        duplicate(row, "/username", usernameKey(row), repeatedNames, firstName, errors);
      }
    }
  }

  private static void duplicate(
      Row row,
      String pointer,
      String value,
      Set<Long> repeated,
      Map<String, Integer> first,
      RowErrors errors) {
    if (value == null || !repeated.contains(Fingerprints.of(value))) {
      return;
    }
    Integer earlier = first.putIfAbsent(value, row.number());
    if (earlier != null) {
      errors.add(row.number(), new FieldError(pointer, "duplicates row " + earlier));
    }
  }

  /** A readable row's field as sent, when it is a string. */
  private static String text(Row row, String field) {
    if (!row.errors().isEmpty() || row.fields() == null || !row.fields().isObject()) {
      return null;
    }
    JsonNode value = row.fields().get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  /** IAM user names are unique ignoring case: {@code Alice} and {@code alice} are one user. */
  private static String usernameKey(Row row) {
    String username = text(row, "username");
    return username == null ? null : username.toLowerCase(Locale.ROOT);
  }

  private static int size(SnapshotEmployee employee) {
    try {
      return EventJson.mapper().writeValueAsBytes(employee).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Rejection tooMany() {
    return new Rejection(
        RejectReason.INVALID_SNAPSHOT,
        "a snapshot lists at most " + SnapshotPart.MAX_TOTAL + " employees",
        List.of(new FieldError("", "must list at most " + SnapshotPart.MAX_TOTAL + " employees")));
  }

  private static String describe(int errors) {
    return errors == 1 ? "1 error" : errors + " errors";
  }
}
