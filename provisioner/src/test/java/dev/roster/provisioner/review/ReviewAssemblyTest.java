package dev.roster.provisioner.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.events.FindingKind;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.Review;
import dev.roster.policy.DenyAllVerdict;
import dev.roster.policy.review.AccessKey;
import dev.roster.policy.review.AccountFacts;
import dev.roster.policy.review.FindingIds;
import dev.roster.policy.review.HygieneReview;
import dev.roster.policy.review.ReviewedUser;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMappingLoader;
import dev.roster.provisioner.guard.PrivilegeGuard;
import dev.roster.provisioner.iam.IamGateway.ReviewCredentials;
import dev.roster.provisioner.plan.Tags;
import dev.roster.provisioner.plan.UserState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a review read, assembled into the policy module's facts and the status records. */
class ReviewAssemblyTest {
  static final RoleMapping MAPPING = RoleMappingLoader.load(Path.of("../deploy/roles.yaml"));
  static final RoleMapping.Account DEV = MAPPING.accounts().get("dev");
  static final RoleMapping.Account PROD = MAPPING.accounts().get("prod");
  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  static final ReviewCredentials NONE = new ReviewCredentials(false, 0, List.of(), 0, 0, 0);

  static UserState user(String name, Map<String, String> tags, String... groups) {
    return UserState.basic(name, tags, Set.of(groups), Set.of(), Set.of());
  }

  static Map<String, String> roster(String employee) {
    return Map.of(Tags.MANAGED_BY, Tags.MANAGED_BY_ROSTER, Tags.EMPLOYEE_ID, employee);
  }

  @Test
  void onlyUsersRosterOwnsAreReviewedAsForEvents() {
    List<UserState> users =
        List.of(
            user("mine", roster("E1")),
            user("no-tags", Map.of()),
            user("other-manager", Map.of(Tags.MANAGED_BY, "terraform", Tags.EMPLOYEE_ID, "E2")),
            user("no-employee", Map.of(Tags.MANAGED_BY, Tags.MANAGED_BY_ROSTER)));

    assertThat(ReviewAssembly.owned(users)).extracting(UserState::userName).containsExactly("mine");
  }

  @Test
  void anActiveUserMayHoldEveryGroupTheMappingGrantsThereALeaverNone() {
    Map<String, String> leaverTags = new HashMap<>(roster("E2"));
    leaverTags.put(Tags.STATUS, Tags.STATUS_DEACTIVATED);
    UserState active = user("active", roster("E1"), "developers", "iam-user-managers", "ops");
    UserState leaver = user("leaver", leaverTags, "developers");
    DenyAllVerdict open = ReviewAssembly.cutOff(Map.of("s3:GetObject", "allowed"));

    AccountFacts facts =
        ReviewAssembly.facts(
            MAPPING,
            DEV,
            List.of(active, leaver),
            Map.of("active", NONE, "leaver", NONE),
            Map.of(),
            Map.of("leaver", open));

    assertThat(facts.accountId()).isEqualTo("111111111111");
    ReviewedUser a = facts.users().get(0);
    assertThat(a.expectedGroups())
        .containsExactlyInAnyOrder("all-staff", "developers", "iam-user-managers");
    assertThat(a.deactivated()).isFalse();
    assertThat(a.cutOff()).isEmpty();
    ReviewedUser l = facts.users().get(1);
    assertThat(l.deactivated()).isTrue();
    assertThat(l.expectedGroups()).isEmpty();
    assertThat(l.cutOff()).contains(open);
    // Through the policy module: the active user's extra group, the leaver's every group.
    assertThat(HygieneReview.defaults().review("r", List.of(facts), NOW))
        .extracting(f -> f.kind().wireName() + " " + f.subject())
        .contains(
            "unmapped-group group:ops@active",
            "unmapped-group group:developers@leaver",
            "cut-off-not-verified leaver")
        .doesNotContain("unmapped-group group:developers@active");
  }

