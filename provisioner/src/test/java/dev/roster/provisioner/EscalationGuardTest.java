package dev.roster.provisioner;

import static dev.roster.provisioner.SandboxAccounts.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.events.AccountOutcome;
import dev.roster.events.AccountState;
import dev.roster.events.ChangeStatus;
import dev.roster.events.EventType;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.provisioner.Provisioner.Result;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.guard.PrivilegeGuard;
import dev.roster.provisioner.iam.UserIndex;
import dev.roster.provisioner.journal.Journal;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * The escalation guard reads the mapped groups' policies from the IAM sandbox through the real SDK
 * (inline, attached managed at their default version) and refuses to add anyone to an escalating
 * group the mapping does not mark privileged.
 */
class EscalationGuardTest {
  static final String ROLES =
      "birthright:\n  dev: [all-staff]\n"
          + "roles:\n"
          + "  project-manager: { dev: [iam-user-managers], staging: [readonly] }\n"
          + "  deployer: { dev: [deployers] }\n"
          + "  tester: { staging: [readonly] }\n";

  static final RoleMapping UNMARKED = SandboxAccounts.mapping(ROLES);
  static final RoleMapping MARKED =
      SandboxAccounts.mapping(
          ROLES
              + "privileged:\n"
              + "  - { group: iam-user-managers, account: dev,"
              + " reason: \"project managers create test users in dev only\" }\n");

  /** Like the AWS managed IAMFullAccess. */
  static final String IAM_FULL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":[\"iam:*\",\"organizations:DescribeAccount\"],\"Resource\":\"*\"}]}";

  static final String READ_ONLY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":[\"iam:Get*\",\"iam:List*\",\"s3:GetObject\"],\"Resource\":\"*\"}]}";

  static final String PASS_ROLE_LAMBDA =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
          + "[\"iam:PassRole\",\"lambda:CreateFunction\",\"lambda:InvokeFunction\"],"
          + "\"Resource\":\"*\"}]}";

  static SandboxAccounts aws;

