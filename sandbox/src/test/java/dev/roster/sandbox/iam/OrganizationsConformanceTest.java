package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.AccessDeniedException;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.organizations.model.AwsOrganizationsNotInUseException;
import software.amazon.awssdk.services.organizations.model.ChildType;
import software.amazon.awssdk.services.organizations.model.DuplicatePolicyAttachmentException;
import software.amazon.awssdk.services.organizations.model.Handshake;
import software.amazon.awssdk.services.organizations.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.organizations.model.OrganizationalUnit;
import software.amazon.awssdk.services.organizations.model.PolicySummary;
import software.amazon.awssdk.services.organizations.model.PolicyType;
import software.amazon.awssdk.services.organizations.model.Root;
import software.amazon.awssdk.services.organizations.model.TargetType;
import software.amazon.awssdk.services.organizations.model.TooManyRequestsException;

/** The Organizations emulator through the real SDK's OrganizationsClient (JSON 1.1 protocol). */
class OrganizationsConformanceTest extends SandboxTestBase {
  static final String MANAGEMENT = "999999999999";
  static final String DENY_IAM_USERS =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"iam:CreateUser\",\"iam:CreateAccessKey\"],\"Resource\":\"*\"}]}";

  static OrganizationsClient orgs(String accessKeyId) {
    return OrganizationsClient.builder()
        .endpointOverride(endpoint())
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "secret")))
        .httpClient(http)
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** Management account 9…9 with member 1…1 invited into OU Production, and one SCP on it. */
  record Layout(Root root, OrganizationalUnit production, String scpId) {}

  static Layout layout() {
    OrganizationsClient mgmt = orgs(MANAGEMENT);
    mgmt.createOrganization(r -> r.featureSet("ALL"));
    Root root = mgmt.listRoots().roots().get(0);
    OrganizationalUnit production =
        mgmt.createOrganizationalUnit(r -> r.parentId(root.id()).name("Production"))
            .organizationalUnit();
    Handshake invite =
        mgmt.inviteAccountToOrganization(r -> r.target(t -> t.id("111111111111").type("ACCOUNT")))
            .handshake();
    orgs("111111111111").acceptHandshake(r -> r.handshakeId(invite.id()));
    mgmt.moveAccount(
        r ->
            r.accountId("111111111111")
                .sourceParentId(root.id())
                .destinationParentId(production.id()));
    String scp =
        mgmt.createPolicy(
                r ->
                    r.name("deny-iam-user-creation")
                        .description("no IAM users by hand")
                        .type(PolicyType.SERVICE_CONTROL_POLICY)
                        .content(DENY_IAM_USERS))
            .policy()
            .policySummary()
            .id();
    mgmt.attachPolicy(r -> r.policyId(scp).targetId(production.id()));
    return new Layout(root, production, scp);
  }

  @Test
  void theStructureReadsBackThroughPaginators() {
    Layout l = layout();
    OrganizationsClient mgmt = orgs(MANAGEMENT);
    for (int i = 0; i < 25; i++) {
      int n = i;
      mgmt.createOrganizationalUnit(r -> r.parentId(l.root().id()).name("team-" + n));
    }

    assertThat(mgmt.describeOrganization().organization().masterAccountId()).isEqualTo(MANAGEMENT);
    assertThat(l.root().id()).matches("r-[0-9a-z]{4}");
    assertThat(l.root().policyTypes()).anyMatch(t -> t.type() == PolicyType.SERVICE_CONTROL_POLICY);
    List<OrganizationalUnit> units =
        mgmt.listOrganizationalUnitsForParentPaginator(r -> r.parentId(l.root().id())).stream()
            .flatMap(page -> page.organizationalUnits().stream())
            .toList();
    assertThat(units).hasSize(26).extracting(OrganizationalUnit::name).contains("Production");
    assertThat(l.production().id()).matches("ou-[0-9a-z]{4}-[0-9a-z]{8}");
    assertThat(
            mgmt.listAccountsForParentPaginator(r -> r.parentId(l.production().id())).stream()
                .flatMap(page -> page.accounts().stream())
                .map(Account::id))
        .containsExactly("111111111111");
    assertThat(
            mgmt.listAccountsForParent(r -> r.parentId(l.root().id())).accounts().stream()
                .map(Account::id))
        .containsExactly(MANAGEMENT);
    assertThat(mgmt.listParents(r -> r.childId("111111111111")).parents().get(0).id())
        .isEqualTo(l.production().id());
    assertThat(
            mgmt.listChildren(
                    r -> r.parentId(l.root().id()).childType(ChildType.ORGANIZATIONAL_UNIT))
                .children())
        .hasSize(20); // one page
    String created =
        mgmt.createAccount(r -> r.accountName("sandbox").email("sb@example.com"))
            .createAccountStatus()
            .accountId();
    assertThat(created).matches("\\d{12}");
    assertThat(mgmt.describeAccount(r -> r.accountId(created)).account().name())
        .isEqualTo("sandbox");
  }

  @Test
  void serviceControlPoliciesAttachDetachAndEdit() {
    Layout l = layout();
    OrganizationsClient mgmt = orgs(MANAGEMENT);

    List<PolicySummary> onProduction =
        mgmt.listPoliciesForTarget(
                r -> r.targetId(l.production().id()).filter(PolicyType.SERVICE_CONTROL_POLICY))
            .policies();
    assertThat(onProduction)
        .extracting(PolicySummary::name)
        .containsExactlyInAnyOrder("FullAWSAccess", "deny-iam-user-creation");
    assertThat(onProduction).filteredOn(PolicySummary::awsManaged).hasSize(1);
    assertThat(mgmt.describePolicy(r -> r.policyId(l.scpId())).policy().content())
        .isEqualTo(DENY_IAM_USERS);
    assertThatThrownBy(
            () -> mgmt.attachPolicy(r -> r.policyId(l.scpId()).targetId(l.production().id())))
        .isInstanceOf(DuplicatePolicyAttachmentException.class);

    String edited = DENY_IAM_USERS.replace(",\"iam:CreateAccessKey\"", "");
    mgmt.updatePolicy(r -> r.policyId(l.scpId()).content(edited));
    assertThat(mgmt.describePolicy(r -> r.policyId(l.scpId())).policy().content())
        .isEqualTo(edited);

    mgmt.detachPolicy(r -> r.policyId(l.scpId()).targetId(l.production().id()));
    assertThat(
            mgmt.listPoliciesForTarget(
                    r -> r.targetId(l.production().id()).filter(PolicyType.SERVICE_CONTROL_POLICY))
                .policies())
        .extracting(PolicySummary::name)
        .containsExactly("FullAWSAccess");
    assertThat(
            mgmt.listPoliciesForTarget(
                    r -> r.targetId("111111111111").filter(PolicyType.SERVICE_CONTROL_POLICY))
                .policies())
        .extracting(PolicySummary::name)
        .containsExactly("FullAWSAccess");
    assertThatThrownBy(
            () ->
                mgmt.createPolicy(
                    r ->
                        r.name("broken")
                            .description("")
                            .type(PolicyType.SERVICE_CONTROL_POLICY)
                            .content("{not json")))
        .isInstanceOf(MalformedPolicyDocumentException.class);
  }

  @Test
  void onlyTheManagementAccountReadsAndAnAccountOutsideGetsNotInUse() {
    layout();
    assertThatThrownBy(() -> orgs("111111111111").listRoots())
        .isInstanceOf(AccessDeniedException.class);
    assertThat(orgs("111111111111").describeOrganization().organization().masterAccountId())
        .isEqualTo(MANAGEMENT);
    assertThatThrownBy(() -> orgs("222222222222").describeOrganization())
        .isInstanceOf(AwsOrganizationsNotInUseException.class);
    assertThat(TargetType.ACCOUNT.toString()).isEqualTo("ACCOUNT");
  }

  @Test
  void callsAreCountedAndThrottledLikeIams() {
    layout();
    long before = sandbox.calls(MANAGEMENT, "ListRoots");
    orgs(MANAGEMENT).listRoots();
    assertThat(sandbox.calls(MANAGEMENT, "ListRoots")).isEqualTo(before + 1);

    sandbox.faults().throttle(MANAGEMENT, "ListRoots", 1.0);
    assertThatThrownBy(() -> orgs(MANAGEMENT).listRoots())
        .isInstanceOf(TooManyRequestsException.class);
  }
}
