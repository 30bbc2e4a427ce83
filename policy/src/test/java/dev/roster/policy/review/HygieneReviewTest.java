package dev.roster.policy.review;

import static dev.roster.events.FindingKind.CONSOLE_WITHOUT_MFA;
import static dev.roster.events.FindingKind.CUT_OFF_NOT_VERIFIED;
import static dev.roster.events.FindingKind.DIRECT_POLICY;
import static dev.roster.events.FindingKind.LEAVER_WITH_ACTIVE_CREDENTIAL;
import static dev.roster.events.FindingKind.MULTIPLE_ACTIVE_KEYS;
import static dev.roster.events.FindingKind.OLD_ACCESS_KEY;
import static dev.roster.events.FindingKind.UNMAPPED_GROUP;
import static dev.roster.events.FindingKind.UNUSED_ACCESS_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.events.FindingKind;
import dev.roster.events.Review;
import dev.roster.policy.DenyAllVerdict;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The hygiene rules, one planted fact per row, with the negative of each. */
class HygieneReviewTest {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  static final String DEV = "111111111111";
  static final Set<String> IGNORED = Set.of("break-glass");
  static final String KEY = "AKIAKEY0000000000001";
  static final String OTHER_KEY = "AKIAKEY0000000000002";
  static final DenyAllVerdict VERIFIED =
      DenyAllVerdict.fromSimulation(Map.of("s3:GetObject", "explicitDeny"));
  static final DenyAllVerdict NOT_VERIFIED =
      DenyAllVerdict.fromSimulation(
          Map.of("s3:GetObject", "explicitDeny", "sts:AssumeRole", "implicitDeny"));

  static Instant daysAgo(long days) {
    return NOW.minus(Duration.ofDays(days));
  }

  /**
   * An active user with nothing to report: console with MFA, one fresh key in use, mapped groups.
   */
  static ReviewedUser.Builder clean() {
    return ReviewedUser.builder("alice", "E100")
        .loginProfile(daysAgo(1))
        .mfaDevices(1)
        .accessKeys(AccessKey.active(KEY, daysAgo(10), daysAgo(1)))
        .groups("developers", "all-staff")
        .expectedGroups("developers", "all-staff");
  }

  /** A leaver as Roster leaves one: deny-all, nothing active, no groups. */
  static ReviewedUser.Builder cleanLeaver() {
    return ReviewedUser.builder("bob", "E200")
        .deactivated(true)
        .inlinePolicies(HygieneReview.DENY_ALL_POLICY)
        .accessKeys(AccessKey.inactive(KEY, daysAgo(400), daysAgo(200)))
        .cutOff(VERIFIED);
  }

