package dev.roster.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates an HR event against every rule of the contract and maps it to {@link HrEvent}.
 *
 * <p>Works on the parsed JSON tree rather than on Jackson data binding so that it can report every
 * problem at once, each with its JSON pointer, instead of the first exception. Pure and
 * thread-safe: hr-listener runs it on requests, the provisioner on consumed records.
 *
 * <p>{@code null} counts as absent: an optional field may be null, a required one may not.
 */
public final class EventValidator {

  public static final String EVENT_ID_RULE = "[A-Za-z0-9._:-]{1,128}";
  public static final String EMPLOYEE_ID_RULE = "[A-Za-z0-9._-]{1,64}";

  /** IAM user-name rules. */
  public static final String USERNAME_RULE = "[A-Za-z0-9+=,.@_-]{1,64}";

  /**
   * ISO-8601 date-time with seconds and a mandatory offset ({@code Z} or {@code ±hh:mm}): the RFC
   * 3339 profile that CloudEvents {@code ce_time} requires.
   */
  public static final String TIMESTAMP_RULE =
      "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})";

  /** A calendar date, for a date-only {@code effectiveAt} (see {@link EffectiveDates}). */
  public static final String DATE_RULE = "\\d{4}-\\d{2}-\\d{2}";

  public static final int MAX_TEXT = 256;
  public static final int MAX_EMAIL = 254;
  public static final int MAX_ROLE = 128;
  public static final int MAX_REASON = 2000;

  /**
   * Roles per employee: far more than any mapping needs, small enough that every record derived
   * from the event (outcome, dead letter, journal intent) stays far below Kafka's record size.
   */
  public static final int MAX_ROLES = 50;

