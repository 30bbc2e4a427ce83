package dev.roster.auditor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal OIDC issuer on the JDK HttpServer for the {@code oidc} profile's tests: discovery,
 * JWKS, and the authorization code flow ({@code /auth} approves at once the user the caller names
 * with {@code user=}, {@code /token} checks the client secret, the redirect URI and the PKCE
 * verifier). Its key pair lives in files: the profile and the test may see different classes.
 */
public class OidcIssuer implements QuarkusTestResourceLifecycleManager {
  public static final String CLIENT_ID = "roster-auditor";

  /** At least 32 characters: Quarkus derives the session and PKCE state encryption from it. */
  public static final String CLIENT_SECRET = "test-client-secret-0123456789abcdef";

  /** Users {@code /auth} knows, with their groups (the role claim). */
  public static final Map<String, Set<String>> USERS =
      Map.of("alice", Set.of("auditor"), "mallory", Set.of("guest"));

  private static final Path KEYS = Path.of("target", "oidc-test");

  /** The test profile plus the application's {@code %oidc} profile, against this issuer. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public String getConfigProfile() {
      return "test,oidc";
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(OidcIssuer.class));
    }
  }

  private record Grant(String user, String redirectUri, String challenge, String nonce) {}

  private final Map<String, Grant> grants = new ConcurrentHashMap<>();
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
              + "/auth\",\"end_session_endpoint\":\""
              + url
              + "/logout\"}";
      serve("/realms/corp/.well-known/openid-configuration", discovery);
      serve("/realms/corp/jwks", jwks);
      server.createContext("/realms/corp/auth", this::authorize);
      server.createContext("/realms/corp/token", this::token);
      server.createContext("/realms/corp/logout", this::logout);
      server.start();
      return Map.of(
          "ROSTER_AUDITOR_OIDC_URL", url, "ROSTER_AUDITOR_OIDC_CLIENT_SECRET", CLIENT_SECRET);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Approves the named user at once: a redirect back with a one-time code and the state. */
  private void authorize(HttpExchange exchange) throws IOException {
    Map<String, String> q = form(exchange.getRequestURI().getRawQuery());
    String redirectUri = q.get("redirect_uri");
    if (!CLIENT_ID.equals(q.get("client_id"))
        || !"code".equals(q.get("response_type"))
        || redirectUri == null
        || !USERS.containsKey(q.get("user"))) {
      answer(exchange, 400, "{\"error\":\"invalid_request\"}");
      return;
    }
    String code = UUID.randomUUID().toString();
    grants.put(
        code,
        new Grant(
            q.get("user"),
            redirectUri,
            "S256".equals(q.get("code_challenge_method")) ? q.get("code_challenge") : null,
            q.get("nonce")));
    String location =
        redirectUri
            + (redirectUri.contains("?") ? "&" : "?")
            + "code="
            + code
            + "&state="
            + URLEncoder.encode(q.getOrDefault("state", ""), StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  /** RP-initiated logout: back to {@code post_logout_redirect_uri} when the ID token is given. */
  private void logout(HttpExchange exchange) throws IOException {
    Map<String, String> q = form(exchange.getRequestURI().getRawQuery());
    String back = q.get("post_logout_redirect_uri");
    if (back == null || q.get("id_token_hint") == null) {
      answer(exchange, 400, "{\"error\":\"invalid_request\"}");
      return;
    }
    exchange.getResponseHeaders().add("Location", back);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  /** Exchanges a code once, for the client that authenticates and the verifier that matches. */
  private void token(HttpExchange exchange) throws IOException {
    Map<String, String> f =
        form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    boolean clientOk =
        expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))
            || (CLIENT_ID.equals(f.get("client_id"))
                && CLIENT_SECRET.equals(f.get("client_secret")));
    Grant grant = f.get("code") == null ? null : grants.remove(f.get("code"));
    if (!clientOk
        || !"authorization_code".equals(f.get("grant_type"))
        || grant == null
        || !grant.redirectUri().equals(f.get("redirect_uri"))
        || grant.challenge() == null
        || !grant.challenge().equals(s256(f.get("code_verifier")))) {
      answer(exchange, 400, "{\"error\":\"invalid_grant\"}");
      return;
    }
    Map<String, Object> idClaims = new HashMap<>();
    if (grant.nonce() != null) {
      idClaims.put("nonce", grant.nonce());
    }
    String idToken = sign(grant.user(), USERS.get(grant.user()), CLIENT_ID, idClaims);
    // No groups here: the session's roles must come from the ID token.
    String accessToken = sign(grant.user(), Set.of(), CLIENT_ID, Map.of());
    answer(
        exchange,
        200,
        "{\"access_token\":\""
            + accessToken
            + "\",\"id_token\":\""
            + idToken
            + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
  }

  private static String s256(String verifier) {
    if (verifier == null) {
      return null;
    }
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> form(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return out;
  }

  private void serve(String path, String json) {
    server.createContext(path, exchange -> answer(exchange, 200, json));
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] bytes = v.toByteArray();
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** This issuer's URL (its {@code iss}). */
  public static URI url() {
    try {
      return URI.create(Files.readString(KEYS.resolve("issuer")));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An access token of this issuer for {@code alice} (role auditor), {@code aud} as given. */
  public static String accessToken(String audience) {
    return sign("alice", USERS.get("alice"), audience, Map.of());
  }

  private static String sign(
      String subject, Set<String> groups, String audience, Map<String, Object> claims) {
    ensureKeys();
    try {
      PrivateKey key =
          KeyFactory.getInstance("RSA")
              .generatePrivate(
                  new PKCS8EncodedKeySpec(
                      Base64.getDecoder().decode(Files.readString(KEYS.resolve("private.b64")))));
      JwtClaimsBuilder builder =
          Jwt.issuer(Files.readString(KEYS.resolve("issuer")))
              .subject(subject)
              .groups(groups)
              .expiresIn(300);
      if (audience != null) {
        builder.audience(audience);
      }
      claims.forEach(builder::claim);
      return builder.jws().keyId("k1").sign(key);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** One RSA pair for the run, in files. */
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
}
