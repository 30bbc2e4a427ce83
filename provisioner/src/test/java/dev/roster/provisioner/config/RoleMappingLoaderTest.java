package dev.roster.provisioner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoleMappingLoaderTest {

  private static RoleMapping load(String yaml) {
    return RoleMappingLoader.load(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
  }

  private static List<String> problems(String yaml) {
    try {
      load(yaml);
    } catch (RoleMappingException e) {
      return e.problems();
    }
    throw new AssertionError("expected the mapping to be refused");
  }

  @Test
  void theShippedSampleLoadsWithItsThreeAccounts() {
    RoleMapping m = RoleMappingLoader.load(Path.of("../deploy/roles.yaml"));

    assertThat(m.accounts().keySet()).containsExactly("dev", "staging", "prod");
    assertThat(m.accounts().get("dev").assumeRole()).isEmpty();
    assertThat(m.accounts().get("prod").assumeRole())
        .contains("arn:aws:iam::333333333333:role/roster-provisioner");
    assertThat(m.desiredGroups("dev", List.of("developer")))
        .containsExactly("all-staff", "developers");
    assertThat(m.desiredGroups("dev", List.of()))
        .as("birthright alone")
        .containsExactly("all-staff");
    assertThat(m.desiredGroups("prod", List.of("developer"))).isEmpty();
    assertThat(m.ignored("prod")).containsExactly("break-glass");
    assertThat(m.privilegedReason("dev", "iam-user-managers"))
        .contains("project managers create test users in dev only");
    assertThat(m.privilegedReason("staging", "iam-user-managers")).isEmpty();
  }

  @Test
  void privilegedEntriesAreValidatedAllAtOnce() {
    assertThat(
            problems(
                """
                accounts:
                  dev: { id: "111111111111" }
                roles:
                  pm: { dev: [iam-user-managers] }
                privileged:
                  - { group: iam-user-managers, account: dev }
                  - { group: iam-user-managers, account: dve, reason: "x" }
                  - { group: admins, account: dev, reason: "x" }
                  - { group: iam-user-managers, account: dev, reason: "x", until: never }
                """))
        .containsExactly(
            "privileged[0].reason: required (why members of this group may hold IAM access)",
            "privileged[1].account: unknown account 'dve' (known: dev)",
            "privileged[2].group: 'admins' is not granted in account dev by birthright or any role",
            "privileged[3]: unknown key 'until'",
            "privileged[3]: group 'iam-user-managers' in dev is listed twice");
    assertThat(
            problems(
                """
                accounts:
                  dev: { id: "111111111111" }
                privileged: { group: g, account: dev, reason: "x" }
                """))
        .containsExactly(
            "privileged: expected a list of {group: <group>, account: <account>, reason: \"...\"}");
  }

  @Test
  void anUnknownAccountIsRefusedNamingWhere() {
    assertThat(
            problems(
                """
                accounts:
                  dev: { id: "111111111111" }
                roles:
                  developer: { dve: [developers] }
                """))
        .containsExactly("roles.developer.dve: unknown account 'dve' (known: dev)");
  }

  @Test
  void anEmptyGroupNameIsRefused() {
    assertThat(
            problems(
                """
                accounts:
                  dev: { id: "111111111111" }
                birthright:
                  dev: [all-staff, ""]
                """))
        .containsExactly("birthright.dev: empty group name");
  }

  @Test
  void aDuplicateKeyIsRefusedWithItsLine() {
    assertThat(
            problems(
                """
                accounts:
                  dev: { id: "111111111111" }
                roles:
                  developer: { dev: [developers] }
                  developer: { dev: [admins] }
                """))
        .singleElement()
        .asString()
        .startsWith("duplicate key 'developer'")
        .contains("line 5");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    accounts:
                      dev: { id: 111111111111 }
                      prod: { id: "333333333333", assumeRole: "arn:aws:iam::444444444444:role/x" }
                    birthrigth:
                      dev: [all-staff]
                    ignoredGroups:
                      prod: [operators]
                    roles:
                      sre: { prod: [operators] }
                    """))
        .isInstanceOf(RoleMappingException.class)
        .hasMessageContaining("accounts.dev.id: must be a quoted 12-digit AWS account id")
        .hasMessageContaining("role is in account 444444444444, not 333333333333")
        .hasMessageContaining("unknown key 'birthrigth'")
        .hasMessageContaining("'operators' is also granted");
  }

  @Test
  void anOrganizationNamesItsManagementAccountAndTheExpectedLayoutByAccountName() {
    RoleMapping m = RoleMappingLoader.load(Path.of("src/test/resources/roles-review.yaml"));

    assertThat(m.organization())
        .hasValueSatisfying(o -> assertThat(o.management()).isEqualTo("dev"));
    assertThat(m.expectedLayout().ous()).containsOnlyKeys("Production", "Staging");
    assertThat(m.expectedLayout().ous().get("Production").accounts())
        .containsExactly("333333333333");
    assertThat(m.expectedLayout().scpsOf("Staging")).containsExactly("deny-iam-user-creation");
    assertThat(RoleMappingLoader.load(Path.of("../deploy/roles.yaml")).organization())
        .as("the sample's organization is a commented example")
        .isEmpty();
  }

  @Test
  void organizationProblemsAreReportedAllAtOnce() {
    assertThat(
            problems(
                """
                accounts:
                  dev: { id: "111111111111" }
                  prod: { id: "333333333333" }
                organization:
                  managment: dev
                  ous:
                    Production: { accounts: [prod, prd], scps: [deny, deny, ""], extra: 1 }
                    Other: { accounts: [prod] }
                    Bad: [prod]
                """))
        .containsExactlyInAnyOrder(
            "organization: unknown key 'managment'",
            "organization.management: required (the mapped account that is the organization's"
                + " management account)",
            "organization.ous.Production: unknown key 'extra'",
            "organization.ous.Production.accounts: unknown account 'prd' (known: dev, prod)",
            "organization.ous.Production.scps: 'deny' is listed twice",
            "organization.ous.Production.scps: empty name",
            "organization.ous.Other.accounts: 'prod' is already in OU Production",
            "organization.ous.Bad: expected {accounts: [...], scps: [...]}");
    assertThat(
            problems(
                """
                accounts:
                  dev: { id: "111111111111" }
                organization: { management: root }
                """))
        .containsExactly("organization.management: unknown account 'root' (known: dev)");
  }

  @Test
  void theOwnCredentialsMustBelongToEveryAccountReachedWithoutAssumeRole() {
    RoleMapping sample = RoleMappingLoader.load(Path.of("../deploy/roles.yaml"));
    assertThat(sample.homeAccountMismatch("111111111111")).isEmpty();
    assertThat(sample.homeAccountMismatch("999999999999"))
        .contains(
            "account dev is mapped as 111111111111 and is reached without assumeRole, but the"
                + " provisioner's own credentials belong to account 999999999999: its changes would"
                + " land in the wrong account");
    // Two accounts without assumeRole cannot both be the credentials' account.
    RoleMapping two =
        load(
            """
            accounts:
              dev: { id: "111111111111" }
              staging: { id: "222222222222" }
            """);
    assertThat(two.homeAccountMismatch("111111111111"))
        .hasValueSatisfying(m -> assertThat(m).startsWith("account staging is mapped as"));
  }
}