  static Arguments row(
      String name,
      ReviewedUser.Builder base,
      UnaryOperator<ReviewedUser.Builder> plant,
      String... expected) {
    return Arguments.of(name, plant.apply(base).build(), List.of(expected));
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        row("clean active user", clean(), b -> b),
        row("clean leaver", cleanLeaver(), b -> b),
        // console without MFA
        row("console password, no MFA", clean(), b -> b.mfaDevices(0), "console-without-mfa alice"),
        row(
            "console password never used, no MFA",
            clean(),
            b -> b.loginProfile(null).mfaDevices(0),
            "console-without-mfa alice"),
        row("no console password, no MFA", clean(), b -> b.noLoginProfile().mfaDevices(0)),
        row("console password with two MFA devices", clean(), b -> b.mfaDevices(2)),
        // old access key: more than 90 days
        row(
            "active key created 90 days and a second ago",
            clean(),
            b -> b.accessKeys(AccessKey.active(KEY, daysAgo(90).minusSeconds(1), daysAgo(1))),
            "old-access-key " + KEY),
        row(
            "active key created exactly 90 days ago",
            clean(),
            b -> b.accessKeys(AccessKey.active(KEY, daysAgo(90), daysAgo(1)))),
        row(
            "inactive key created 400 days ago",
            clean(),
            b -> b.accessKeys(AccessKey.inactive(KEY, daysAgo(400), null))),
        // unused access key: 45 days or more
        row(
            "active key last used exactly 45 days ago",
            clean(),
            b -> b.accessKeys(AccessKey.active(KEY, daysAgo(60), daysAgo(45))),
            "unused-access-key " + KEY),
        row(
            "active key last used 45 days less a second ago",
            clean(),
            b -> b.accessKeys(AccessKey.active(KEY, daysAgo(60), daysAgo(45).plusSeconds(1)))),
        row(
            "active key never used, created exactly 45 days ago",
            clean(),
            b -> b.accessKeys(AccessKey.active(KEY, daysAgo(45), null)),
            "unused-access-key " + KEY),
        row(
            "active key never used, created 44 days ago",
            clean(),
            b -> b.accessKeys(AccessKey.active(KEY, daysAgo(44), null))),
        row(
            "inactive key unused for a year",
            clean(),
            b -> b.accessKeys(AccessKey.inactive(KEY, daysAgo(30), null))),
        row(
            "active key old and unused",
            clean(),
            b -> b.accessKeys(AccessKey.active(KEY, daysAgo(200), daysAgo(100))),
            "old-access-key " + KEY,
            "unused-access-key " + KEY),
        // several active keys
        row(
            "two active keys",
            clean(),
            b ->
                b.accessKeys(
                    AccessKey.active(KEY, daysAgo(10), daysAgo(1)),
                    AccessKey.active(OTHER_KEY, daysAgo(5), daysAgo(1))),
            "multiple-active-keys alice"),
        row(
            "one active and one inactive key",
            clean(),
            b ->
                b.accessKeys(
                    AccessKey.active(KEY, daysAgo(10), daysAgo(1)),
                    AccessKey.inactive(OTHER_KEY, daysAgo(5), daysAgo(1)))),
        // leavers
        row(
            "leaver with an active key",
            cleanLeaver(),
            b -> b.accessKeys(AccessKey.active(KEY, daysAgo(10), daysAgo(1))),
            "leaver-with-active-credential bob"),
        row(
            "leaver with a console password and an MFA device",
            cleanLeaver(),
            b -> b.loginProfile(daysAgo(3)).mfaDevices(1),
            "leaver-with-active-credential bob"),
        row(
            "leaver with a console password only",
            cleanLeaver(),
            b -> b.loginProfile(daysAgo(3)),
            "leaver-with-active-credential bob",
            "console-without-mfa bob"),
        row(
            "leaver with an MFA device",
            cleanLeaver(),
            b -> b.mfaDevices(1),
            "leaver-with-active-credential bob"),
        row(
            "leaver with an active SSH key",
            cleanLeaver(),
            b -> b.activeSshKeys(1),
            "leaver-with-active-credential bob"),
        row(
            "leaver with an active service-specific credential",
            cleanLeaver(),
            b -> b.activeServiceCredentials(1),
            "leaver-with-active-credential bob"),
        row(
            "leaver with an active signing certificate",
            cleanLeaver(),
            b -> b.activeSigningCertificates(1),
            "leaver-with-active-credential bob"),
        row(
            "leaver without the deny-all",
            cleanLeaver(),
            b -> b.inlinePolicies(),
            "leaver-with-active-credential bob"),
        row(
            "active user with an SSH key, a service credential and a certificate",
            clean(),
            b -> b.activeSshKeys(1).activeServiceCredentials(1).activeSigningCertificates(1)),
        // cut-off verification
        row(
            "leaver whose cut-off IAM does not confirm",
            cleanLeaver(),
            b -> b.cutOff(NOT_VERIFIED),
            "cut-off-not-verified bob"),
        row("leaver whose cut-off was not verified (unknown)", cleanLeaver(), b -> b.cutOff(null)),
        row("active user with a failed verdict", clean(), b -> b.cutOff(NOT_VERIFIED)),
        // direct policies
        row(
            "inline policy on an active user",
            clean(),
            b -> b.inlinePolicies("s3-admin"),
            "direct-policy policy:s3-admin@alice"),
        row(
            "managed policy attached to an active user",
            clean(),
            b -> b.attachedPolicies("arn:aws:iam::aws:policy/AdministratorAccess"),
            "direct-policy policy:arn:aws:iam::aws:policy/AdministratorAccess@alice"),
        row(
            "leaver with the deny-all and another inline policy",
            cleanLeaver(),
            b -> b.inlinePolicies(HygieneReview.DENY_ALL_POLICY, "left-behind"),
            "direct-policy policy:left-behind@bob"),
        // groups
        row(
            "active user in a group the mapping does not give",
            clean(),
            b -> b.groups("developers", "all-staff", "admins"),
            "unmapped-group group:admins@alice"),
        row(
            "active user in a mapped group spelled in another case",
            clean(),
            b -> b.groups("Developers", "all-staff")),
        row(
            "active user in an ignored group",
            clean(),
            b -> b.groups("developers", "all-staff", "Break-Glass")),
        row(
            "active user missing a mapped group (the provisioner's drift, not hygiene)",
            clean(),
            b -> b.groups("developers")),
        row(
            "leaver still in a group",
            cleanLeaver(),
            b -> b.groups("developers"),
            "unmapped-group group:developers@bob"),
        row("leaver in an ignored group", cleanLeaver(), b -> b.groups("break-glass")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void findsExactlyWhatWasPlanted(String name, ReviewedUser user, List<String> expected) {
    List<Review.Finding> found =
        HygieneReview.defaults().review("rv-1", List.of(account(DEV, "dev", user)), NOW);
    assertThat(found.stream().map(f -> f.kind().wireName() + " " + f.subject()))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void everyHygieneKindIsPlantedByTheTable() {
    Set<FindingKind> planted =
        rows()
            .flatMap(a -> ((List<?>) a.get()[2]).stream())
            .map(s -> FindingKind.fromWire(((String) s).split(" ")[0]).orElseThrow())
            .collect(java.util.stream.Collectors.toSet());
    assertThat(planted)
        .containsExactlyInAnyOrder(
            CONSOLE_WITHOUT_MFA,
            OLD_ACCESS_KEY,
            UNUSED_ACCESS_KEY,
            MULTIPLE_ACTIVE_KEYS,
            LEAVER_WITH_ACTIVE_CREDENTIAL,
            CUT_OFF_NOT_VERIFIED,
            DIRECT_POLICY,
            UNMAPPED_GROUP);
  }

  @Test
  void aFindingCarriesTheReviewTheAccountTheEmployeeAndTheTime() {
    ReviewedUser user = clean().mfaDevices(0).build();
    Review.Finding f =
        HygieneReview.defaults().review("rv-7", List.of(account(DEV, "dev", user)), NOW).get(0);
    assertThat(f.reviewId()).isEqualTo("rv-7");
    assertThat(f.kind()).isEqualTo(CONSOLE_WITHOUT_MFA);
    assertThat(f.account()).isEqualTo(DEV);
    assertThat(f.employeeId()).isEqualTo("E100");
    assertThat(f.userName()).isEqualTo("alice");
    assertThat(f.subject()).isEqualTo("alice");
    assertThat(f.observedAt())
        .isEqualTo(OffsetDateTime.of(2026, 12, 1, 12, 0, 0, 0, ZoneOffset.UTC));
    assertThat(f.detail()).contains("last used " + daysAgo(1));
  }

  @Test
  void aLeaversFindingNamesEverythingStillOpen() {
    ReviewedUser user =
        cleanLeaver()
            .inlinePolicies()
            .loginProfile(null)
            .mfaDevices(1)
            .accessKeys(AccessKey.active(KEY, daysAgo(10), daysAgo(1)))
            .activeSshKeys(2)
            .activeServiceCredentials(1)
            .activeSigningCertificates(3)
            .build();
    Review.Finding f =
        HygieneReview.defaults().review("rv-1", List.of(account(DEV, "dev", user)), NOW).stream()
            .filter(x -> x.kind() == LEAVER_WITH_ACTIVE_CREDENTIAL)
            .findFirst()
            .orElseThrow();
    assertThat(f.detail())
        .contains(
            "no roster-deny-all",
            "a console password",
            "active access keys " + KEY,
            "1 MFA device",
            "2 active SSH keys",
            "1 active service-specific credential",
            "3 active signing certificates");
  }

  @Test
  void anUnverifiedCutOffNamesTheActionsLeftOpen() {
    ReviewedUser user = cleanLeaver().cutOff(NOT_VERIFIED).build();
    Review.Finding f =
        HygieneReview.defaults().review("rv-1", List.of(account(DEV, "dev", user)), NOW).get(0);
    assertThat(f.kind()).isEqualTo(CUT_OFF_NOT_VERIFIED);
    assertThat(f.detail()).contains("sts:AssumeRole").doesNotContain("s3:GetObject");
  }

  @Test
  void thresholdsAreParameters() {
    HygieneReview strict = new HygieneReview(Duration.ofDays(30), Duration.ofDays(10));
    ReviewedUser atLimits =
        clean().accessKeys(AccessKey.active(KEY, daysAgo(30), daysAgo(10).plusSeconds(1))).build();
    ReviewedUser beyond =
        clean().accessKeys(AccessKey.active(KEY, daysAgo(31), daysAgo(10))).build();
    assertThat(strict.review("rv", List.of(account(DEV, "dev", atLimits)), NOW)).isEmpty();
    assertThat(strict.review("rv", List.of(account(DEV, "dev", beyond)), NOW))
        .extracting(Review.Finding::kind)
        .containsExactly(OLD_ACCESS_KEY, UNUSED_ACCESS_KEY);
    assertThat(HygieneReview.defaults())
        .isEqualTo(new HygieneReview(Duration.ofDays(90), Duration.ofDays(45)));
    assertThatThrownBy(() -> new HygieneReview(Duration.ZERO, Duration.ofDays(45)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HygieneReview(Duration.ofDays(90), Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSameFactHasTheSameIdInTheNextReviewAndAnotherFactAnother() {
    ReviewedUser first =
        clean().accessKeys(AccessKey.active(KEY, daysAgo(100), daysAgo(1))).build();
    // A day later the key is older and was used again: the detail changes, the fact does not.
    ReviewedUser later =
        clean().accessKeys(AccessKey.active(KEY, daysAgo(101), NOW.plusSeconds(3600))).build();
    Review.Finding a =
        HygieneReview.defaults().review("rv-1", List.of(account(DEV, "dev", first)), NOW).get(0);
    Review.Finding b =
        HygieneReview.defaults()
            .review("rv-2", List.of(account(DEV, "dev", later)), NOW.plus(Duration.ofDays(1)))
            .get(0);
    assertThat(a.detail()).isNotEqualTo(b.detail());
    assertThat(a.findingId()).isEqualTo(b.findingId());
    assertThat(a.findingId()).isEqualTo(FindingIds.of(OLD_ACCESS_KEY, DEV, KEY));
    assertThat(FindingIds.of(OLD_ACCESS_KEY, "222222222222", KEY)).isNotEqualTo(a.findingId());
    assertThat(FindingIds.of(UNUSED_ACCESS_KEY, DEV, KEY)).isNotEqualTo(a.findingId());
    assertThat(FindingIds.of(OLD_ACCESS_KEY, DEV, OTHER_KEY)).isNotEqualTo(a.findingId());
  }

  @Test
  void theFindingIdFormulaIsPinned() {
    // printf '%s' 'old-access-key|111111111111|AKIAOLD0000000000001' | sha256sum | cut -c1-32
    assertThat(FindingIds.of(OLD_ACCESS_KEY, DEV, "AKIAOLD0000000000001"))
        .isEqualTo("9fb18f7ded6d2a3b19c2c9af81fc2945");
    assertThat(FindingIds.key(FindingKind.OU_WITHOUT_SCP, null, "ou:ou-1"))
        .isEqualTo("ou-without-scp||ou:ou-1");
  }

  @Test
  void aReviewAcrossThreeAccountsAttributesEachFindingToItsAccount() {
    String staging = "222222222222";
    String prod = "333333333333";
    ReviewedUser aliceDev = clean().build();
    ReviewedUser aliceStaging =
        clean()
            .accessKeys(AccessKey.active(KEY, daysAgo(120), daysAgo(1)))
            .expectedGroups("readonly")
            .groups("readonly")
            .build();
    ReviewedUser aliceProd = clean().mfaDevices(0).groups("operators").expectedGroups().build();
    ReviewedUser bobProd = cleanLeaver().groups("break-glass").activeSshKeys(1).build();
    List<AccountFacts> accounts =
        List.of(
            account(DEV, "dev", aliceDev),
            account(staging, "staging", aliceStaging),
            new AccountFacts(prod, "prod", Set.of("break-glass"), List.of(aliceProd, bobProd)));

    List<Review.Finding> found = HygieneReview.defaults().review("rv-3", accounts, NOW);

    assertThat(found.stream().map(f -> f.account() + " " + f.kind().wireName() + " " + f.subject()))
        .containsExactly(
            staging + " old-access-key " + KEY,
            prod + " console-without-mfa alice",
            prod + " unmapped-group group:operators@alice",
            prod + " leaver-with-active-credential bob");
    assertThat(found.get(3).employeeId()).isEqualTo("E200");
    // The same user name in two accounts is two facts.
    assertThat(FindingIds.of(CONSOLE_WITHOUT_MFA, DEV, "alice"))
        .isNotEqualTo(found.get(1).findingId());
    assertThat(found).extracting(Review.Finding::findingId).doesNotHaveDuplicates();
  }

  @Test
  void accountIdsAreTwelveDigits() {
    assertThatThrownBy(() -> new AccountFacts("dev", "dev", Set.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("12 digits");
  }

  @Test
  void accessKeyStatusReadsIamsWireNames() {
    assertThat(Arrays.stream(AccessKey.Status.values()).map(AccessKey.Status::wireName))
        .containsExactly("Active", "Inactive");
    assertThat(AccessKey.Status.fromWire("Inactive")).isEqualTo(AccessKey.Status.INACTIVE);
    assertThatThrownBy(() -> AccessKey.Status.fromWire("active"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static AccountFacts account(String id, String name, ReviewedUser user) {
    return new AccountFacts(id, name, IGNORED, List.of(user));
  }
}
