package dev.roster.local;

import dev.roster.events.WebhookSignature;

/**
 * Signs what the local tools post to hr-listener and the provisioner, with the one implementation
 * of the scheme ({@link WebhookSignature}) that they verify with.
 */
public final class Signatures {
  /** The request header hr-listener and the provisioner's preview read. */
  public static final String HEADER = WebhookSignature.HEADER;

  private Signatures() {}

  /** {@code t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>}. */
  public static String header(String secret, long unixSeconds, byte[] body) {
    return WebhookSignature.sign(secret, unixSeconds, body);
  }

  public static String header(String secret, byte[] body) {
    return header(secret, System.currentTimeMillis() / 1000, body);
  }
}