  /**
   * How far {@code occurredAt} may be ahead of the receiving clock. An event dated later would
   * become every later event's watermark and make leaves look stale.
   */
  public static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);

  static final String TOO_MANY_ROLES = "must hold at most " + MAX_ROLES + " roles";
  static final String FUTURE_OCCURRED_AT =
      "must not be more than "
          + MAX_FUTURE_SKEW.toMinutes()
          + " minutes ahead of the server's clock";

  static final String REQUIRED = "is required";
  static final String UNKNOWN_FIELD = "unknown field";
  static final String NOT_OBJECT = "must be a JSON object";
  static final String NOT_STRING = "must be a string";
  static final String NOT_ARRAY = "must be an array of strings";
  static final String BAD_TYPE = "must be one of hire, role_change, leave, cancel";
  static final String BAD_EFFECTIVE_AT =
      "must be an ISO-8601 date-time with offset, e.g. 2026-11-28T09:00:00Z, or a date, e.g."
          + " 2026-12-04";
  static final String BAD_STATUS = "must be one of active, terminated";
  static final String BAD_TIME_ZONE = "must be an IANA time zone name, e.g. Europe/Berlin";
  static final String ONLY_FOR_CANCEL = "is only allowed for type cancel";
  static final String NOT_FOR_CANCEL =
      "is not allowed for type cancel: a cancel takes effect" + " when received";
  static final String CANCELS_ITSELF = "must name another event than eventId";
  static final String BAD_TIMESTAMP =
      "must be an ISO-8601 date-time with offset, e.g. 2026-11-28T09:00:00Z";
  static final String BAD_EMAIL =
      "must be an email address of at most " + MAX_EMAIL + " characters";
  static final String BAD_ROLE =
      "must be 1-" + MAX_ROLE + " characters, not blank, without control characters";

  private static final Pattern EVENT_ID = Pattern.compile(EVENT_ID_RULE);
  private static final Pattern EMPLOYEE_ID = Pattern.compile(EMPLOYEE_ID_RULE);
  private static final Pattern USERNAME = Pattern.compile(USERNAME_RULE);
  private static final Pattern TIMESTAMP = Pattern.compile(TIMESTAMP_RULE);
  private static final Pattern DATE = Pattern.compile(DATE_RULE);
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  static final Set<String> EVENT_FIELDS =
      Set.of(
          "eventId",
          "type",
          "employeeId",
          "occurredAt",
          "effectiveAt",
          "employee",
          "reason",
          "cancelsEventId");
  static final Set<String> EMPLOYEE_FIELDS =
      Set.of("username", "email", "displayName", "department", "title", "roles", "timeZone");

  /** The fields of an HR snapshot row ({@link SnapshotEmployee}), JSON keys and CSV columns. */
  public static final Set<String> SNAPSHOT_FIELDS =
      Set.of(
          "employeeId",
          "username",
          "status",
          "roles",
          "email",
          "displayName",
          "department",
          "title",
          "timeZone");

  /**
   * Strict JSON reading: duplicate keys and trailing content are errors, because either would make
   * the event mean something other than what its signer saw.
   */
  private static final ObjectReader STRICT_READER =
      EventJson.mapper()
          .reader()
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private EventValidator() {}

  /**
   * Parses a JSON document strictly (no duplicate keys, nothing after the value).
   *
   * @throws JsonProcessingException with the location of the first syntax error
   */
  public static JsonNode readTree(byte[] json) throws JsonProcessingException {
    try {
      JsonNode node = STRICT_READER.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new com.fasterxml.jackson.core.JsonParseException(null, "empty document");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      // byte[] input cannot fail with plain I/O, but the signature says it might.
      throw new IllegalStateException(e);
    }
  }

  /** Parses and validates one event, e.g. a consumed record's value; dates are read in UTC. */
  public static Validation validate(byte[] json) {
    return validate(json, ZoneOffset.UTC);
  }

  /**
   * Parses and validates one event; a date-only {@code effectiveAt} is read in the employee's
   * {@code timeZone}, else in {@code defaultZone}.
   */
  public static Validation validate(byte[] json, ZoneId defaultZone) {
    try {
      return validate(readTree(json), defaultZone);
    } catch (JsonProcessingException e) {
      return Validation.invalid(List.of(malformed(e)));
    }
  }

  /** The error for a document that is not JSON, with the parser's location. */
  public static FieldError malformed(JsonProcessingException e) {
    var location = e.getLocation();
    String where =
        location == null || location.getLineNr() < 0
            ? ""
            : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    return new FieldError("", "malformed JSON" + where + ": " + e.getOriginalMessage());
  }

  /** Validates one event and, when valid, maps it; dates are read in UTC. */
  public static Validation validate(JsonNode node) {
    return validate(node, ZoneOffset.UTC);
  }

  /**
   * Validates one event and, when valid, maps it with {@link HrEvent#withDefaults()} applied. A
   * date-only {@code effectiveAt} becomes the instant {@link EffectiveDates#resolve} gives in the
   * employee's {@code timeZone}, else in {@code defaultZone}.
   */
  public static Validation validate(JsonNode node, ZoneId defaultZone) {
    List<FieldError> errors = new ArrayList<>();
    if (node == null || !node.isObject()) {
      return Validation.invalid(List.of(new FieldError("", NOT_OBJECT)));
    }
    unknownFields(node, "", EVENT_FIELDS, errors);

    String eventId = pattern(node, "/eventId", "eventId", EVENT_ID, EVENT_ID_RULE, true, errors);
    EventType type = type(node, errors);
    String employeeId =
        pattern(node, "/employeeId", "employeeId", EMPLOYEE_ID, EMPLOYEE_ID_RULE, true, errors);
    OffsetDateTime occurredAt = timestamp(node, "occurredAt", true, errors);
    Employee employee = employee(node, type, errors);
    OffsetDateTime effectiveAt = effectiveAt(node, type, employee, defaultZone, errors);
    String reason = text(node, "/reason", "reason", MAX_REASON, errors);
    String cancelsEventId = cancelsEventId(node, type, eventId, errors);

    if (!errors.isEmpty()) {
      return Validation.invalid(errors);
    }
    return Validation.valid(
        new HrEvent(
                eventId,
                type,
                employeeId,
                occurredAt,
                effectiveAt,
                employee,
                reason,
                cancelsEventId)
            .withDefaults());
  }

  /**
   * The clock rule, apart from {@link #validate} because it needs the receiving clock: an error on
   * {@code /occurredAt} when the event is dated more than {@link #MAX_FUTURE_SKEW} after {@code
   * now}.
   */
  public static Optional<FieldError> futureOccurredAt(HrEvent event, Instant now) {
    if (event.occurredAt() != null
        && event.occurredAt().toInstant().isAfter(now.plus(MAX_FUTURE_SKEW))) {
      return Optional.of(new FieldError("/occurredAt", FUTURE_OCCURRED_AT));
    }
    return Optional.empty();
  }

  private static OffsetDateTime effectiveAt(
      JsonNode node,
      EventType type,
      Employee employee,
      ZoneId defaultZone,
      List<FieldError> errors) {
    JsonNode value = present(node, "effectiveAt");
    if (value != null && type == EventType.CANCEL) {
      errors.add(new FieldError("/effectiveAt", NOT_FOR_CANCEL));
      return null;
    }
    if (value != null && value.isTextual() && DATE.matcher(value.textValue()).matches()) {
      LocalDate date;
      try {
        date = LocalDate.parse(value.textValue());
      } catch (DateTimeParseException e) {
        errors.add(new FieldError("/effectiveAt", BAD_EFFECTIVE_AT));
        return null;
      }
      if (type == null) {
        return null; // the type error is reported already; the date's meaning depends on it
      }
      String zone = employee == null ? null : employee.timeZone();
      return EffectiveDates.resolve(date, type, zone != null ? ZoneId.of(zone) : defaultZone);
    }
    return timestamp(node, "effectiveAt", false, BAD_EFFECTIVE_AT, errors);
  }

  private static String cancelsEventId(
      JsonNode node, EventType type, String eventId, List<FieldError> errors) {
    if (type != EventType.CANCEL) {
      if (present(node, "cancelsEventId") != null) {
        errors.add(new FieldError("/cancelsEventId", ONLY_FOR_CANCEL));
      }
      return null;
    }
    if (present(node, "cancelsEventId") == null) {
      errors.add(new FieldError("/cancelsEventId", requiredFor(type)));
      return null;
    }
    String value =
        pattern(node, "/cancelsEventId", "cancelsEventId", EVENT_ID, EVENT_ID_RULE, false, errors);
    if (value != null && value.equals(eventId)) {
      errors.add(new FieldError("/cancelsEventId", CANCELS_ITSELF));
      return null;
    }
    return value;
  }

  private static String timeZone(JsonNode employee, String prefix, List<FieldError> errors) {
    String value = string(employee, prefix + "/timeZone", "timeZone", false, errors);
    if (value != null && !EffectiveDates.isZoneName(value)) {
      errors.add(new FieldError(prefix + "/timeZone", BAD_TIME_ZONE));
      return null;
    }
    return value;
  }

  private static EventType type(JsonNode node, List<FieldError> errors) {
    String value = string(node, "/type", "type", true, errors);
    if (value == null) {
      return null;
    }
    EventType type = EventType.fromWire(value).orElse(null);
    if (type == null) {
      errors.add(new FieldError("/type", BAD_TYPE));
    }
    return type;
  }

  private static Employee employee(JsonNode node, EventType type, List<FieldError> errors) {
    JsonNode e = present(node, "employee");
    boolean needsEmployee = type == EventType.HIRE || type == EventType.ROLE_CHANGE;
    if (e == null) {
      if (needsEmployee) {
        errors.add(new FieldError("/employee", requiredFor(type)));
      }
      return null;
    }
    if (!e.isObject()) {
      errors.add(new FieldError("/employee", NOT_OBJECT));
      return null;
    }
    unknownFields(e, "/employee", EMPLOYEE_FIELDS, errors);
    return employeeFields(
        e,
        "/employee",
        type == EventType.HIRE ? requiredFor(type) : null,
        needsEmployee ? requiredFor(type) : null,
        errors);
  }

  /**
   * The rules of an employee's own fields ({@code username}, {@code email}, {@code displayName},
   * {@code department}, {@code title}, {@code roles}, {@code timeZone}), each error under {@code
   * prefix}. {@code usernameRequired} and {@code rolesRequired} are the reasons given when the
   * field is absent, null when it is optional; which other fields may appear is the caller's.
   */
  private static Employee employeeFields(
      JsonNode e,
      String prefix,
      String usernameRequired,
      String rolesRequired,
      List<FieldError> errors) {
    String username =
        pattern(e, prefix + "/username", "username", USERNAME, USERNAME_RULE, false, errors);
    if (usernameRequired != null && present(e, "username") == null) {
      errors.add(new FieldError(prefix + "/username", usernameRequired));
    }
    String email = email(e, prefix, errors);
    String displayName = text(e, prefix + "/displayName", "displayName", MAX_TEXT, errors);
    String department = text(e, prefix + "/department", "department", MAX_TEXT, errors);
    String title = text(e, prefix + "/title", "title", MAX_TEXT, errors);
    List<String> roles = roles(e, prefix, errors);
    if (rolesRequired != null && present(e, "roles") == null) {
      errors.add(new FieldError(prefix + "/roles", rolesRequired));
    }
    String timeZone = timeZone(e, prefix, errors);
    return new Employee(username, email, displayName, department, title, roles, timeZone);
  }

  /**
   * Validates one row of an HR snapshot ({@link SnapshotEmployee}) with the rules of an event:
   * {@code employeeId} as an event's, the employee fields as an event's {@code employee}; {@code
   * employeeId}, {@code username} and {@code status} are required, {@code roles} too for an active
   * employee (it may be empty). Every error goes to {@code errors} with a pointer relative to the
   * row ({@code /username}); returns the row when it has none, else null.
   */
  public static SnapshotEmployee snapshotEmployee(JsonNode row, List<FieldError> errors) {
    if (row == null || !row.isObject()) {
      errors.add(new FieldError("", NOT_OBJECT));
      return null;
    }
    int before = errors.size();
    unknownFields(row, "", SNAPSHOT_FIELDS, errors);
    String employeeId =
        pattern(row, "/employeeId", "employeeId", EMPLOYEE_ID, EMPLOYEE_ID_RULE, true, errors);
    EmployeeStatus status = null;
    String statusValue = string(row, "/status", "status", true, errors);
    if (statusValue != null) {
      status = EmployeeStatus.fromWire(statusValue).orElse(null);
      if (status == null) {
        errors.add(new FieldError("/status", BAD_STATUS));
      }
    }
    Employee e =
        employeeFields(
            row,
            "",
            REQUIRED,
            status == EmployeeStatus.ACTIVE ? "is required for status active" : null,
            errors);
    if (errors.size() > before) {
      return null;
    }
    return new SnapshotEmployee(
        employeeId,
        e.username(),
        status,
        e.roles(),
        e.email(),
        e.displayName(),
        e.department(),
        e.title(),
        e.timeZone());
  }

  private static List<String> roles(JsonNode employee, String prefix, List<FieldError> errors) {
    JsonNode roles = present(employee, "roles");
    if (roles == null) {
      return null;
    }
    if (!roles.isArray()) {
      errors.add(new FieldError(prefix + "/roles", NOT_ARRAY));
      return null;
    }
    if (roles.size() > MAX_ROLES) {
      errors.add(new FieldError(prefix + "/roles", TOO_MANY_ROLES));
      return null;
    }
    List<String> values = new ArrayList<>(roles.size());
    for (int i = 0; i < roles.size(); i++) {
      JsonNode role = roles.get(i);
      String pointer = prefix + "/roles/" + i;
      if (!role.isTextual()) {
        errors.add(new FieldError(pointer, NOT_STRING));
        continue;
      }
      String value = role.textValue();
      if (value.isBlank() || value.length() > MAX_ROLE || CONTROL.matcher(value).find()) {
        errors.add(new FieldError(pointer, BAD_ROLE));
        continue;
      }
      values.add(value);
    }
    return values;
  }

  private static String email(JsonNode employee, String prefix, List<FieldError> errors) {
    String value = string(employee, prefix + "/email", "email", false, errors);
    if (value != null && (value.length() > MAX_EMAIL || !EMAIL.matcher(value).matches())) {
      errors.add(new FieldError(prefix + "/email", BAD_EMAIL));
      return null;
    }
    return value;
  }

  private static OffsetDateTime timestamp(
      JsonNode node, String field, boolean required, List<FieldError> errors) {
    return timestamp(node, field, required, BAD_TIMESTAMP, errors);
  }

  private static OffsetDateTime timestamp(
      JsonNode node, String field, boolean required, String bad, List<FieldError> errors) {
    String pointer = "/" + field;
    String value = string(node, pointer, field, required, errors);
    if (value == null) {
      return null;
    }
    if (TIMESTAMP.matcher(value).matches()) {
      try {
        return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      } catch (DateTimeParseException e) {
        // Shape is right but the date is not (e.g. month 13): same error.
      }
    }
    errors.add(new FieldError(pointer, bad));
    return null;
  }

  private static String pattern(
      JsonNode node,
      String pointer,
      String field,
      Pattern pattern,
      String rule,
      boolean required,
      List<FieldError> errors) {
    String value = string(node, pointer, field, required, errors);
    if (value != null && !pattern.matcher(value).matches()) {
      errors.add(new FieldError(pointer, "must match " + rule));
      return null;
    }
    return value;
  }

  private static String text(
      JsonNode node, String pointer, String field, int max, List<FieldError> errors) {
    String value = string(node, pointer, field, false, errors);
    if (value != null && value.length() > max) {
      errors.add(new FieldError(pointer, "must be at most " + max + " characters"));
      return null;
    }
    return value;
  }

  private static String string(
      JsonNode node, String pointer, String field, boolean required, List<FieldError> errors) {
    JsonNode value = present(node, field);
    if (value == null) {
      if (required) {
        errors.add(new FieldError(pointer, REQUIRED));
      }
      return null;
    }
    if (!value.isTextual()) {
      errors.add(new FieldError(pointer, NOT_STRING));
      return null;
    }
    return value.textValue();
  }

  /** The field's value, or null when it is absent or JSON null. */
  private static JsonNode present(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  private static void unknownFields(
      JsonNode node, String prefix, Set<String> known, List<FieldError> errors) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        errors.add(new FieldError(prefix + "/" + FieldError.token(name), UNKNOWN_FIELD));
      }
    }
  }

  private static String requiredFor(EventType type) {
    return "is required for type " + type.wireName();
  }
}
