package dev.roster.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSignatureTest {
  private static final long NOW = 1_795_856_400L; // 2026-11-28T09:00:00Z
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  private static final byte[] BODY =
      "{\"eventId\":\"evt-1\",\"type\":\"leave\"}".getBytes(StandardCharsets.UTF_8);

  private final WebhookSignature verifier = verifier("s3cret");

  private static WebhookSignature verifier(String... secrets) {
    return new WebhookSignature(List.of(secrets), Duration.ofSeconds(300), CLOCK);
  }

  private static String v1(String secret, long t, byte[] body) {
    String header = WebhookSignature.sign(secret, t, body);
    return header.substring(header.indexOf("v1=") + 3);
  }

  @Test
  void acceptsAGoodSignature() {
    assertThat(verifier.verify(WebhookSignature.sign("s3cret", NOW, BODY), BODY))
        .isEqualTo(SignatureVerdict.VALID);
  }

  @Test
  void signsTheTimestampDotRawBody() throws Exception {
    // Independent computation of HMAC-SHA256(secret, "<t>.<body>"), as openssl would do it.
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            "s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected =
        mac.doFinal((NOW + "." + new String(BODY, StandardCharsets.UTF_8)).getBytes());

    assertThat(WebhookSignature.sign("s3cret", NOW, BODY))
        .isEqualTo("t=" + NOW + ",v1=" + java.util.HexFormat.of().formatHex(expected));
  }

  @Test
  void refusesTheWrongSecret() {
    assertThat(verifier.verify(WebhookSignature.sign("other", NOW, BODY), BODY))
        .isEqualTo(SignatureVerdict.MISMATCH);
  }

  @Test
  void refusesABodyChangedAfterSigning() {
    byte[] tampered = BODY.clone();
    tampered[tampered.length - 3] = 'X';

    assertThat(verifier.verify(WebhookSignature.sign("s3cret", NOW, BODY), tampered))
        .isEqualTo(SignatureVerdict.MISMATCH);
  }

  @Test
  void refusesASignatureMovedToAnotherTimestamp() {
    String header = "t=" + (NOW + 1) + ",v1=" + v1("s3cret", NOW, BODY);

    assertThat(verifier.verify(header, BODY)).isEqualTo(SignatureVerdict.MISMATCH);
  }

  @Test
  void acceptsTimestampsUpToTheToleranceInBothDirections() {
    assertThat(verifier.verify(WebhookSignature.sign("s3cret", NOW - 300, BODY), BODY))
        .isEqualTo(SignatureVerdict.VALID);
    assertThat(verifier.verify(WebhookSignature.sign("s3cret", NOW + 300, BODY), BODY))
        .isEqualTo(SignatureVerdict.VALID);
  }

  @Test
  void refusesAStaleTimestamp() {
    assertThat(verifier.verify(WebhookSignature.sign("s3cret", NOW - 301, BODY), BODY))
        .isEqualTo(SignatureVerdict.STALE);
  }

  @Test
  void refusesATimestampInTheFuture() {
    assertThat(verifier.verify(WebhookSignature.sign("s3cret", NOW + 301, BODY), BODY))
        .isEqualTo(SignatureVerdict.STALE);
  }

  @Test
  void acceptsWhenAnyOfSeveralV1ValuesMatches() {
    String header = "t=" + NOW + ",v1=" + v1("old", NOW, BODY) + ",v1=" + v1("s3cret", NOW, BODY);

    assertThat(verifier.verify(header, BODY)).isEqualTo(SignatureVerdict.VALID);
  }

  @Test
  void refusesWhenNoneOfSeveralV1ValuesMatches() {
    String header = "t=" + NOW + ",v1=" + v1("old", NOW, BODY) + ",v1=" + v1("new", NOW, BODY);

    assertThat(verifier.verify(header, BODY)).isEqualTo(SignatureVerdict.MISMATCH);
  }

  @Test
  void rotationAcceptsEitherConfiguredSecret() {
    WebhookSignature rotating = verifier("old-secret", "new-secret");

    assertThat(rotating.verify(WebhookSignature.sign("old-secret", NOW, BODY), BODY))
        .isEqualTo(SignatureVerdict.VALID);
    assertThat(rotating.verify(WebhookSignature.sign("new-secret", NOW, BODY), BODY))
        .isEqualTo(SignatureVerdict.VALID);
  }

  @Test
  void rotationCompleteRefusesTheRetiredSecret() {
    WebhookSignature rotated = verifier("new-secret");

    assertThat(rotated.verify(WebhookSignature.sign("old-secret", NOW, BODY), BODY))
        .isEqualTo(SignatureVerdict.MISMATCH);
  }

  @Test
  void toleratesSpacesUpperCaseHexAndUnknownSchemes() {
    String header =
        " t=" + NOW + ", v0=whatever , v1=" + v1("s3cret", NOW, BODY).toUpperCase(Locale.ROOT);

    assertThat(verifier.verify(header, BODY)).isEqualTo(SignatureVerdict.VALID);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void reportsAMissingHeader(String header) {
    assertThat(verifier.verify(header, BODY)).isEqualTo(SignatureVerdict.MISSING);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "garbage",
        "t=1795856400",
        "v1=0000000000000000000000000000000000000000000000000000000000000000",
        "t=abc,v1=0000000000000000000000000000000000000000000000000000000000000000",
        "t=-5,v1=0000000000000000000000000000000000000000000000000000000000000000",
        "t=1,t=2,v1=0000000000000000000000000000000000000000000000000000000000000000",
        "t=1795856400,v1=00ff",
        "t=1795856400,v1=zz00000000000000000000000000000000000000000000000000000000000000",
        "t=1795856400,,v1=0000000000000000000000000000000000000000000000000000000000000000",
        "t=99999999999999999999,v1=0000000000000000000000000000000000000000000000000000000000000000",
      })
  void reportsAMalformedHeader(String header) {
    assertThat(verifier.verify(header, BODY)).isEqualTo(SignatureVerdict.MALFORMED);
  }

  @Test
  void refusesToRunWithoutASecret() {
    assertThatThrownBy(() -> new WebhookSignature(List.of(), Duration.ofSeconds(300), CLOCK))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WebhookSignature(List.of(" "), Duration.ofSeconds(300), CLOCK))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBodyFedInPiecesVerifiesAsTheWholeAndNamesTheSecretThatMatched() {
    WebhookSignature rotating = verifier("old-secret", "new-secret");
    WebhookSignature.Check check = rotating.begin(WebhookSignature.sign("new-secret", NOW, BODY));
    assertThat(check.headerVerdict()).isEqualTo(SignatureVerdict.VALID);
    check.update(BODY, 0, 10);
    check.update(BODY, 10, BODY.length - 10);

    WebhookSignature.Result result = check.finish();

    assertThat(result.verdict()).isEqualTo(SignatureVerdict.VALID);
    assertThat(result.keyId())
        .isEqualTo(WebhookSignature.keyId("new-secret"))
        .isNotEqualTo(WebhookSignature.keyId("old-secret"))
        .hasSize(16)
        .doesNotContain("new-secret");
  }

  @Test
  void aMissingMalformedOrStaleHeaderIsRefusedBeforeAnyBodyIsFed() {
    assertThat(verifier.begin(null).headerVerdict()).isEqualTo(SignatureVerdict.MISSING);
    assertThat(verifier.begin("t=1").headerVerdict()).isEqualTo(SignatureVerdict.MALFORMED);
    assertThat(verifier.begin(WebhookSignature.sign("s3cret", NOW - 301, BODY)).headerVerdict())
        .isEqualTo(SignatureVerdict.STALE);
    WebhookSignature.Check other = verifier.begin(WebhookSignature.sign("s3cret", NOW, BODY));
    other.update(BODY, 0, BODY.length - 1);
    assertThat(other.finish())
        .isEqualTo(new WebhookSignature.Result(SignatureVerdict.MISMATCH, null));
  }

  @Test
  void aKeyIdIsTheFirst16HexDigitsOfTheSecretsSha256() {
    // printf '%s' 's3cret' | sha256sum | cut -c1-16
    assertThat(WebhookSignature.keyId("s3cret")).isEqualTo("1ec1c26b50d5d3c5");
  }
}
