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

  // One buffer per thread for the canonical bytes written by hand (see Plain).
  private static final ThreadLocal<Plain> PLAIN = ThreadLocal.withInitial(Plain::new);

  /** Hex SHA-256 of {@code prevHash || canonical(entry)}; the entry's own hashes are ignored. */
  public static String hash(String prevHash, LogEntry entry) {
    MessageDigest sha = SHA256.get();
    sha.reset();
    sha.update(HEX.parseHex(prevHash));
    Plain plain = PLAIN.get();
    if (plain.write(entry)) {
      sha.update(plain.bytes, 0, plain.length);
    } else {
      sha.update(generated(entry));
    }
    return HEX.formatHex(sha.digest());
  }

  /** The canonical bytes of an entry (see the class comment). */
  public static byte[] canonical(LogEntry e) {
    Plain plain = PLAIN.get();
    return plain.write(e) ? java.util.Arrays.copyOf(plain.bytes, plain.length) : generated(e);
  }

  /** The canonical bytes as Jackson's generator writes them: the definition of the form. */
  static byte[] generated(LogEntry e) {
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
    byte[] b = new byte[TIMESTAMP_LENGTH];
    return timestamp(t, b, 0)
        ? new String(b, java.nio.charset.StandardCharsets.US_ASCII)
        : TIMESTAMP.format(t);
  }

  /** Length of {@link #timestamp}'s text for years 0 to 9999. */
  static final int TIMESTAMP_LENGTH = 27;

  /**
   * Writes {@link #timestamp}'s text as ASCII bytes at {@code at} (room for {@link
   * #TIMESTAMP_LENGTH}), for years 0 to 9999; false, writing nothing, for any other year.
   */
  static boolean timestamp(Instant t, byte[] c, int at) {
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
    int year = d.getYear();
    if (year < 0 || year > 9999) {
      return false;
    }
    digits(c, at, year, 4);
    c[at + 4] = '-';
    digits(c, at + 5, d.getMonthValue(), 2);
    c[at + 7] = '-';
    digits(c, at + 8, d.getDayOfMonth(), 2);
    c[at + 10] = 'T';
    digits(c, at + 11, d.getHour(), 2);
    c[at + 13] = ':';
    digits(c, at + 14, d.getMinute(), 2);
    c[at + 16] = ':';
    digits(c, at + 17, d.getSecond(), 2);
    c[at + 19] = '.';
    digits(c, at + 20, t.getNano() / 1000, 6); // truncated, as the pattern's SSSSSS
    c[at + 26] = 'Z';
    return true;
  }

  private static void digits(byte[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }

  /**
   * The canonical bytes written without a generator, for the common entry whose every string is
   * printable ASCII (0x20 to 0x7E): Jackson writes such a string as it is, escaping only {@code "}
   * and {@code \\} with a backslash. Any other character, and the generator writes the entry.
   */
  private static final class Plain {
    private byte[] bytes = new byte[1024];
    private int length;

    /** Writes the entry's canonical bytes, or answers false (a character not handled here). */
    boolean write(LogEntry e) {
      length = 0;
      boolean v2 = e.cutOffAt() != null || e.accounts() != null;
      raw(v2 ? "{\"v\":2" : "{\"v\":1");
      raw(",\"seq\":");
      raw(Long.toString(e.seq()));
      return string(",\"kind\":", e.kind().wireName())
          && time(",\"recordedAt\":", e.recordedAt())
          && string(",\"eventId\":", e.eventId())
          && string(",\"employeeId\":", e.employeeId())
          && string(",\"eventType\":", e.eventType())
          && time(",\"occurredAt\":", e.occurredAt())
          && time(",\"effectiveAt\":", e.effectiveAt())
          && string(",\"payload\":", e.payload())
          && string(",\"changeId\":", e.changeId())
          && string(",\"account\":", e.account())
          && string(",\"action\":", e.action())
          && string(",\"userName\":", e.userName())
          && string(",\"target\":", e.target())
          && string(",\"status\":", e.status())
          && string(",\"error\":", e.error())
          && string(",\"awsRequestId\":", e.awsRequestId())
          && time(",\"at\":", e.at())
          && string(",\"outcome\":", e.outcome())
          && number(",\"planned\":", e.plannedCount())
          && number(",\"applied\":", e.appliedCount())
          && number(",\"failed\":", e.failedCount())
          && time(",\"startedAt\":", e.startedAt())
          && time(",\"completedAt\":", e.completedAt())
          && string(",\"reason\":", e.reason())
          && (!v2
              || (time(",\"cutOffAt\":", e.cutOffAt()) && string(",\"accounts\":", e.accounts())))
          && raw("}");
    }

    private boolean time(String field, Instant value) {
      if (value == null) {
        return string(field, null);
      }
      raw(field);
      room(TIMESTAMP_LENGTH + 2);
      if (!timestamp(value, bytes, length + 1)) {
        return false; // a year the formatter writes (its sign and width rules)
      }
      bytes[length] = '"';
      bytes[length + 1 + TIMESTAMP_LENGTH] = '"';
      length += TIMESTAMP_LENGTH + 2;
      return true;
    }

    private boolean number(String field, Integer value) {
      raw(field);
      return raw(value == null ? "null" : Integer.toString(value));
    }

    private boolean string(String field, String value) {
      raw(field);
      if (value == null) {
        return raw("null");
      }
      room(value.length() * 2 + 2);
      bytes[length++] = '"';
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x20 || c > 0x7E) {
          return false;
        }
        if (c == '"' || c == '\\') {
          bytes[length++] = '\\';
        }
        bytes[length++] = (byte) c;
      }
      bytes[length++] = '"';
      return true;
    }

    /** ASCII text the form itself is made of (field names, numbers, null). */
    private boolean raw(String ascii) {
      room(ascii.length());
      for (int i = 0; i < ascii.length(); i++) {
        bytes[length++] = (byte) ascii.charAt(i);
      }
      return true;
    }

    private void room(int more) {
      if (length + more > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
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
