package dev.roster.sandbox.iam.protocol;

/**
 * The opaque pagination markers of {@link Pages}, for responses that page across several lists at
 * once (GetAccountAuthorizationDetails).
 */
public final class Markers {
  private Markers() {}

  public static String encode(String key) {
    return Pages.encode(key);
  }

  /**
   * The key a marker stands for, or null for no marker; a marker not issued is a ValidationError.
   */
  public static String decode(String marker) {
    return Pages.decode(marker);
  }
}
