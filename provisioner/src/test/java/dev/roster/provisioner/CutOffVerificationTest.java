package dev.roster.provisioner;

import static dev.roster.provisioner.SandboxAccounts.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.events.AccountOutcome;
import dev.roster.events.AccountState;
import dev.roster.events.EventType;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.guard.PrivilegeGuard;
import dev.roster.provisioner.iam.IamFailure;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.iam.UserIndex;
import dev.roster.provisioner.journal.Journal;
import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * After a leave's deny-all, IAM's own SimulatePrincipalPolicy (the sandbox's evaluator, through the
 * real SDK) is asked whether the user is denied every sensitive action; the outcome carries the
 * answer per account and a failed verification counts as an alert.
 */
class CutOffVerificationTest {
  static final RoleMapping MAPPING =
      SandboxAccounts.mapping("roles:\n  developer: { dev: [developers], staging: [readonly] }\n");

  /** The deny-all with one action exempted, as someone might edit it by hand. */
  static final String ALTERED =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
          + "\"NotAction\":\"s3:GetObject\",\"Resource\":\"*\"}]}";

  static SandboxAccounts aws;

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeAll
  static void start() {
    aws = new SandboxAccounts();
    aws.dev.createGroup(r -> r.groupName("developers"));
    aws.staging.createGroup(r -> r.groupName("readonly"));
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  Provisioner provisioner(IamGateway iam) {
    return new Provisioner(
        MAPPING,
        iam,
        new UserIndex(iam),
        Journal.NONE,
        Clock.systemUTC(),
        Runnable::run,
        Runnable::run,
        1,
        new CutOffVerifier(iam, registry),
        PrivilegeGuard.NONE);
  }

  /** The gateway, calling {@code afterDenyAll} (account name) once the deny-all was applied. */
  static IamGateway withHook(IamGateway iam, Consumer<String> afterDenyAll) {
    return (IamGateway)
        Proxy.newProxyInstance(
            IamGateway.class.getClassLoader(),
            new Class<?>[] {IamGateway.class},
            (proxy, method, args) -> {
              Object result;
              try {
                result = method.invoke(iam, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (method.getName().equals("apply")
                  && args[1] instanceof Operation op
                  && Tags.DENY_ALL_POLICY.equals(op.target())) {
                afterDenyAll.accept((String) args[0]);
              }
              return result;
            });
  }

  /** The sandbox's gateway, throwing {@code failure} from {@code method} when {@code when}. */
  static IamGateway failingWhere(
      String method, java.util.function.Predicate<Object[]> when, IamFailure failure) {
    return (IamGateway)
        Proxy.newProxyInstance(
            IamGateway.class.getClassLoader(),
            new Class<?>[] {IamGateway.class},
            (proxy, m, args) -> {
              if (m.getName().equals(method) && when.test(args)) {
                throw failure;
              }
              try {
                return m.invoke(aws.gateway, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  static Map<String, AccountOutcome> byName(ProvisioningOutcome outcome) {
    return outcome.accounts().stream().collect(Collectors.toMap(AccountOutcome::name, a -> a));
  }

  double unverified() {
    return registry.counter(CutOffVerifier.METRIC).count();
  }

  @Test
  void aLeaveIsVerifiedCutOffInEveryAccount() {
    Provisioner p = provisioner(aws.gateway);
    ProvisioningOutcome hire =
        p.process(event("cv-1", EventType.HIRE, "CV1", "2026-03-01T09:00:00Z", "developer"))
            .outcome();
    assertThat(hire.accounts()).allSatisfy(a -> assertThat(a.cutOffVerified()).isNull());

    ProvisioningOutcome leave =
        p.process(event("cv-2", EventType.LEAVE, "CV1", "2026-03-02T09:00:00Z")).outcome();

    assertThat(leave.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(leave.accounts())
        .hasSize(2)
        .allSatisfy(
            a -> {
              assertThat(a.state()).isEqualTo(AccountState.COMPLETED);
              assertThat(a.cutOffVerified()).isTrue();
            });
    assertThat(unverified()).isZero();
  }

  /** The reads a leave's full read makes and its cut-off must not wait for. */
  static final java.util.List<String> FULL_READS =
      java.util.List.of(
          "ListGroupsForUser",
          "ListAttachedUserPolicies",
          "GetLoginProfile",
          "ListAccessKeys",
          "ListSSHPublicKeys",
          "ListServiceSpecificCredentials",
          "ListSigningCertificates",
          "ListMFADevices",
          // Part of the full read; the cut-off of a user not yet deactivated needs GetUser only.
          "ListUserPolicies");

  @Test
  void aLeavesDenyAllComesBeforeItsFullReadThroughTheSdk() {
    provisioner(aws.gateway)
        .process(event("cv-7", EventType.HIRE, "CV7", "2026-03-01T09:00:00Z", "developer"));
    Map<String, String> ids =
        Map.of("dev", SandboxAccounts.DEV, "staging", SandboxAccounts.STAGING);
    Map<String, Long> before = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, Long> atDenyAll = new java.util.concurrent.ConcurrentHashMap<>();
    ids.forEach(
        (name, id) ->
            FULL_READS.forEach(a -> before.put(name + " " + a, aws.sandbox.calls(id, a))));
    Map<String, Long> getUsers = new java.util.concurrent.ConcurrentHashMap<>();
    ids.forEach((name, id) -> getUsers.put(name, aws.sandbox.calls(id, "GetUser")));
    IamGateway watched =
        withHook(
            aws.gateway,
            account -> {
              FULL_READS.forEach(
                  a -> atDenyAll.put(account + " " + a, aws.sandbox.calls(ids.get(account), a)));
              getUsers.compute(
                  account, (a, n) -> aws.sandbox.calls(ids.get(account), "GetUser") - n);
            });

    ProvisioningOutcome leave =
        provisioner(watched)
            .process(event("cv-8", EventType.LEAVE, "CV7", "2026-03-02T09:00:00Z"))
            .outcome();

    assertThat(leave.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(atDenyAll).as("no full read before the deny-all").isEqualTo(before);
    assertThat(getUsers)
        .as("the cut-off's one read: GetUser, once per account")
        .isEqualTo(Map.of("dev", 1L, "staging", 1L));
    ids.forEach(
        (name, id) ->
            assertThat(aws.sandbox.calls(id, "ListAccessKeys"))
                .as(name + ": the full read followed")
                .isGreaterThan(before.get(name + " ListAccessKeys")));
  }

  @Test
  void aDenyAllAlteredByHandIsNotVerifiedAndCountsAsAnAlert() {
    provisioner(aws.gateway)
        .process(event("cv-3", EventType.HIRE, "CV2", "2026-03-01T09:00:00Z", "developer"));
    IamGateway tampered =
        withHook(
            aws.gateway,
            account -> {
              if (account.equals("dev")) {
                aws.dev.putUserPolicy(
                    r ->
                        r.userName("cv2").policyName(Tags.DENY_ALL_POLICY).policyDocument(ALTERED));
              }
            });

    ProvisioningOutcome leave =
        provisioner(tampered)
            .process(event("cv-4", EventType.LEAVE, "CV2", "2026-03-02T09:00:00Z"))
            .outcome();

    Map<String, AccountOutcome> accounts = byName(leave);
    assertThat(accounts.get("dev").cutOffVerified()).isFalse();
    assertThat(accounts.get("dev").state())
        .as("an alert, not a state")
        .isEqualTo(AccountState.COMPLETED);
    assertThat(accounts.get("staging").cutOffVerified()).isTrue();
    assertThat(unverified()).isEqualTo(1.0);
  }

  @Test
  void aRedeliveredLeavePutsBackADenyAllAlteredSinceAndVerifiesIt() {
    Provisioner p = provisioner(aws.gateway);
    p.process(event("cv-5", EventType.HIRE, "CV3", "2026-03-01T09:00:00Z", "developer"));
    p.process(event("cv-6", EventType.LEAVE, "CV3", "2026-03-02T09:00:00Z"));
    aws.staging.putUserPolicy(
        r -> r.userName("cv3").policyName(Tags.DENY_ALL_POLICY).policyDocument(ALTERED));

    Provisioner.Result again =
        p.process(event("cv-6", EventType.LEAVE, "CV3", "2026-03-02T09:00:00Z"));

    // An edited deny-all counts as absent: Roster's is put back (replacing it), then verified.
    Map<String, AccountOutcome> accounts = byName(again.outcome());
    assertThat(accounts.get("dev").cutOffVerified()).isTrue();
    assertThat(accounts.get("staging").cutOffVerified()).isTrue();
    assertThat(again.changes())
        .filteredOn(c -> c.account().equals(accounts.get("staging").account()))
        .extracting(c -> c.action() + " " + c.target())
        .contains("PutUserPolicy " + Tags.DENY_ALL_POLICY);
    assertThat(
            Tags.isDenyAllDocument(
                aws.staging
                    .getUserPolicy(r -> r.userName("cv3").policyName(Tags.DENY_ALL_POLICY))
                    .policyDocument()))
        .isTrue();
    assertThat(unverified()).isZero();
  }

  @Test
  void aSimulationThatCannotBeRunIsNotAVerification() {
    provisioner(aws.gateway)
        .process(event("cv-7", EventType.HIRE, "CV4", "2026-03-01T09:00:00Z", "developer"));
    IamGateway failing =
        failingWhere(
            "simulate",
            args -> true,
            new IamFailure(
                "SimulatePrincipalPolicy",
                "AccessDenied",
                "req-1",
                false,
                1,
                "not authorized to perform iam:SimulatePrincipalPolicy",
                null));

    ProvisioningOutcome leave =
        provisioner(failing)
            .process(event("cv-8", EventType.LEAVE, "CV4", "2026-03-02T09:00:00Z"))
            .outcome();

    assertThat(leave.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(leave.accounts()).allSatisfy(a -> assertThat(a.cutOffVerified()).isFalse());
    assertThat(unverified()).isEqualTo(2.0);
  }

  @Test
  void anAccountCutOffBeforeItsFullReadFailedIsVerifiedToo() {
    provisioner(aws.gateway)
        .process(event("cv-9", EventType.HIRE, "CV9", "2026-03-01T09:00:00Z", "developer"));
    IamGateway stagingUnreadable =
        failingWhere(
            "readUser",
            args -> "staging".equals(args[0]) && Boolean.TRUE.equals(args[2]),
            new IamFailure(
                "ListAccessKeys", "ServiceFailure", "req-9", true, 8, "IAM is down", null));

    ProvisioningOutcome leave =
        provisioner(stagingUnreadable)
            .process(event("cv-10", EventType.LEAVE, "CV9", "2026-03-02T09:00:00Z"))
            .outcome();

    Map<String, AccountOutcome> accounts = byName(leave);
    assertThat(accounts.get("staging").state()).isEqualTo(AccountState.CUT_OFF);
    assertThat(accounts.get("staging").cutOffVerified())
        .as("the deny-all put before the failed read is verified like any other")
        .isTrue();
    assertThat(accounts.get("dev").cutOffVerified()).isTrue();
    assertThat(unverified()).isZero();
  }
}
