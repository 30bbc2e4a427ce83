package dev.roster.auditor.security;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks HTTP Basic credentials against the configured users. Passwords are compared as SHA-256
 * digests with {@link MessageDigest#isEqual} (time independent of where they differ; an unknown
 * user is compared against a digest too, so it takes as long as a wrong password), and a client
 * that keeps failing for a user name waits before every further answer ({@link FailureThrottle}).
 */
@ApplicationScoped
public class BasicIdentityProvider
    implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
  private static final byte[] NO_USER = sha256("\u0000no such user\u0000".toCharArray());

  private final Map<String, byte[]> digests = new HashMap<>();
  private final Map<String, Set<String>> roles = new HashMap<>();
  private final FailureThrottle throttle;

  public BasicIdentityProvider(BasicAuthConfig config, FailureThrottle throttle) {
    this.throttle = throttle;
    config.users().forEach((user, password) -> digests.put(user, sha256(password.toCharArray())));
    config
        .roles()
        .forEach(
            (user, list) ->
                roles.put(
                    user,
                    Arrays.stream(list.split(","))
                        .map(String::strip)
                        .filter(r -> !r.isEmpty())
                        .collect(Collectors.toUnmodifiableSet())));
  }

  @Override
  public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
    return UsernamePasswordAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
    String user = request.getUsername();
    String client = client(request) + "\u0000" + user;
    Duration wait = throttle.delay(client);
    Uni<Void> start =
        wait.isZero()
            ? Uni.createFrom().voidItem()
            : Uni.createFrom().voidItem().onItem().delayIt().by(wait);
    return start
        .onItem()
        .transformToUni(
            ignored -> {
              if (matches(user, request.getPassword().getPassword())) {
                throttle.succeeded(client);
                return Uni.createFrom()
                    .item(
                        QuarkusSecurityIdentity.builder()
                            .setPrincipal(new QuarkusPrincipal(user))
                            .addRoles(roles.getOrDefault(user, Set.of()))
                            .build());
              }
              int failures = throttle.failed(client);
              Log.warnf(
                  "failed Basic authentication for user %s from %s (%d in a row)",
                  user, client(request), failures);
              return Uni.createFrom().failure(new AuthenticationFailedException());
            });
  }

  /** Constant-time for any password: both sides are 32-byte digests. */
  boolean matches(String user, char[] password) {
    byte[] expected = digests.get(user);
    boolean known = expected != null;
    boolean equal = MessageDigest.isEqual(known ? expected : NO_USER, sha256(password));
    return known && equal;
  }

  private static String client(UsernamePasswordAuthenticationRequest request) {
    RoutingContext rc = HttpSecurityUtils.getRoutingContextAttribute(request);
    if (rc == null || rc.request().remoteAddress() == null) {
      return "unknown";
    }
    return rc.request().remoteAddress().hostAddress();
  }

  private static byte[] sha256(char[] password) {
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(bytes);
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
