package dev.roster.auditor.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.auditor.AuditorDatabase;
import dev.roster.auditor.OidcIssuer;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Browser login to the console in the {@code oidc} profile, driven with the JDK HttpClient as a
 * browser would (redirects followed by hand, cookies kept by hand so that the production {@code
 * Secure} flag can stay on over the test's http): the authorization code flow through {@link
 * OidcIssuer}, then the session cookie alone opens the console and the API.
 */
@QuarkusTest
@TestProfile(OidcIssuer.Profile.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class ConsoleLoginTest {
  private static final String PAGE = "/console/changes?employeeId=E-login";

  @TestHTTPResource("/")
  URI base;

  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** A browser's cookie jar, minimal: name to value, whatever the cookie's attributes. */
  private final Map<String, String> cookies = new LinkedHashMap<>();

  /** Set-Cookie headers seen, by cookie name. */
  private final Map<String, String> setCookies = new HashMap<>();

  @Test
  void anAuditorLogsInAndTheSessionOpensTheConsoleAndTheApi() throws Exception {
    URI authorize = startLogin();
    HttpResponse<String> callback = approve(authorize, "alice");
    // Back at the page first asked for, with the session.
    assertEquals(302, callback.statusCode(), callback.body());
    URI back = location(callback);
    assertEquals(PAGE, back.getRawPath() + "?" + back.getRawQuery());
    String session = setCookies.get("q_session");
    assertNotNull(session, "session cookie: " + setCookies.keySet());
    assertEquals(5, cookies.get("q_session").split("\\.").length, "an encrypted JWE: " + session);
    String attributes = session.toLowerCase();
    assertTrue(attributes.contains("; httponly"), session);
    assertTrue(attributes.contains("; secure"), session);
    assertTrue(attributes.contains("; samesite=lax"), session);
    assertTrue(attributes.contains("; path=/;"), session);

    HttpResponse<String> page = get(back, Map.of());
    assertEquals(200, page.statusCode(), page.body());
    assertTrue(page.body().contains("E-login"), "the page is the filtered Changes page");
    HttpResponse<String> api = get(base.resolve("/v1/changes?limit=1"), Map.of());
    assertEquals(200, api.statusCode(), api.body());
    assertTrue(api.body().contains("\"items\""), api.body());
    HttpResponse<String> csv = get(base.resolve("/v1/changes?format=csv&limit=1"), Map.of());
    assertEquals(200, csv.statusCode(), "the console's CSV link, cookie only");
  }

  @Test
  void logoutEndsTheSessionHereAndAtTheIssuer() throws Exception {
    HttpResponse<String> callback = approve(startLogin(), "alice");
    HttpResponse<String> page = get(location(callback), Map.of());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("href=\"/console/logout\""), "the nav links the logout");
    HttpResponse<String> logout = get(base.resolve("/console/logout"), Map.of());
    assertEquals(302, logout.statusCode(), logout.body());
    URI endSession = location(logout);
    assertTrue(
        endSession.toString().startsWith(OidcIssuer.url() + "/logout?"), endSession.toString());
    Map<String, String> q = query(endSession);
    assertNotNull(q.get("id_token_hint"));
    assertEquals(base.resolve("/console").toString(), q.get("post_logout_redirect_uri"));
    assertFalse(cookies.containsKey("q_session"), "session cookie removed: " + setCookies);
    HttpResponse<String> issuer =
        http.send(
            HttpRequest.newBuilder(endSession).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(302, issuer.statusCode());
    assertEquals(base.resolve("/console"), location(issuer));
    // No session any more: the console asks for a login again, the API too.
    assertTrue(
        location(get(base.resolve("/console"), Map.of()))
            .toString()
            .startsWith(OidcIssuer.url() + "/auth?"));
    assertEquals(302, get(base.resolve("/v1/changes?limit=1"), Map.of()).statusCode());
  }

  @Test
  void aLoggedInUserWithoutTheRoleGets403() throws Exception {
    HttpResponse<String> callback = approve(startLogin(), "mallory");
    assertEquals(302, callback.statusCode(), callback.body());
    assertNotNull(cookies.get("q_session"));
    assertEquals(403, get(location(callback), Map.of()).statusCode());
    assertEquals(403, get(base.resolve("/v1/changes?limit=1"), Map.of()).statusCode());
  }

  @Test
  void bearerCallersStillNeedTheAudienceAndAreNotRedirected() throws Exception {
    URI changes = base.resolve("/v1/changes?limit=1");
    assertEquals(
        200,
        get(changes, Map.of("Authorization", "Bearer " + OidcIssuer.accessToken("roster-auditor")))
            .statusCode());
    HttpResponse<String> other =
        get(
            changes,
            Map.of("Authorization", "Bearer " + OidcIssuer.accessToken("billing-service")));
    assertEquals(401, other.statusCode());
    assertTrue(other.headers().firstValue("Location").isEmpty());
    assertEquals(401, get(changes, Map.of("Authorization", "Bearer not-a-token")).statusCode());
    // Without any credentials the API, like the console, sends a caller to the login.
    HttpResponse<String> anonymous = get(changes, Map.of());
    assertEquals(302, anonymous.statusCode());
    assertTrue(location(anonymous).toString().startsWith(OidcIssuer.url() + "/auth?"));
  }

  @Test
  void aForgedCallbackGetsNoSession() throws Exception {
    URI authorize = startLogin();
    Map<String, String> q = query(authorize);
    HttpResponse<String> forged =
        get(URI.create(q.get("redirect_uri") + "?code=forged&state=" + q.get("state")), Map.of());
    assertFalse(
        forged.statusCode() == 302 && cookies.containsKey("q_session"),
        "a code the provider never issued opens no session");
    assertEquals(302, get(base.resolve(PAGE), Map.of()).statusCode());
  }

  /** GET a console page without a session: the redirect to the provider, checked. */
  private URI startLogin() throws Exception {
    HttpResponse<String> first = get(base.resolve(PAGE), Map.of());
    assertEquals(302, first.statusCode(), first.body());
    URI authorize = location(first);
    assertTrue(authorize.toString().startsWith(OidcIssuer.url() + "/auth?"), authorize.toString());
    Map<String, String> q = query(authorize);
    assertEquals(OidcIssuer.CLIENT_ID, q.get("client_id"));
    assertEquals("code", q.get("response_type"));
    assertEquals(base.resolve("/console/callback").toString(), q.get("redirect_uri"));
    assertNotNull(q.get("state"));
    assertEquals("S256", q.get("code_challenge_method"));
    assertNotNull(q.get("code_challenge"));
    assertTrue(q.get("scope").contains("openid"), q.get("scope"));
    return authorize;
  }

  /** The provider approves {@code user}; its redirect is followed back to the callback. */
  private HttpResponse<String> approve(URI authorize, String user) throws Exception {
    HttpResponse<String> approved =
        http.send(
            HttpRequest.newBuilder(URI.create(authorize + "&user=" + user)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(302, approved.statusCode(), approved.body());
    URI callback = location(approved);
    assertTrue(callback.toString().startsWith(base.resolve("/console/callback?").toString()));
    return get(callback, Map.of());
  }

  private HttpResponse<String> get(URI uri, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    headers.forEach(request::header);
    if (!cookies.isEmpty()) {
      StringBuilder cookie = new StringBuilder();
      cookies.forEach(
          (k, v) -> cookie.append(cookie.isEmpty() ? "" : "; ").append(k).append('=').append(v));
      request.header("Cookie", cookie.toString());
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    List<String> set = response.headers().allValues("Set-Cookie");
    for (String header : set) {
      String pair = header.split(";", 2)[0];
      int eq = pair.indexOf('=');
      String name = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1).trim();
      setCookies.put(name, header);
      if (value.isEmpty() || header.toLowerCase().contains("max-age=0")) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
    return response;
  }

  private URI location(HttpResponse<?> response) {
    return base.resolve(response.headers().firstValue("Location").orElseThrow());
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