  @Test
  void credentialsAndTheConsolePasswordsLastUseReachTheFacts() {
    Instant used = Instant.parse("2026-11-30T08:00:00Z");
    AccessKey key = AccessKey.active("AKIA1", Instant.parse("2026-01-01T00:00:00Z"), used);
    ReviewCredentials read = new ReviewCredentials(true, 1, List.of(key), 2, 3, 1);

    ReviewedUser u =
        ReviewAssembly.facts(
                MAPPING,
                PROD,
                List.of(user("u", roster("E1"), "operators")),
                Map.of("u", read),
                Map.of("u", used),
                Map.of())
            .users()
            .get(0);

    assertThat(u.loginProfile()).isTrue();
    assertThat(u.passwordLastUsed()).contains(used);
    assertThat(u.mfaDevices()).isEqualTo(1);
    assertThat(u.accessKeys()).containsExactly(key);
    assertThat(u.activeSshKeys()).isEqualTo(2);
    assertThat(u.activeServiceCredentials()).isEqualTo(3);
    assertThat(u.activeSigningCertificates()).isEqualTo(1);
    assertThat(u.employeeId()).isEqualTo("E1");
  }

  @Test
  void aUserWhoseCredentialsWereNotReadIsAnErrorNotAnEmptyFinding() {
    assertThatThrownBy(
            () ->
                ReviewAssembly.facts(
                    MAPPING, DEV, List.of(user("u", roster("E1"))), Map.of(), Map.of(), Map.of()))
        .hasMessageContaining("no credentials read for user u");
  }

  @Test
  void aSimulationIsVerifiedOnlyWhenEverySensitiveActionIsExplicitlyDenied() {
    Map<String, String> all = new HashMap<>();
    DenyAllVerdict.SENSITIVE_ACTIONS.forEach(a -> all.put(a, "explicitDeny"));
    assertThat(ReviewAssembly.cutOff(all).deniedEverything()).isTrue();
    all.remove("s3:GetObject");
    assertThat(ReviewAssembly.cutOff(all).notDenied()).containsExactly("s3:GetObject");
    assertThat(ReviewAssembly.unverifiable().notDenied())
        .containsExactlyElementsOf(DenyAllVerdict.SENSITIVE_ACTIONS);
  }

  @Test
  void anEscalatingGroupNotMarkedPrivilegedIsAFindingWithAStableId() {
    List<PrivilegeGuard.Judgement> judged =
        List.of(
            new PrivilegeGuard.Judgement(
                "dev", "ops", Optional.of("group ops lets its members escalate"), Optional.empty()),
            new PrivilegeGuard.Judgement("dev", "developers", Optional.empty(), Optional.empty()),
            new PrivilegeGuard.Judgement(
                "dev", "broken", Optional.empty(), Optional.of("AccessDenied")));

    List<Review.Finding> found = ReviewAssembly.privilegedGroups("r1", DEV, judged, NOW);

    assertThat(found)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(FindingKind.PRIVILEGED_GROUP);
              assertThat(f.account()).isEqualTo("111111111111");
              assertThat(f.subject()).isEqualTo("group:ops");
              assertThat(f.findingId())
                  .isEqualTo(
                      FindingIds.of(FindingKind.PRIVILEGED_GROUP, "111111111111", "group:ops"));
              assertThat(f.employeeId()).isNull();
              assertThat(f.observedAt().toInstant()).isEqualTo(NOW);
            });
  }

  @Test
  void theFinalStatusCountsPerKindAndNamesWhatWasNotReviewed() {
    Review.Finding f =
        ReviewAssembly.privilegedGroups(
                "r1",
                DEV,
                List.of(
                    new PrivilegeGuard.Judgement("dev", "ops", Optional.of("x"), Optional.empty())),
                NOW)
            .get(0);
    Instant end = NOW.plusSeconds(3);

    Review done =
        ReviewAssembly.last("r1", NOW, end, List.of("111111111111"), List.of(f, f), List.of());
    assertThat(done.status()).isEqualTo(ReconciliationStatus.COMPLETED);
    assertThat(done.counts()).containsExactly(Map.entry("privileged-group", 2));
    assertThat(done.completedAt().toInstant()).isEqualTo(end);
    assertThat(done.reason()).isNull();

    Review failed =
        ReviewAssembly.last(
            "r1", NOW, end, List.of(), List.of(), List.of("account staging (222222222222): boom"));
    assertThat(failed.status()).isEqualTo(ReconciliationStatus.FAILED);
    assertThat(failed.reason()).isEqualTo("not reviewed: account staging (222222222222): boom");
    assertThat(failed.counts()).isEmpty();
    assertThat(ReviewAssembly.running("r1", NOW, List.of("1")).status())
        .isEqualTo(ReconciliationStatus.RUNNING);
    assertThat(ReviewAssembly.distinct(List.of(f, f))).hasSize(1);
  }
}
