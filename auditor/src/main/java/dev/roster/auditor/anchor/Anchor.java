package dev.roster.auditor.anchor;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A signed chain head: the value of an {@code audit.anchors} record. The signature is Ed25519 over
 * the UTF-8 of {@code "roster-audit-anchor/1\n" + seq + "\n" + hash + "\n" + signedAt} ({@code
 * signedAt} as ISO-8601 UTC, {@link Instant#toString()}).
 */
public record Anchor(
    long seq, String hash, Instant signedAt, String keyId, String algorithm, String signature) {
  public static final String ALGORITHM = "Ed25519";

  /** The bytes the signature covers. */
  public static byte[] signedBytes(long seq, String hash, Instant signedAt) {
    return ("roster-audit-anchor/1\n" + seq + "\n" + hash + "\n" + signedAt)
        .getBytes(StandardCharsets.UTF_8);
  }
}
