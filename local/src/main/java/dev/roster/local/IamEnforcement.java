package dev.roster.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.sandbox.iam.IamSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The provisioner held to the shipped {@code deploy/aws} policies in the IAM sandbox, as the
 * deployment attaches them: in every mapped account its {@code roster-provisioner} role with {@code
 * provisioner-policy.json} and {@code provisioner-review-policy.json} (plus {@code
 * provisioner-assume-role-policy.json} in the home account), capped by {@code
 * provisioner-permissions-boundary.json}; {@code roster-user-boundary} exists in every account. The
 * provisioner runs as a session of the home account's role, as a pod does through IRSA.
 */
final class IamEnforcement {
  /** The role of {@code deploy/aws/README.md} in every mapped account. */
  static final String ROLE = "roster-provisioner";

  /** The users' permissions boundary the provisioner policy requires on CreateUser. */
  static final String USER_BOUNDARY = "roster-user-boundary";

  /** How long the provisioner's session lasts (STS's longest). */
  static final Duration SESSION = Duration.ofHours(12);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path deployAws;
  private final RoleMappingFile roles;
  private final String sessionKeyId;

  IamEnforcement(Path root, RoleMappingFile roles) {
    this.deployAws = root.resolve("deploy/aws");
    this.roles = roles;
    this.sessionKeyId = "ASIA" + randomBase32(16);
  }

  /** The access key id of the provisioner's session (its secret and token are not checked). */
  String sessionKeyId() {
    return sessionKeyId;
  }

  /** Seeds the roles and the users' boundary, issues the session and puts the rules in force. */
  void apply(IamSandbox sandbox) {
    ObjectNode seed = JSON.createObjectNode();
    ObjectNode accounts = seed.putObject("accounts");
    Set<String> ids = new LinkedHashSet<>();
    roles.accounts().values().forEach(a -> ids.add(a.id()));
    for (String id : ids) {
      ObjectNode acct = accounts.putObject(id);
      acct.putArray("roles").add(ROLE);
      acct.putArray("policies")
          .addObject()
          .put("name", USER_BOUNDARY)
          .put("document", file("roster-user-permissions-boundary.json"));
    }
    sandbox.seed(seed);
    String home = roles.homeAccountId();
    sandbox.issueSession(sessionKeyId, home, ROLE, SESSION);
    List<String> boundary = List.of(file("provisioner-permissions-boundary.json"));
    sandbox.enforcement().clear();
    for (String account : ids) {
      List<String> policies = new ArrayList<>();
      policies.add(file("provisioner-policy.json"));
      policies.add(file("provisioner-review-policy.json"));
      if (account.equals(home)) {
        policies.add(file("provisioner-assume-role-policy.json"));
      }
      sandbox.enforcement().forRole(account, ROLE, policies, boundary);
    }
  }

  private String file(String name) {
    try {
      return Files.readString(deployAws.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String randomBase32(int n) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    SecureRandom random = new SecureRandom();
    StringBuilder out = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
