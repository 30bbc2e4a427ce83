package dev.roster.sandbox.iam.action;

import java.security.SecureRandom;
import java.util.Base64;

/** Identifiers shaped like IAM's: a type prefix and upper-case Base32 characters. */
public final class Ids {
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /** A unique id: 21 characters, e.g. {@code AIDA} + 17 for a user. */
  public static String uniqueId(String prefix) {
    return prefix + base32(21 - prefix.length());
  }

  /** An access key id: 20 characters, {@code AKIA} or {@code ASIA} + 16. */
  public static String accessKeyId(String prefix) {
    return prefix + base32(20 - prefix.length());
  }

  public static String base32(int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(BASE32[RANDOM.nextInt(BASE32.length)]);
    }
    return out.toString();
  }

  /** A secret of {@code bytes} random bytes, Base64 without padding. */
  public static String secret(int bytes) {
    byte[] raw = new byte[bytes];
    RANDOM.nextBytes(raw);
    return Base64.getEncoder().withoutPadding().encodeToString(raw);
  }
}
