package dev.roster.events;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Roster-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>}.
 *
 * <p>Verified on the raw request bytes, before any parsing, so that what was signed is exactly what
 * is read. Several {@code v1} values may be sent and several secrets configured: during a rotation
 * the sender signs with both the old and the new secret, or the receiver knows both. Unknown keys
 * (a future {@code v2}) are ignored. Pure and thread-safe.
 *
 * <p>The one implementation of the scheme: hr-listener verifies HR's webhooks with it, and the
 * auditor signs its outbound notifications with {@link #sign}, so a receiver checks them exactly as
 * hr-listener checks HR.
 */
public final class WebhookSignature {
  public static final String HEADER = "X-Roster-Signature";

  private static final String ALGORITHM = "HmacSHA256";
  private static final int HMAC_HEX_LENGTH = 64;
  private static final int MAX_TIMESTAMP_DIGITS = 12;
  private static final HexFormat HEX = HexFormat.of();

  private final List<SecretKeySpec> keys;
  private final List<String> keyIds;
  private final Duration tolerance;
  private final Clock clock;

  public WebhookSignature(List<String> secrets, Duration tolerance, Clock clock) {
    if (secrets == null || secrets.isEmpty() || secrets.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("at least one non-blank webhook secret is required");
    }
    this.keys = secrets.stream().map(WebhookSignature::key).toList();
    this.keyIds = secrets.stream().map(WebhookSignature::keyId).toList();
    this.tolerance = tolerance;
    this.clock = clock;
  }

  /** Checks a header against the raw body. */
  public SignatureVerdict verify(String header, byte[] body) {
    Check check = begin(header);
    if (check.headerVerdict() != SignatureVerdict.VALID) {
      return check.headerVerdict();
    }
    check.update(body, 0, body.length);
    return check.finish().verdict();
  }

  /**
   * Checks the header alone ({@link SignatureVerdict#MISSING}, {@link SignatureVerdict#MALFORMED},
   * {@link SignatureVerdict#STALE}) before any of the body is read, so that a large body can be
   * refused before it is received; the body is then fed to the check as it arrives.
   */
  public Check begin(String header) {
    if (header == null || header.isBlank()) {
      return new Check(SignatureVerdict.MISSING, null);
    }
    Parsed parsed = parse(header);
    if (parsed == null) {
      return new Check(SignatureVerdict.MALFORMED, null);
    }
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - parsed.timestamp) > tolerance.toSeconds()) {
      return new Check(SignatureVerdict.STALE, null);
    }
    return new Check(SignatureVerdict.VALID, parsed);
  }

  /** What a finished check found: the verdict and, when valid, the id of the matching secret. */
  public record Result(SignatureVerdict verdict, String keyId) {}

  /** One request's signature check, fed the body in pieces. Not thread-safe. */
  public final class Check {
    private final SignatureVerdict headerVerdict;
    private final Parsed parsed;
    private final List<Mac> macs = new ArrayList<>();

    private Check(SignatureVerdict headerVerdict, Parsed parsed) {
      this.headerVerdict = headerVerdict;
      this.parsed = parsed;
      if (parsed != null) {
        byte[] prefix = (parsed.timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        for (SecretKeySpec key : keys) {
          Mac mac = mac(key);
          mac.update(prefix);
          macs.add(mac);
        }
      }
    }

    /** {@link SignatureVerdict#VALID} when the header may match once the body is fed. */
    public SignatureVerdict headerVerdict() {
      return headerVerdict;
    }

    public void update(byte[] bytes, int offset, int length) {
      for (Mac mac : macs) {
        mac.update(bytes, offset, length);
      }
    }

    /** The verdict over everything fed; call once. */
    public Result finish() {
      if (headerVerdict != SignatureVerdict.VALID) {
        return new Result(headerVerdict, null);
      }
      String keyId = null;
      for (int k = 0; k < macs.size(); k++) {
        byte[] expected = macs.get(k).doFinal();
        boolean matched = false;
        for (byte[] candidate : parsed.signatures) {
          // Constant time per comparison, and no early exit that would tell which one matched.
          matched |= MessageDigest.isEqual(expected, candidate);
        }
        if (matched && keyId == null) {
          keyId = keyIds.get(k);
        }
      }
      return keyId == null
          ? new Result(SignatureVerdict.MISMATCH, null)
          : new Result(SignatureVerdict.VALID, keyId);
    }
  }

  /**
   * A secret's public name: the first 16 hex digits of its SHA-256 ({@code printf '%s' "$SECRET" |
   * sha256sum | cut -c1-16}). Says which key signed without revealing it.
   */
  public static String keyId(String secret) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HEX.formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /**
   * The header value a sender puts on a body: what an HR system sends, what the auditor's
   * notifications carry.
   */
  public static String sign(String secret, long unixSeconds, byte[] body) {
    return "t=" + unixSeconds + ",v1=" + HEX.formatHex(hmac(key(secret), unixSeconds, body));
  }

  private record Parsed(long timestamp, List<byte[]> signatures) {}

  private static Parsed parse(String header) {
    Long timestamp = null;
    List<byte[]> signatures = new ArrayList<>();
    for (String part : header.split(",", -1)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        return null;
      }
      String name = part.substring(0, eq).trim();
      String value = part.substring(eq + 1).trim();
      switch (name) {
        case "t" -> {
          if (timestamp != null || !isDigits(value, MAX_TIMESTAMP_DIGITS)) {
            return null;
          }
          timestamp = Long.parseLong(value);
        }
        case "v1" -> {
          if (value.length() != HMAC_HEX_LENGTH || !value.chars().allMatch(HexFormat::isHexDigit)) {
            return null;
          }
          signatures.add(HEX.parseHex(value));
        }
        default -> {
          // Another scheme version: not ours to judge.
        }
      }
    }
    return timestamp == null || signatures.isEmpty() ? null : new Parsed(timestamp, signatures);
  }

  private static boolean isDigits(String value, int maxLength) {
    if (value.isEmpty() || value.length() > maxLength) {
      return false;
    }
    return value.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static SecretKeySpec key(String secret) {
    return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  private static byte[] hmac(SecretKeySpec key, long unixSeconds, byte[] body) {
    Mac mac = mac(key);
    mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
    return mac.doFinal(body);
  }

  private static Mac mac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
