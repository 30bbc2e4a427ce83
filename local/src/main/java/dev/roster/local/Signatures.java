package dev.roster.local;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs webhook bodies the way hr-listener verifies them. */
public final class Signatures {
  /** The request header hr-listener reads. */
  public static final String HEADER = "X-Roster-Signature";

  private Signatures() {}

  /** {@code t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>}. */
  public static String header(String secret, long unixSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
      mac.update(body);
      return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  public static String header(String secret, byte[] body) {
    return header(secret, System.currentTimeMillis() / 1000, body);
  }
}
