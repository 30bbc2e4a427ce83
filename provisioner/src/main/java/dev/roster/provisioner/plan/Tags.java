package dev.roster.provisioner.plan;

import java.util.regex.Pattern;

/** Tag keys and values Roster writes on the IAM users it manages. */
public final class Tags {
  public static final String EMPLOYEE_ID = "roster:employee-id";
  public static final String MANAGED_BY = "roster:managed-by";
  public static final String MANAGED_BY_ROSTER = "roster";
  public static final String DEPARTMENT = "roster:department";
  public static final String TITLE = "roster:title";
  public static final String STATUS = "roster:status";
  public static final String STATUS_ACTIVE = "active";
  public static final String STATUS_DEACTIVATED = "deactivated";
  public static final String DEACTIVATED_AT = "roster:deactivated-at";

  /**
   * The watermark: {@code occurredAt} of the last HR event applied to this user (UTC, ISO-8601).
   */
  public static final String LAST_EVENT_AT = "roster:last-event-at";

  /** The event id of that last event, so that an event skipped as older can name it. */
  public static final String LAST_EVENT_ID = "roster:last-event-id";

  /** Path of every user Roster creates; the start-up index lists users under it. */
  public static final String USER_PATH = "/roster/";

  /** Inline policy that denies everything to a deactivated user, sessions included. */
  public static final String DENY_ALL_POLICY = "roster-deny-all";

  public static final String DENY_ALL_DOCUMENT =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"RosterDeactivated\","
          + "\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

  /**
   * Whether {@code document} (as IAM returns it: URL-encoded JSON, or plain) is Roster's deny-all,
   * compared as JSON (white space and key order do not matter); null or unreadable is not.
   */
  public static boolean isDenyAllDocument(String document) {
    if (document == null) {
      return false;
    }
    try {
      String json =
          document.trim().startsWith("{")
              ? document
              : java.net.URLDecoder.decode(document, java.nio.charset.StandardCharsets.UTF_8);
      com.fasterxml.jackson.databind.ObjectMapper mapper = dev.roster.events.EventJson.mapper();
      return mapper.readTree(json).equals(mapper.readTree(DENY_ALL_DOCUMENT));
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      return false;
    }
  }

  // IAM tag values allow letters, digits, spaces and _ . : / = + - @ only, up to 256 characters.
  private static final Pattern NOT_ALLOWED = Pattern.compile("[^\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]");

  private Tags() {}

  /** An HR free-text value made acceptable as an IAM tag value (e.g. "R&D" becomes "R_D"). */
  public static String value(String raw) {
    String cleaned = NOT_ALLOWED.matcher(raw.strip()).replaceAll("_");
    return cleaned.length() <= 256 ? cleaned : cleaned.substring(0, 256);
  }
}