  @BeforeAll
  static void start() {
    aws = new SandboxAccounts();
    IamClient dev = aws.dev;
    dev.createGroup(r -> r.groupName("all-staff"));
    dev.putGroupPolicy(r -> r.groupName("all-staff").policyName("read").policyDocument(READ_ONLY));
    dev.createGroup(r -> r.groupName("iam-user-managers"));
    String iamFull =
        dev.createPolicy(r -> r.policyName("iam-full").policyDocument(IAM_FULL)).policy().arn();
    dev.attachGroupPolicy(r -> r.groupName("iam-user-managers").policyArn(iamFull));
    dev.createGroup(r -> r.groupName("deployers"));
    dev.putGroupPolicy(
        r -> r.groupName("deployers").policyName("deploy").policyDocument(PASS_ROLE_LAMBDA));
    aws.staging.createGroup(r -> r.groupName("readonly"));
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  static Provisioner provisioner(RoleMapping mapping, PrivilegeGuard guard) {
    return new Provisioner(
        mapping,
        aws.gateway,
        new UserIndex(aws.gateway),
        Journal.NONE,
        Clock.systemUTC(),
        Runnable::run,
        Runnable::run,
        1,
        CutOffVerifier.of(aws.gateway),
        guard);
  }

  @Test
  void theReviewFindsTheEscalatingGroupsFromInlineAndDefaultManagedPolicies() {
    PrivilegeGuard guard = new PrivilegeGuard(UNMARKED, aws.gateway).review();

    assertThat(guard.refusal("dev", "iam-user-managers"))
        .hasValueSatisfying(
            r -> assertThat(r).contains("CreateAccessKey", "AttachUserPolicy", "not mark"));
    assertThat(guard.refusal("dev", "deployers"))
        .hasValueSatisfying(r -> assertThat(r).contains("PassRole+Lambda"));
    assertThat(guard.refusal("dev", "all-staff")).isEmpty();
    assertThat(guard.refusal("staging", "readonly")).isEmpty();
    assertThat(guard.refusal("dev", "no-such-group")).as("missing: not judged").isEmpty();
  }

  @Test
  void anUnmarkedEscalatingGroupIsNeverGrantedAndNothingIsAppliedAnywhere() {
    PrivilegeGuard guard = new PrivilegeGuard(UNMARKED, aws.gateway).review();

    Result result =
        provisioner(UNMARKED, guard)
            .process(
                event("eg-1", EventType.HIRE, "EG1", "2026-03-01T09:00:00Z", "project-manager"));

    assertThat(result.outcome().outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.dlqReason()).isEqualTo(DlqReason.PRIVILEGED_GROUP);
    assertThat(DlqReason.PRIVILEGED_GROUP.wireName()).isEqualTo("privileged-group");
    assertThat(result.outcome().reason()).startsWith("account dev: privileged-group: ");
    Map<String, AccountOutcome> accounts =
        result.outcome().accounts().stream()
            .collect(Collectors.toMap(AccountOutcome::name, a -> a));
    assertThat(accounts.get("dev").state()).isEqualTo(AccountState.FAILED);
    assertThat(accounts.get("staging").state()).isEqualTo(AccountState.FAILED);
    assertThat(accounts.get("staging").reason()).contains("held: account dev");
    assertThat(result.changes()).isEmpty();
    assertThatThrownBy(() -> aws.dev.getUser(r -> r.userName("eg1")))
        .isInstanceOf(NoSuchEntityException.class);
    assertThatThrownBy(() -> aws.staging.getUser(r -> r.userName("eg1")))
        .isInstanceOf(NoSuchEntityException.class);
  }

  @Test
  void aGroupMarkedPrivilegedIsGranted() {
    PrivilegeGuard guard = new PrivilegeGuard(MARKED, aws.gateway).review();

    Result result =
        provisioner(MARKED, guard)
            .process(
                event("eg-2", EventType.HIRE, "EG2", "2026-03-01T09:00:00Z", "project-manager"));

    assertThat(result.outcome().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(aws.dev.listGroupsForUser(r -> r.userName("eg2")).groups())
        .extracting(g -> g.groupName())
        .containsExactlyInAnyOrder("all-staff", "iam-user-managers");
    // The marking covers that group in that account only.
    assertThat(guard.refusal("dev", "deployers")).isPresent();
    // The grant of the marked group carries the mapping's reason (the auditor's privileged_grant);
    // every other change of the hire (the user, all-staff, readonly in staging) carries none.
    List<IamChange> grants =
        result.changes().stream().filter(c -> c.privilegedReason() != null).toList();
    assertThat(grants)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.action()).isEqualTo("AddUserToGroup");
              assertThat(c.target()).isEqualTo("iam-user-managers");
              assertThat(c.account()).isEqualTo(MARKED.accounts().get("dev").id());
              assertThat(c.status()).isEqualTo(ChangeStatus.APPLIED);
              assertThat(c.privilegedReason())
                  .isEqualTo("project managers create test users in dev only");
            });
    assertThat(result.changes())
        .filteredOn(c -> c.privilegedReason() == null)
        .extracting(IamChange::target)
        .contains("all-staff", "readonly");
  }

  @Test
  void aGroupNotReviewedAtStartUpIsReadWhenFirstGrantedAndAnUnreadableOneIsRefused() {
    PrivilegeGuard unreviewed = new PrivilegeGuard(UNMARKED, aws.gateway);
    assertThat(unreviewed.refusal("dev", "iam-user-managers")).isPresent();

    // No client for that account: its groups cannot be read, so nobody is added to them.
    RoleMapping other =
        dev.roster.provisioner.config.RoleMappingLoader.load(
            new java.io.ByteArrayInputStream(
                ("accounts:\n  qa: { id: \"444444444444\" }\nroles:\n  x: { qa: [anything] }\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            "test");
    PrivilegeGuard blind = new PrivilegeGuard(other, aws.gateway).review();
    assertThat(blind.refusal("qa", "anything"))
        .hasValueSatisfying(r -> assertThat(r).contains("could not be read"));
  }

  @Test
  void aRoleChangeIntoAnUnmarkedGroupStillCutsOffTheAccountItTakesAway() {
    PrivilegeGuard guard = new PrivilegeGuard(UNMARKED, aws.gateway).review();
    Provisioner p = provisioner(UNMARKED, guard);
    p.process(event("eg-3", EventType.HIRE, "EG3", "2026-03-01T09:00:00Z", "tester"));

    Result move =
        p.process(event("eg-4", EventType.ROLE_CHANGE, "EG3", "2026-03-02T09:00:00Z", "deployer"));

    assertThat(move.dlqReason()).isEqualTo(DlqReason.PRIVILEGED_GROUP);
    Map<String, AccountOutcome> accounts =
        move.outcome().accounts().stream().collect(Collectors.toMap(AccountOutcome::name, a -> a));
    assertThat(accounts.get("dev").state()).isEqualTo(AccountState.FAILED);
    assertThat(accounts.get("dev").reason()).startsWith("privileged-group: group deployers");
    assertThat(accounts.get("staging").state()).isEqualTo(AccountState.COMPLETED);
    assertThat(accounts.get("staging").cutOffVerified()).isTrue();
    assertThat(aws.staging.listUserPolicies(r -> r.userName("eg3")).policyNames())
        .contains(dev.roster.provisioner.plan.Tags.DENY_ALL_POLICY);
    assertThat(aws.dev.listGroupsForUser(r -> r.userName("eg3")).groups())
        .extracting(g -> g.groupName())
        .containsExactly("all-staff");
  }
}
