package dev.roster.events;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Refuses HMAC secrets too short to resist guessing: HMAC-SHA256 is only as strong as its key, and
 * a short shared secret can be brute-forced offline from one captured signed request. Used for the
 * secrets hr-listener verifies with and the one the auditor signs its notifications with.
 */
public final class SecretStrength {
  /** 32 bytes: the HMAC-SHA256 output size, what RFC 2104 recommends as the least key length. */
  public static final int MIN_BYTES = 32;

  private SecretStrength() {}

  /**
   * Throws naming the config key and which secret (by position) is too short; the message never
   * contains any secret, so it can be logged as is.
   */
  public static void check(String key, List<String> secrets) {
    for (int i = 0; i < secrets.size(); i++) {
      int length = secrets.get(i).getBytes(StandardCharsets.UTF_8).length;
      if (length < MIN_BYTES) {
        throw new IllegalStateException(
            key
                + ": secret "
                + (i + 1)
                + " of "
                + secrets.size()
                + " is shorter than "
                + MIN_BYTES
                + " bytes; generate one with `openssl rand -hex 32`");
      }
    }
  }
}
