package dev.roster.auditor;

import static io.restassured.RestAssured.given;

import com.sun.net.httpserver.HttpServer;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@code oidc} profile as production runs it (the application's own {@code %oidc} lines), with
 * the issuer's key given locally instead of fetched: a token for another audience is refused.
 */
@QuarkusTest
@TestProfile(OidcAudienceTest.Oidc.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class OidcAudienceTest {
  private static final Path KEYS = Path.of("target", "oidc-test");

  /** The test profile plus the application's {@code %oidc} profile, against a local issuer. */
  public static class Oidc implements QuarkusTestProfile {
    @Override
    public String getConfigProfile() {
      return "test,oidc";
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(Issuer.class));
    }
  }

  /** A minimal OIDC issuer: discovery document and JWKS with the test key. */
  public static class Issuer implements QuarkusTestResourceLifecycleManager {
    private HttpServer server;

    @Override
    public Map<String, String> start() {
      try {
        ensureKeys();
        RSAPublicKey key =
            (RSAPublicKey)
                KeyFactory.getInstance("RSA")
                    .generatePublic(
                        new X509EncodedKeySpec(
                            Base64.getDecoder()
                                .decode(Files.readString(KEYS.resolve("public.b64")))));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/corp";
        Files.writeString(KEYS.resolve("issuer"), url);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String jwks =
            "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"use\":\"sig\",\"alg\":\"RS256\","
                + "\"n\":\""
                + b64.encodeToString(unsigned(key.getModulus()))
                + "\",\"e\":\""
                + b64.encodeToString(unsigned(key.getPublicExponent()))
                + "\"}]}";
        String discovery =
            "{\"issuer\":\""
                + url
                + "\",\"jwks_uri\":\""
                + url
                + "/jwks\",\"token_endpoint\":\""
                + url
                + "/token\",\"authorization_endpoint\":\""
                + url
                + "/auth\"}";
        serve("/realms/corp/.well-known/openid-configuration", discovery);
        serve("/realms/corp/jwks", jwks);
        server.start();
        return Map.of("ROSTER_AUDITOR_OIDC_URL", url);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private void serve(String path, String json) {
      server.createContext(
          path,
          exchange -> {
            byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
    }

    private static byte[] unsigned(BigInteger v) {
      byte[] bytes = v.toByteArray();
      return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    @Override
    public void stop() {
      if (server != null) {
        server.stop(0);
      }
    }
  }

  /** One RSA pair for the run, in a file: the profile and the test may see different classes. */
  private static synchronized void ensureKeys() {
    try {
      if (!Files.exists(KEYS.resolve("public.b64"))) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        Files.createDirectories(KEYS);
        Files.writeString(
            KEYS.resolve("private.b64"),
            Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        Files.writeString(
            KEYS.resolve("public.b64"),
            Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String token(String audience) {
    ensureKeys();
    try {
      PrivateKey key =
          KeyFactory.getInstance("RSA")
              .generatePrivate(
                  new PKCS8EncodedKeySpec(
                      Base64.getDecoder().decode(Files.readString(KEYS.resolve("private.b64")))));
      JwtClaimsBuilder claims =
          Jwt.issuer(Files.readString(KEYS.resolve("issuer")))
              .subject("alice")
              .groups(Set.of("auditor"))
              .expiresIn(300);
      if (audience != null) {
        claims.audience(audience);
      }
      return claims.jws().keyId("k1").sign(key);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aTokenForTheAuditorsAudienceGetsIn() {
    given()
        .auth()
        .oauth2(token("roster-auditor"))
        .get("/v1/changes?limit=1")
        .then()
        .statusCode(200);
  }

  @Test
  void aTokenForAnotherAudienceOrWithoutOneIsRefused() {
    given()
        .auth()
        .oauth2(token("billing-service"))
        .get("/v1/changes?limit=1")
        .then()
        .statusCode(401);
    given().auth().oauth2(token(null)).get("/v1/changes?limit=1").then().statusCode(401);
  }

  @Test
  void basicIsNotAcceptedInThisMode() {
    Fixtures.api().get("/v1/changes?limit=1").then().statusCode(401);
  }
}
