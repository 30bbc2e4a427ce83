package dev.roster.bench.micro;

import dev.roster.bench.load.Events;
import dev.roster.events.SignatureVerdict;
import dev.roster.events.WebhookSignature;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * hr-listener's signature check of a ~330-byte event (parse header, window, HMAC, constant-time
 * compare) against the bare HMAC-SHA256 of the same bytes with the JDK.
 */
@State(Scope.Benchmark)
public class SignatureBench {
  static final String SECRET = "bench-webhook-secret-not-for-production";
  WebhookSignature verifier;
  byte[] body;
  String header;
  SecretKeySpec key;
  long t;

  @Setup
  public void setUp() {
    verifier = new WebhookSignature(List.of(SECRET), Duration.ofSeconds(300), Clock.systemUTC());
    body = Events.bytes(Events.hire("evt-2026-11-28-0001", "E1001", "alice.doe", "developer"));
    t = System.currentTimeMillis() / 1000;
    header = WebhookSignature.sign(SECRET, t, body);
    key = new SecretKeySpec(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256");
    if (verifier.verify(header, body) != SignatureVerdict.VALID) {
      throw new IllegalStateException("signature set-up is wrong");
    }
  }

  @Benchmark
  public SignatureVerdict verify() {
    return verifier.verify(header, body);
  }

  @Benchmark
  public byte[] baselineRawHmac() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(key);
    mac.update((t + ".").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return mac.doFinal(body);
  }
}
