package dev.roster.auditor.chain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * The hash chain: {@code hash = SHA-256(prevHash || canonical entry)}, where {@code prevHash} is
 * the previous entry's 32-byte hash ({@link #GENESIS}, all zeros, before the first entry) and the
 * canonical entry is the UTF-8 JSON object below.
 *
 * <p>Canonical form (version 1): one JSON object without whitespace, every field present in this
 * fixed order, absent values as {@code null}, integers as JSON numbers, timestamps as UTC strings
 * with exactly six fraction digits ({@code 2026-01-02T03:04:05.000006Z}):
 *
 * <pre>
 * v, seq, kind, recordedAt, eventId, employeeId, eventType, occurredAt, effectiveAt, payload,
 * changeId, account, action, userName, target, status, error, awsRequestId, at,
 * outcome, planned, applied, failed, startedAt, completedAt, reason
 * </pre>
 *
 * Version 2, used only for an outcome with {@code cutOffAt} or {@code accounts}, has {@code "v":2}
 * and appends {@code cutOffAt, accounts} (the stored canonical JSON text of the list, as a string)
 * after {@code reason}; every other entry is version 1.
 *
 * <p>Strings are escaped as JSON requires (Jackson's minimal escaping). {@code seq} is inside the
 * hashed bytes, so an entry cannot be moved to another position.
 */
public final class ChainHash {
  /** {@code prevHash} of entry 1. */
  public static final String GENESIS = "0".repeat(64);

  private static final JsonFactory JSON = new JsonFactory();
  private static final HexFormat HEX = HexFormat.of();
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private ChainHash() {}

  // One digest per thread, reset before each use: every appended and verified entry is hashed.
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(ChainHash::sha256);

  /** Hex SHA-256 of {@code prevHash || canonical(entry)}; the entry's own hashes are ignored. */
  public static String hash(String prevHash, LogEntry entry) {
    MessageDigest sha = SHA256.get();
    sha.reset();
    sha.update(HEX.parseHex(prevHash));
    sha.update(canonical(entry));
    return HEX.formatHex(sha.digest());
  }

  /** The canonical bytes of an entry (see the class comment). */
  public static byte[] canonical(LogEntry e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      // Version 2 only where the outcome carries the contract's additions: every entry stored
      // before them keeps its version-1 bytes (and hash).
      boolean v2 = e.cutOffAt() != null || e.accounts() != null;
      g.writeNumberField("v", v2 ? 2 : 1);
      g.writeNumberField("seq", e.seq());
      g.writeStringField("kind", e.kind().wireName());
      time(g, "recordedAt", e.recordedAt());
      g.writeStringField("eventId", e.eventId());
      g.writeStringField("employeeId", e.employeeId());
      g.writeStringField("eventType", e.eventType());
      time(g, "occurredAt", e.occurredAt());
      time(g, "effectiveAt", e.effectiveAt());
      g.writeStringField("payload", e.payload());
      g.writeStringField("changeId", e.changeId());
      g.writeStringField("account", e.account());
      g.writeStringField("action", e.action());
      g.writeStringField("userName", e.userName());
      g.writeStringField("target", e.target());
      g.writeStringField("status", e.status());
      g.writeStringField("error", e.error());
      g.writeStringField("awsRequestId", e.awsRequestId());
      time(g, "at", e.at());
      g.writeStringField("outcome", e.outcome());
      number(g, "planned", e.plannedCount());
      number(g, "applied", e.appliedCount());
      number(g, "failed", e.failedCount());
      time(g, "startedAt", e.startedAt());
      time(g, "completedAt", e.completedAt());
      g.writeStringField("reason", e.reason());
      if (v2) {
        time(g, "cutOffAt", e.cutOffAt());
        g.writeStringField("accounts", e.accounts());
      }
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  private static void time(JsonGenerator g, String name, Instant value) throws IOException {
    g.writeStringField(name, value == null ? null : timestamp(value));
  }

  /**
   * {@link #TIMESTAMP}'s text, written by hand for years 0 to 9999 (DateTimeFormatter was a third
   * of the hashing time); other years take the formatter (its sign and width rules).
   */
  static String timestamp(Instant t) {
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
    int year = d.getYear();
    if (year < 0 || year > 9999) {
      return TIMESTAMP.format(t);
    }
    char[] c = new char[27];
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, d.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, d.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, d.getHour(), 2);
    c[13] = ':';
    digits(c, 14, d.getMinute(), 2);
    c[16] = ':';
    digits(c, 17, d.getSecond(), 2);
    c[19] = '.';
    digits(c, 20, t.getNano() / 1000, 6); // truncated, as the pattern's SSSSSS
    c[26] = 'Z';
    return new String(c);
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private static void number(JsonGenerator g, String name, Integer value) throws IOException {
    if (value == null) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, value.intValue());
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
