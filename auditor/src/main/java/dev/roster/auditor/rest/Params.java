package dev.roster.auditor.rest;

import dev.roster.auditor.chain.EntryKind;
import dev.roster.auditor.query.ReviewQueries;
import dev.roster.events.ChangeStatus;
import dev.roster.events.DifferenceKind;
import dev.roster.events.EventType;
import dev.roster.events.FindingKind;
import dev.roster.events.Reconciliation;
import dev.roster.events.ReconciliationStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Parses query parameters, refusing bad ones with a 400 that names them. Parameters arrive as
 * strings so that a malformed number is our 400, not a framework 404.
 */
public final class Params {
  public static final int MAX_LIMIT = 1000;
  private static final String CURSOR_PREFIX = "seq:";

  private Params() {}

  /** {@code 1..1000}, the default when absent. */
  public static int limit(String value, int defaultLimit) {
    if (blank(value)) {
      return defaultLimit;
    }
    int limit;
    try {
      limit = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw ProblemException.badParameter("limit", "must be an integer, got '" + value + "'");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ProblemException.badParameter(
          "limit", "must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    return limit;
  }

  /** ISO-8601 with an offset ({@code 2026-03-01T09:00:00Z}, {@code ...+01:00}), or null. */
  public static Instant timestamp(String name, String value) {
    if (blank(value)) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw ProblemException.badParameter(
          name, "must be an ISO-8601 timestamp with offset, e.g. 2026-03-01T09:00:00Z");
    }
  }

  /** {@code from} must be before {@code to} when both are given. */
  public static void range(Instant from, Instant to) {
    if (from != null && to != null && !from.isBefore(to)) {
      throw ProblemException.badParameter("to", "must be after from");
    }
  }

  /** {@code kind} of {@code /v1/changes}: {@code iam_change} or {@code privileged_grant}. */
  public static EntryKind changeKind(String value) {
    if (blank(value)) {
      return null;
    }
    return EntryKind.fromWire(value.trim())
        .filter(EntryKind.CHANGES::contains)
        .orElseThrow(
            () ->
                ProblemException.badParameter(
                    "kind",
                    "unknown kind '" + value + "', expected one of iam_change, privileged_grant"));
  }

  public static ChangeStatus status(String value) {
    if (blank(value)) {
      return null;
    }
    return ChangeStatus.fromWire(value.trim())
        .orElseThrow(
            () ->
                ProblemException.badParameter(
                    "status",
                    "unknown status '"
                        + value
                        + "', expected one of "
                        + wire(ChangeStatus.values())));
  }

  public static EventType type(String value) {
    if (blank(value)) {
      return null;
    }
    return EventType.fromWire(value.trim())
        .orElseThrow(
            () ->
                ProblemException.badParameter(
                    "type",
                    "unknown type '" + value + "', expected one of " + wire(EventType.values())));
  }

  /** {@code status} of a reconciliation ({@code running|completed|held|failed}), or null. */
  public static ReconciliationStatus reconciliationStatus(String value) {
    return choice(
        "status",
        value,
        ReconciliationStatus::fromWire,
        Arrays.stream(ReconciliationStatus.values()).map(ReconciliationStatus::wireName).toList());
  }

  /** {@code source} of a reconciliation ({@code snapshot|drift}), or null. */
  public static String source(String value) {
    List<String> sources = List.of(Reconciliation.SOURCE_SNAPSHOT, Reconciliation.SOURCE_DRIFT);
    return choice(
        "source", value, v -> sources.contains(v) ? Optional.of(v) : Optional.empty(), sources);
  }

  /** {@code kind} of a difference ({@code missing-user}, ...), or null. */
  public static DifferenceKind kind(String value) {
    return choice(
        "kind",
        value,
        DifferenceKind::fromWire,
        Arrays.stream(DifferenceKind.values()).map(DifferenceKind::wireName).toList());
  }

  /** {@code kind} of a finding ({@code console-without-mfa}, ...), or null. */
  public static FindingKind findingKind(String value) {
    return choice(
        "kind",
        value,
        FindingKind::fromWire,
        Arrays.stream(FindingKind.values()).map(FindingKind::wireName).toList());
  }

  /** {@code status} of a finding ({@code open|resolved}), or null. */
  public static String findingStatus(String value) {
    List<String> statuses = List.of(ReviewQueries.OPEN, ReviewQueries.RESOLVED);
    return choice(
        "status", value, v -> statuses.contains(v) ? Optional.of(v) : Optional.empty(), statuses);
  }

  /** {@code status} of a review ({@code running|completed|failed}: never held), or null. */
  public static ReconciliationStatus reviewStatus(String value) {
    List<ReconciliationStatus> statuses =
        List.of(
            ReconciliationStatus.RUNNING,
            ReconciliationStatus.COMPLETED,
            ReconciliationStatus.FAILED);
    return choice(
        "status",
        value,
        v -> ReconciliationStatus.fromWire(v).filter(statuses::contains),
        statuses.stream().map(ReconciliationStatus::wireName).toList());
  }

  /** An AWS account id (12 digits), or null. */
  public static String account(String value) {
    if (blank(value)) {
      return null;
    }
    String v = value.trim();
    if (!v.matches("[0-9]{12}")) {
      throw ProblemException.badParameter(
          "account", "must be a 12-digit AWS account id, got '" + value + "'");
    }
    return v;
  }

  private static <E> E choice(
      String name, String value, Function<String, Optional<E>> parse, List<String> allowed) {
    if (blank(value)) {
      return null;
    }
    return parse
        .apply(value.trim())
        .orElseThrow(
            () ->
                ProblemException.badParameter(
                    name,
                    "unknown "
                        + name
                        + " '"
                        + value
                        + "', expected one of "
                        + String.join(", ", allowed)));
  }

  /** A positive seq number, or null. */
  public static Long seq(String name, String value) {
    if (blank(value)) {
      return null;
    }
    try {
      long seq = Long.parseLong(value.trim());
      if (seq < 1) {
        throw ProblemException.badParameter(name, "must be at least 1");
      }
      return seq;
    } catch (NumberFormatException e) {
      throw ProblemException.badParameter(name, "must be a positive integer, got '" + value + "'");
    }
  }

  /** Decodes an opaque cursor (a seq to continue below), or null. */
  public static Long cursor(String value) {
    if (blank(value)) {
      return null;
    }
    try {
      String decoded =
          new String(Base64.getUrlDecoder().decode(value.trim()), StandardCharsets.UTF_8);
      if (decoded.startsWith(CURSOR_PREFIX)) {
        long seq = Long.parseLong(decoded.substring(CURSOR_PREFIX.length()));
        if (seq > 0) {
          return seq;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the 400 below (NumberFormatException is an IllegalArgumentException)
    }
    throw ProblemException.badParameter("cursor", "not a cursor returned by this API");
  }

  public static String encodeCursor(long seq) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((CURSOR_PREFIX + seq).getBytes(StandardCharsets.UTF_8));
  }

  /** A required path or query value. */
  public static String text(String name, String value) {
    return blank(value) ? null : value.trim();
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static String wire(Enum<?>[] values) {
    return Arrays.stream(values)
        .map(v -> v.name().toLowerCase(java.util.Locale.ROOT))
        .collect(Collectors.joining(", "));
  }
}
