package dev.roster.provisioner;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic change ids: a name-based UUID (version 5, RFC 9562) of {@code
 * eventId|account|action|target}, so a redelivered event yields the same ids.
 */
public final class ChangeIds {
  /** Roster's namespace for change ids. */
  static final UUID NAMESPACE = UUID.fromString("6f1c1c4e-9a47-5e4b-8a7e-1d2f0c3b4a59");

  private ChangeIds() {}

  public static String of(String eventId, String accountId, String action, String target) {
    return v5(String.join("|", eventId, accountId, action, target)).toString();
  }

  static UUID v5(String name) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      ByteBuffer ns = ByteBuffer.allocate(16);
      ns.putLong(NAMESPACE.getMostSignificantBits()).putLong(NAMESPACE.getLeastSignificantBits());
      sha1.update(ns.array());
      byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
      hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
      hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
      ByteBuffer b = ByteBuffer.wrap(hash, 0, 16);
      return new UUID(b.getLong(), b.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every JVM", e);
    }
  }
}
