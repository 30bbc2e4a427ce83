package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;
import software.amazon.awssdk.services.iam.model.VirtualMFADevice;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The shipped {@code deploy/aws/provisioner-policy.json} and the provisioner role's boundary,
 * loaded from the repository and enforced by the sandbox on the {@code roster-provisioner} role's
 * sessions, through the real SDK: every call the provisioner makes for a hire, a role change and a
 * leave is allowed; each escalation IAM can refuse is refused with IAM's AccessDenied; the ones IAM
 * cannot refuse (no condition key exists) are pinned here as allowed, so the README's list of
 * residual capabilities stays true.
 */
class ProvisionerPolicyEnforcementTest extends SandboxTestBase {
  static final String DEV = "111111111111";
  static final String PROD = "333333333333";
  static final String SESSION = "arn:aws:sts::111111111111:assumed-role/roster-provisioner/roster";
  static final String BOUNDARY = "arn:aws:iam::111111111111:policy/roster-user-boundary";
  static final String DENY_ALL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"RosterDeactivated\","
          + "\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
  static final ObjectMapper JSON = new ObjectMapper();

  final List<StsAssumeRoleCredentialsProvider> providers = new java.util.ArrayList<>();
  IamClient admin;
  IamClient dev;
  IamClient prod;

  static Path deployAws() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("deploy/aws/provisioner-policy.json"))) {
        return dir.resolve("deploy/aws");
      }
    }
    throw new IllegalStateException("deploy/aws not found above " + Path.of("").toAbsolutePath());
  }

  static String file(String name) {
    try {
      return Files.readString(deployAws().resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void seedAndEnforce() throws IOException {
    ObjectNode boundary =
        JSON.createObjectNode()
            .put("name", "roster-user-boundary")
            .set("document", JSON.readTree(file("roster-user-permissions-boundary.json")));
    ObjectNode seed = JSON.createObjectNode();
    ObjectNode accounts = seed.putObject("accounts");
    ObjectNode devAccount = accounts.putObject(DEV);
    devAccount.putArray("policies").add(boundary);
    devAccount.putArray("roles").add("roster-provisioner");
    devAccount
        .putArray("groups")
        .add("all-staff")
        .add("developers")
        .add("iam-user-managers")
        .add("Administrators");
    devAccount
        .putArray("users")
        .add(JSON.readTree("{\"name\": \"ci-bot\", \"path\": \"/\"}"))
        .add(JSON.readTree("{\"name\": \"stranger\", \"path\": \"/roster/\"}"))
        .add(
            JSON.readTree(
                "{\"name\": \"tf-user\", \"path\": \"/roster/\","
                    + " \"tags\": {\"roster:managed-by\": \"terraform\"}}"))
        .add(
            JSON.readTree(
                "{\"name\": \"legacy.user\", \"path\": \"/roster/\", \"tags\":"
                    + " {\"roster:managed-by\": \"roster\", \"roster:employee-id\": \"E0001\"}}"));
    ObjectNode prodAccount = accounts.putObject(PROD);
    prodAccount.putArray("policies").add(boundary.deepCopy());
    prodAccount.putArray("roles").add("roster-provisioner");
    prodAccount.putArray("groups").add("operators").add("break-glass");
    prodAccount
        .putArray("users")
        .add(JSON.readTree("{\"name\": \"breakglass-1\", \"groups\": [\"break-glass\"]}"));
    sandbox.seed(seed);

    List<String> policy = List.of(file("provisioner-policy.json"));
    List<String> roleBoundary = List.of(file("provisioner-permissions-boundary.json"));
    sandbox.enforcement().forRole(DEV, "roster-provisioner", policy, roleBoundary);
    sandbox.enforcement().forRole(PROD, "roster-provisioner", policy, roleBoundary);
    admin = iam(DEV); // the account root: not held to any policy
    dev = provisioner(DEV);
    prod = provisioner(PROD);
  }

  @AfterEach
  void closeProviders() {
    providers.forEach(StsAssumeRoleCredentialsProvider::close);
  }

  /** The provisioner's client in production: assume the account's roster-provisioner role. */
  IamClient provisioner(String account) {
    StsAssumeRoleCredentialsProvider provider =
        StsAssumeRoleCredentialsProvider.builder()
            .stsClient(sts("000000000000"))
            .refreshRequest(
                r ->
                    r.roleArn("arn:aws:iam::" + account + ":role/roster-provisioner")
                        .roleSessionName("roster"))
            .build();
    providers.add(provider);
    return iam(provider);
  }

  static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  void hireAlice() {
    assertThatThrownBy(() -> dev.getUser(r -> r.userName("alice.doe")))
        .isInstanceOf(NoSuchEntityException.class);
    dev.getGroup(r -> r.groupName("developers").maxItems(1));
    dev.getGroup(r -> r.groupName("all-staff").maxItems(1));
    dev.createUser(
        r ->
            r.userName("alice.doe")
                .path("/roster/")
                .permissionsBoundary(BOUNDARY)
                .tags(
                    tag("roster:employee-id", "E1001"),
                    tag("roster:managed-by", "roster"),
                    tag("roster:status", "active"),
                    tag("roster:last-event-at", "2026-11-28T09:00:00Z")));
    dev.addUserToGroup(r -> r.userName("alice.doe").groupName("all-staff"));
    dev.addUserToGroup(r -> r.userName("alice.doe").groupName("developers"));
  }

  static void denied(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            IamException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
              assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
            });
  }

  static String explicit(String action, String resource) {
    return "User: "
        + SESSION
        + " is not authorized to perform: "
        + action
        + " on resource: "
        + resource
        + " with an explicit deny in an identity-based policy";
  }

  static String notAllowed(String action, String resource) {
    return "User: "
        + SESSION
        + " is not authorized to perform: "
        + action
        + " on resource: "
        + resource
        + " because no identity-based policy allows the "
        + action
        + " action";
  }

  static String alice() {
    return "arn:aws:iam::111111111111:user/roster/alice.doe";
  }

  @Test
  void hireRoleChangeLeaveAndRehireAreAllowed() {
    hireAlice();
    User alice = dev.getUser(r -> r.userName("alice.doe")).user();
    assertThat(alice.permissionsBoundary().permissionsBoundaryArn()).isEqualTo(BOUNDARY);
    assertThat(dev.listUsers(r -> r.pathPrefix("/roster/")).users())
        .extracting(User::userName)
        .contains("alice.doe");
    assertThat(dev.listUserTags(r -> r.userName("alice.doe")).tags()).hasSize(4);

    // Role change: a new group, the old one removed, changed tags.
    dev.getGroup(r -> r.groupName("iam-user-managers").maxItems(1));
    dev.addUserToGroup(r -> r.userName("alice.doe").groupName("iam-user-managers"));
    dev.removeUserFromGroup(r -> r.userName("alice.doe").groupName("developers"));
    dev.tagUser(
        r ->
            r.userName("alice.doe")
                .tags(
                    tag("roster:title", "Lead"),
                    tag("roster:last-event-at", "2026-11-29T09:00:00Z")));

    // Everything a leaver may hold, issued by someone else (the provisioner never issues any).
    String keyId = admin.createAccessKey(r -> r.userName("alice.doe")).accessKey().accessKeyId();
    admin.createLoginProfile(r -> r.userName("alice.doe").password("Corr3ct-Horse-Battery"));
    String credentialId =
        admin
            .createServiceSpecificCredential(
                r -> r.userName("alice.doe").serviceName("codecommit.amazonaws.com"))
            .serviceSpecificCredential()
            .serviceSpecificCredentialId();
    VirtualMFADevice mfa =
        admin.createVirtualMFADevice(r -> r.virtualMFADeviceName("alice-phone")).virtualMFADevice();
    String seed = mfa.base32StringSeed().asString(StandardCharsets.US_ASCII);
    long step = Instant.now().getEpochSecond() / 30;
    admin.enableMFADevice(
        r ->
            r.userName("alice.doe")
                .serialNumber(mfa.serialNumber())
                .authenticationCode1(Totp.code(seed, step - 1))
                .authenticationCode2(Totp.code(seed, step)));
    admin.attachUserPolicy(
        r -> r.userName("alice.doe").policyArn("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    admin.putUserPolicy(
        r ->
            r.userName("alice.doe")
                .policyName("extra")
                .policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"));

    // Leave: the full read, then the cut-off in the provisioner's order.
    dev.getLoginProfile(r -> r.userName("alice.doe"));
    dev.listAccessKeys(r -> r.userName("alice.doe"));
    dev.listSSHPublicKeys(r -> r.userName("alice.doe"));
    dev.listServiceSpecificCredentials(r -> r.userName("alice.doe"));
    dev.listSigningCertificates(r -> r.userName("alice.doe"));
    dev.listMFADevices(r -> r.userName("alice.doe"));
    dev.listAttachedUserPolicies(r -> r.userName("alice.doe"));
    dev.listUserPolicies(r -> r.userName("alice.doe"));
    assertThat(dev.listGroupsForUser(r -> r.userName("alice.doe")).groups())
        .extracting(Group::groupName)
        .containsExactlyInAnyOrder("all-staff", "iam-user-managers");
    dev.putUserPolicy(
        r -> r.userName("alice.doe").policyName("roster-deny-all").policyDocument(DENY_ALL));
    dev.deleteLoginProfile(r -> r.userName("alice.doe"));
    dev.updateAccessKey(
        r -> r.userName("alice.doe").accessKeyId(keyId).status(StatusType.INACTIVE));
    dev.updateServiceSpecificCredential(
        r ->
            r.userName("alice.doe")
                .serviceSpecificCredentialId(credentialId)
                .status(StatusType.INACTIVE));
    dev.deactivateMFADevice(r -> r.userName("alice.doe").serialNumber(mfa.serialNumber()));
    dev.removeUserFromGroup(r -> r.userName("alice.doe").groupName("all-staff"));
    dev.removeUserFromGroup(r -> r.userName("alice.doe").groupName("iam-user-managers"));
    dev.detachUserPolicy(
        r -> r.userName("alice.doe").policyArn("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    dev.deleteUserPolicy(r -> r.userName("alice.doe").policyName("extra"));
    dev.tagUser(
        r ->
            r.userName("alice.doe")
                .tags(
                    tag("roster:status", "deactivated"),
                    tag("roster:deactivated-at", "2026-11-30T09:00:00Z")));

    assertThat(admin.listGroupsForUser(r -> r.userName("alice.doe")).groups()).isEmpty();
    assertThat(admin.listUserPolicies(r -> r.userName("alice.doe")).policyNames())
        .containsExactly("roster-deny-all");
    assertThat(admin.listAccessKeys(r -> r.userName("alice.doe")).accessKeyMetadata())
        .allMatch(k -> k.status() == StatusType.INACTIVE);
    assertThat(admin.listAttachedUserPolicies(r -> r.userName("alice.doe")).attachedPolicies())
        .extracting(AttachedPolicy::policyArn)
        .isEmpty();

    // Rehire: groups back, the deactivation marker and the deny-all removed.
    dev.addUserToGroup(r -> r.userName("alice.doe").groupName("all-staff"));
    dev.tagUser(r -> r.userName("alice.doe").tags(tag("roster:status", "active")));
    dev.untagUser(r -> r.userName("alice.doe").tagKeys("roster:deactivated-at"));
    dev.deleteUserPolicy(r -> r.userName("alice.doe").policyName("roster-deny-all"));
    assertThat(admin.listUserPolicies(r -> r.userName("alice.doe")).policyNames()).isEmpty();
  }

  /**
   * Retention: a deactivated leaver's user is deleted with everything IAM requires gone first, by
   * exactly the calls the provisioner makes; nobody else's user can be deleted.
   */
  @Test
  void retentionDeletesARosterUserAndWhatHangsOffItButNoOtherUser() {
    hireAlice();
    String keyId = admin.createAccessKey(r -> r.userName("alice.doe")).accessKey().accessKeyId();
    admin.createLoginProfile(r -> r.userName("alice.doe").password("Corr3ct-Horse-Battery"));
    String credentialId =
        admin
            .createServiceSpecificCredential(
                r -> r.userName("alice.doe").serviceName("codecommit.amazonaws.com"))
            .serviceSpecificCredential()
            .serviceSpecificCredentialId();
    admin.attachUserPolicy(
        r -> r.userName("alice.doe").policyArn("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    dev.putUserPolicy(
        r -> r.userName("alice.doe").policyName("roster-deny-all").policyDocument(DENY_ALL));
    dev.tagUser(r -> r.userName("alice.doe").tags(tag("roster:status", "deactivated")));

    dev.deleteLoginProfile(r -> r.userName("alice.doe"));
    dev.deleteAccessKey(r -> r.userName("alice.doe").accessKeyId(keyId));
    dev.deleteServiceSpecificCredential(
        r -> r.userName("alice.doe").serviceSpecificCredentialId(credentialId));
    dev.removeUserFromGroup(r -> r.userName("alice.doe").groupName("all-staff"));
    dev.removeUserFromGroup(r -> r.userName("alice.doe").groupName("developers"));
    dev.detachUserPolicy(
        r -> r.userName("alice.doe").policyArn("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    dev.deleteUserPolicy(r -> r.userName("alice.doe").policyName("roster-deny-all"));
    dev.deleteUser(r -> r.userName("alice.doe"));
    assertThatThrownBy(() -> admin.getUser(r -> r.userName("alice.doe")))
        .isInstanceOf(NoSuchEntityException.class);

    denied(
        () -> dev.deleteUser(r -> r.userName("stranger")),
        notAllowed("iam:DeleteUser", "arn:aws:iam::111111111111:user/roster/stranger"));
    denied(
        () -> dev.deleteUser(r -> r.userName("tf-user")),
        notAllowed("iam:DeleteUser", "arn:aws:iam::111111111111:user/roster/tf-user"));
    denied(
        () -> dev.deleteUser(r -> r.userName("ci-bot")),
        explicit("iam:DeleteUser", "arn:aws:iam::111111111111:user/ci-bot"));
  }

  @Test
  void theReviewPolicysReadsGetThroughBesideTheProvisionerPolicy() {
    // Attached together, as deploy/aws/README.md says: the provisioner policy's denies must leave
    // the escalation guard's and reconciliation's reads alone.
    List<String> both =
        List.of(file("provisioner-policy.json"), file("provisioner-review-policy.json"));
    List<String> roleBoundary = List.of(file("provisioner-permissions-boundary.json"));
    sandbox.enforcement().forRole(DEV, "roster-provisioner", both, roleBoundary);
    admin.attachGroupPolicy(
        r -> r.groupName("developers").policyArn("arn:aws:iam::aws:policy/ReadOnlyAccess"));

    assertThat(dev.listGroupPolicies(r -> r.groupName("developers")).policyNames()).isEmpty();
    assertThat(dev.listAttachedGroupPolicies(r -> r.groupName("developers")).attachedPolicies())
        .extracting(AttachedPolicy::policyName)
        .containsExactly("ReadOnlyAccess");
    String version =
        dev.getPolicy(r -> r.policyArn("arn:aws:iam::aws:policy/ReadOnlyAccess"))
            .policy()
            .defaultVersionId();
    assertThat(
            dev.getPolicyVersion(
                    r -> r.policyArn("arn:aws:iam::aws:policy/ReadOnlyAccess").versionId(version))
                .policyVersion()
                .document())
        .isNotEmpty();
    assertThat(dev.getAccountAuthorizationDetails(r -> r.maxItems(10)).userDetailList())
        .isNotEmpty();
  }

  @Test
  void thePoliciesFitIamsSizeLimitsForManagedPolicies() {
    // CreatePolicy enforces IAM's 6,144 characters (whitespace not counted).
    admin.createPolicy(
        r -> r.policyName("roster-provisioner").policyDocument(file("provisioner-policy.json")));
    admin.createPolicy(
        r ->
            r.policyName("roster-provisioner-boundary")
                .policyDocument(file("provisioner-permissions-boundary.json")));
  }

  @Test
  void issuingCredentialsOrAttachingPoliciesIsDenied() {
    hireAlice();
    denied(
        () -> dev.createAccessKey(r -> r.userName("alice.doe")),
        explicit("iam:CreateAccessKey", alice()));
    denied(
        () ->
            dev.attachUserPolicy(
                r ->
                    r.userName("alice.doe")
                        .policyArn("arn:aws:iam::aws:policy/AdministratorAccess")),
        explicit("iam:AttachUserPolicy", alice()));
    denied(
        () -> dev.createLoginProfile(r -> r.userName("alice.doe").password("Corr3ct-Horse-1")),
        explicit("iam:CreateLoginProfile", alice()));
    denied(
        () -> dev.updateLoginProfile(r -> r.userName("alice.doe").password("Corr3ct-Horse-1")),
        explicit("iam:UpdateLoginProfile", alice()));
    denied(
        () ->
            dev.createServiceSpecificCredential(
                r -> r.userName("alice.doe").serviceName("codecommit.amazonaws.com")),
        explicit("iam:CreateServiceSpecificCredential", alice()));
    denied(
        () -> dev.createGroup(r -> r.groupName("shadow-admins")),
        explicit("iam:CreateGroup", "arn:aws:iam::111111111111:group/shadow-admins"));
    assertThat(admin.listAccessKeys(r -> r.userName("alice.doe")).accessKeyMetadata()).isEmpty();
  }

  @Test
  void onlyTheMappedGroupsCanBeJoinedAndBreakGlassIsUntouchable() {
    hireAlice();
    denied(
        () -> dev.addUserToGroup(r -> r.userName("alice.doe").groupName("Administrators")),
        notAllowed("iam:AddUserToGroup", "arn:aws:iam::111111111111:group/Administrators"));

    prod.createUser(
        r ->
            r.userName("bob.sre")
                .path("/roster/")
                .permissionsBoundary("arn:aws:iam::333333333333:policy/roster-user-boundary")
                .tags(tag("roster:managed-by", "roster"), tag("roster:employee-id", "E2002")));
    prod.addUserToGroup(r -> r.userName("bob.sre").groupName("operators"));
    String prodSession = "arn:aws:sts::333333333333:assumed-role/roster-provisioner/roster";
    String breakGlass = "arn:aws:iam::333333333333:group/break-glass";
    assertThatThrownBy(
            () -> prod.addUserToGroup(r -> r.userName("bob.sre").groupName("break-glass")))
        .hasMessageStartingWith(
            "User: "
                + prodSession
                + " is not authorized to perform: iam:AddUserToGroup on resource: "
                + breakGlass
                + " with an explicit deny in an identity-based policy");
    assertThatThrownBy(
            () ->
                prod.removeUserFromGroup(r -> r.userName("breakglass-1").groupName("break-glass")))
        .hasMessageContaining("explicit deny")
        .hasMessageContaining("iam:RemoveUserFromGroup on resource: " + breakGlass);
    for (ThrowingCallable touch :
        List.<ThrowingCallable>of(
            () -> prod.deleteLoginProfile(r -> r.userName("breakglass-1")),
            () ->
                prod.tagUser(
                    r -> r.userName("breakglass-1").tags(tag("roster:managed-by", "roster"))),
            () ->
                prod.putUserPolicy(
                    r ->
                        r.userName("breakglass-1")
                            .policyName("roster-deny-all")
                            .policyDocument(DENY_ALL)))) {
      assertThatThrownBy(touch)
          .isInstanceOfSatisfying(
              IamException.class, e -> assertThat(e.statusCode()).isEqualTo(403))
          .hasMessageContaining("on resource: arn:aws:iam::333333333333:user/breakglass-1")
          .hasMessageContaining("with an explicit deny in an identity-based policy");
    }
    assertThat(sandbox.state(PROD).path("users").path("breakglass-1").path("groups")).hasSize(1);
  }

  @Test
  void everyUserRosterCreatesCarriesTheRosterBoundaryUnderRosterPathWithTheTag() {
    String newUser = "arn:aws:iam::111111111111:user/roster/eve";
    denied(
        () ->
            dev.createUser(
                r -> r.userName("eve").path("/roster/").tags(tag("roster:managed-by", "roster"))),
        explicit("iam:CreateUser", newUser));
    denied(
        () ->
            dev.createUser(
                r ->
                    r.userName("eve")
                        .path("/roster/")
                        .permissionsBoundary("arn:aws:iam::aws:policy/AdministratorAccess")
                        .tags(tag("roster:managed-by", "roster"))),
        explicit("iam:CreateUser", newUser));
    denied(
        () ->
            dev.createUser(
                r ->
                    r.userName("eve")
                        .path("/")
                        .permissionsBoundary(BOUNDARY)
                        .tags(tag("roster:managed-by", "roster"))),
        explicit("iam:CreateUser", "arn:aws:iam::111111111111:user/eve"));
    denied(
        () -> dev.createUser(r -> r.userName("eve").path("/roster/").permissionsBoundary(BOUNDARY)),
        notAllowed("iam:CreateUser", newUser));
    assertThat(sandbox.state(DEV).path("users").has("eve")).isFalse();
  }

  @Test
  void rosterUsersCannotBeReleasedRelabelledOrHandedOverAndOthersUsersCannotBeTaken() {
    hireAlice();
    String tfUser = "arn:aws:iam::111111111111:user/roster/tf-user";
    denied(
        () -> dev.tagUser(r -> r.userName("tf-user").tags(tag("roster:managed-by", "roster"))),
        explicit("iam:TagUser", tfUser));
    denied(
        () -> dev.untagUser(r -> r.userName("alice.doe").tagKeys("roster:managed-by")),
        explicit("iam:UntagUser", alice()));
    denied(
        () -> dev.tagUser(r -> r.userName("alice.doe").tags(tag("roster:employee-id", "E6666"))),
        explicit("iam:TagUser", alice()));
    denied(
        () -> dev.tagUser(r -> r.userName("alice.doe").tags(tag("roster:managed-by", "other"))),
        explicit("iam:TagUser", alice()));
    // A user without Roster's tag is read-only to the provisioner.
    String stranger = "arn:aws:iam::111111111111:user/roster/stranger";
    denied(
        () ->
            dev.updateAccessKey(r -> r.userName("stranger").accessKeyId("AKIAX").status("Active")),
        notAllowed("iam:UpdateAccessKey", stranger));
    denied(
        () ->
            dev.putUserPolicy(
                r -> r.userName("stranger").policyName("roster-deny-all").policyDocument(DENY_ALL)),
        notAllowed("iam:PutUserPolicy", stranger));
    assertThat(sandbox.state(DEV).path("users").path("tf-user").path("tags"))
        .hasToString("{\"roster:managed-by\":\"terraform\"}");
  }

  /**
   * What IAM cannot refuse, because no condition key exists for it (see deploy/aws/README.md, "What
   * IAM cannot constrain"): pinned here so that the README's list stays true.
   */
  @Test
  void whatIamCannotConstrainIsAllowedAndTheBoundaryDefusesIt() throws IOException {
    hireAlice();
    // AddUserToGroup is authorised on the group only: any user of the account can be added.
    dev.addUserToGroup(r -> r.userName("ci-bot").groupName("developers"));
    // UpdateAccessKey has no condition key for the new status.
    String keyId = admin.createAccessKey(r -> r.userName("alice.doe")).accessKey().accessKeyId();
    dev.updateAccessKey(
        r -> r.userName("alice.doe").accessKeyId(keyId).status(StatusType.INACTIVE));
    dev.updateAccessKey(r -> r.userName("alice.doe").accessKeyId(keyId).status(StatusType.ACTIVE));
    // PutUserPolicy has no condition key for the policy name or document.
    String backdoor =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
            + "\"Resource\":\"*\"}]}";
    dev.putUserPolicy(r -> r.userName("alice.doe").policyName("backdoor").policyDocument(backdoor));
    // Tagging an untagged stranger looks exactly like tagging on create...
    dev.tagUser(r -> r.userName("stranger").tags(tag("roster:managed-by", "roster")));
    // ...but it gains nothing: only users with Roster's boundary can get an inline policy.
    denied(
        () ->
            dev.putUserPolicy(
                r -> r.userName("stranger").policyName("backdoor").policyDocument(backdoor)),
        notAllowed("iam:PutUserPolicy", "arn:aws:iam::111111111111:user/roster/stranger"));
    // Nor do users Roster created before the boundary (the rollout sets it on them first).
    denied(
        () ->
            dev.putUserPolicy(
                r ->
                    r.userName("legacy.user")
                        .policyName("roster-deny-all")
                        .policyDocument(DENY_ALL)),
        notAllowed("iam:PutUserPolicy", "arn:aws:iam::111111111111:user/roster/legacy.user"));

    // The backdoor on a Roster user is capped by the Roster user boundary: a principal holding
    // it cannot create unbounded users, free itself of the boundary, retag, or become Roster.
    String holder = "222222222222";
    sandbox
        .enforcement()
        .forAccessKey(
            holder,
            holder,
            List.of(backdoor),
            List.of(file("roster-user-permissions-boundary.json")));
    IamClient backdoored = iam(holder);
    String who = "User: arn:aws:iam::222222222222:root is not authorized to perform: ";
    assertThatThrownBy(() -> backdoored.createUser(r -> r.userName("mallory")))
        .hasMessageStartingWith(
            who
                + "iam:CreateUser on resource: arn:aws:iam::222222222222:user/mallory with an"
                + " explicit deny in a permissions boundary");
    assertThatThrownBy(
            () ->
                backdoored.tagUser(
                    r -> r.userName("anyone").tags(tag("roster:managed-by", "roster"))))
        .hasMessageContaining("iam:TagUser")
        .hasMessageContaining("with an explicit deny in a permissions boundary");
    assertThatThrownBy(() -> backdoored.createGroup(r -> r.groupName("mine")))
        .hasMessageContaining("with an explicit deny in a permissions boundary");
    assertThatThrownBy(
            () ->
                sts(holder)
                    .assumeRole(
                        r ->
                            r.roleArn("arn:aws:iam::111111111111:role/roster-provisioner")
                                .roleSessionName("x")))
        .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.statusCode()).isEqualTo(403))
        .hasMessageContaining("sts:AssumeRole")
        .hasMessageContaining("explicit deny in a permissions boundary");
    // What the backdoor grants inside the ceiling it does grant: the boundary is a ceiling only.
    backdoored.listUsers();
  }

  @Test
  void enforcementIsConfiguredThroughTheAdminApiToo() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String rule =
        "{\"rules\": [{\"account\": \"222222222222\", \"accessKeyId\": \"222222222222\","
            + " \"policies\": [{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\":"
            + " \"Allow\", \"Action\": \"iam:List*\", \"Resource\": \"*\"}]}]}]}";
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(endpoint().resolve("/_sandbox/enforcement"))
                .PUT(HttpRequest.BodyPublishers.ofString(rule))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(put.body()).path("rules")).hasSize(1);

    IamClient held = iam("222222222222");
    held.listUsers();
    denied2(
        () -> held.createUser(r -> r.userName("x")),
        "User: arn:aws:iam::222222222222:root is not authorized to perform: iam:CreateUser on"
            + " resource: arn:aws:iam::222222222222:user/x because no identity-based policy"
            + " allows the iam:CreateUser action");

    HttpResponse<String> bad =
        http.send(
            HttpRequest.newBuilder(endpoint().resolve("/_sandbox/enforcement"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"rules\": [{\"account\": \"1\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("rules[0]: account must be 12 digits");

    HttpResponse<String> cleared =
        http.send(
            HttpRequest.newBuilder(endpoint().resolve("/_sandbox/enforcement")).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(cleared.statusCode()).isEqualTo(204);
    held.createUser(r -> r.userName("x"));
  }

  @Test
  void theStandaloneSandboxEnforcesAFileGivenWithEnforce(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("enforce.json");
    Files.writeString(
        rules,
        "{\"rules\": [{\"account\": \"444444444444\", \"accessKeyId\": \"444444444444\","
            + " \"policies\": ["
            + file("provisioner-policy.json")
            + "]}]}");
    IamSandboxMain.Options options =
        IamSandboxMain.Options.parse("--port", "0", "--enforce", rules.toString());
    try (IamSandbox standalone = IamSandboxMain.start(options)) {
      IamClient held =
          iam(
              standalone.endpoint(),
              key("444444444444"),
              c ->
                  c.retryStrategy(
                      software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()));
      assertThatThrownBy(() -> held.createAccessKey(r -> r.userName("anyone")))
          .isInstanceOfSatisfying(
              IamException.class, e -> assertThat(e.statusCode()).isEqualTo(403))
          .hasMessageContaining("with an explicit deny in an identity-based policy");
      held.listUsers();
    }
    Files.writeString(rules, "{\"rules\": [{\"account\": \"444444444444\"}]}");
    assertThatThrownBy(
            () ->
                IamSandboxMain.start(
                    IamSandboxMain.Options.parse("--port", "0", "--enforce", rules.toString())))
        .hasMessageContaining("rules[0]: give exactly one of accessKeyId and role");
  }

  /**
   * The mapped groups' grants are conditioned on the member carrying Roster's tag: a stranger added
   * to the group (which IAM cannot refuse) is granted nothing by it.
   */
  @Test
  void aMappedGroupConditionedOnRostersTagGrantsAStrangerNothing() throws IOException {
    ObjectNode seed = JSON.createObjectNode();
    ObjectNode account = seed.putObject("accounts").putObject("555555555555");
    account
        .putArray("groups")
        .addObject()
        .put("name", "developers")
        .putObject("inlinePolicies")
        .set("guarded", JSON.readTree(file("examples/mapped-group-policy.json")));
    account
        .putArray("users")
        .add(JSON.readTree("{\"name\": \"ci-bot\", \"groups\": [\"developers\"]}"))
        .add(
            JSON.readTree(
                "{\"name\": \"alice.doe\", \"path\": \"/roster/\", \"groups\": [\"developers\"],"
                    + " \"tags\": {\"roster:managed-by\": \"roster\"}}"));
    sandbox.seed(seed);
    IamClient root = iam("555555555555");
    assertThat(
            root.simulatePrincipalPolicy(
                    r ->
                        r.policySourceArn("arn:aws:iam::555555555555:user/ci-bot")
                            .actionNames("s3:GetObject"))
                .evaluationResults()
                .get(0)
                .evalDecisionAsString())
        .isEqualTo("implicitDeny");
    assertThat(
            root.simulatePrincipalPolicy(
                    r ->
                        r.policySourceArn("arn:aws:iam::555555555555:user/roster/alice.doe")
                            .actionNames("s3:GetObject")
                            .contextEntries(
                                c ->
                                    c.contextKeyName("aws:PrincipalTag/roster:managed-by")
                                        .contextKeyType("string")
                                        .contextKeyValues("roster")))
                .evaluationResults()
                .get(0)
                .evalDecisionAsString())
        .isEqualTo("allowed");
  }

  /**
   * The example SCP's denies, evaluated like any deny (an SCP's allow side is the organisation's
   * default FullAWSAccess): only roster-provisioner creates users under /roster/ or writes roster:*
   * tags, and a Roster user's boundary can only be set to Roster's.
   */
  @Test
  void theExampleScpLeavesRosterPathAndTagsToTheProvisioner() {
    String allowAll =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
            + "\"Resource\":\"*\"}]}";
    List<String> withScp = List.of(allowAll, file("examples/scp-roster-path.json"));
    sandbox.enforcement().forAccessKey(DEV, DEV, withScp, List.of());
    sandbox.enforcement().forRole(DEV, "roster-provisioner", withScp, List.of());
    IamClient someoneElse = iam(DEV);
    assertThatThrownBy(() -> someoneElse.createUser(r -> r.userName("planted").path("/roster/")))
        .hasMessageContaining(
            "iam:CreateUser on resource: arn:aws:iam::111111111111:user/roster/planted")
        .hasMessageContaining("with an explicit deny in an identity-based policy");
    assertThatThrownBy(
            () ->
                someoneElse.tagUser(
                    r -> r.userName("ci-bot").tags(tag("roster:managed-by", "roster"))))
        .hasMessageContaining("explicit deny");
    someoneElse.createUser(r -> r.userName("ops-user").path("/"));
    someoneElse.tagUser(r -> r.userName("ops-user").tags(tag("team", "ops")));

    dev.createUser(
        r ->
            r.userName("alice.doe")
                .path("/roster/")
                .permissionsBoundary(BOUNDARY)
                .tags(tag("roster:managed-by", "roster"), tag("roster:employee-id", "E1001")));
    assertThat(sandbox.state(DEV).path("users").has("alice.doe")).isTrue();
  }

  static void denied2(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            IamException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
            });
  }
}
