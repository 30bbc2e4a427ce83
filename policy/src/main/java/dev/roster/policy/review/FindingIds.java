package dev.roster.policy.review;

import dev.roster.events.FindingKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable finding ids: the first 16 bytes (32 lower-case hex digits) of SHA-256 over {@code <kind
 * wire name>|<account id or empty>|<subject>}, so the same fact found by two reviews has the same
 * id and the auditor can keep its first-seen and resolved times.
 */
public final class FindingIds {
  private FindingIds() {}

  /**
   * @param account the 12-digit account id, or null for an organization-wide finding
   */
  public static String of(FindingKind kind, String account, String subject) {
    return HexFormat.of().formatHex(sha256(key(kind, account, subject)), 0, 16);
  }

  static String key(FindingKind kind, String account, String subject) {
    return kind.wireName() + "|" + (account == null ? "" : account) + "|" + subject;
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
