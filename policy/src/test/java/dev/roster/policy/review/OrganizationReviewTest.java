package dev.roster.policy.review;

import static dev.roster.events.FindingKind.ACCOUNT_OUTSIDE_OU;
import static dev.roster.events.FindingKind.OU_WITHOUT_SCP;
import static dev.roster.events.FindingKind.SCP_ADDED;
import static dev.roster.events.FindingKind.SCP_CHANGED;
import static dev.roster.events.FindingKind.SCP_MISSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.events.Review;
import dev.roster.policy.review.OrganizationFacts.Member;
import dev.roster.policy.review.OrganizationFacts.Node;
import dev.roster.policy.review.OrganizationFacts.Scp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The organization rules. The agreed organization: Production (prod) and Development (dev, staging)
 * with their SCPs, and a Sandbox OU with an SCP the layout does not name but the previous review
 * saw.
 */
class OrganizationReviewTest {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  static final String DEV = "111111111111";
  static final String STAGING = "222222222222";
  static final String PROD = "333333333333";
  static final String ROOT = "r-ab12";
  static final String PRODUCTION = "ou-ab12-prod0001";
  static final String DEVELOPMENT = "ou-ab12-dev00001";
  static final String SANDBOX = "ou-ab12-sbx00001";

  static final Scp FULL =
      new Scp(
          Scp.FULL_AWS_ACCESS_ID,
          "FullAWSAccess",
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}");
  static final Scp DENY_USERS =
      new Scp(
          "p-denyusers1",
          "deny-iam-user-creation",
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"iam:CreateUser\",\"iam:CreateAccessKey\"],\"Resource\":\"*\"}]}");
  static final Scp DENY_LEAVE =
      new Scp(
          "p-denyleave1",
          "deny-leave-organization",
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"organizations:LeaveOrganization\",\"Resource\":\"*\"}]}");
  static final Scp SANDBOX_LIMITS =
      new Scp(
          "p-sbxlimits1",
          "sandbox-limits",
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"ec2:*\",\"Resource\":\"*\"}]}");

  static final ExpectedLayout LAYOUT =
      new ExpectedLayout(
          orderedMap(
              "Production",
              new ExpectedLayout.Ou(
                  Set.of(PROD), List.of("deny-iam-user-creation", "deny-leave-organization")),
              "Development",
              new ExpectedLayout.Ou(Set.of(DEV, STAGING), List.of("deny-iam-user-creation"))));

  /** The organization as agreed, to be altered by one test row. */
  static final class Org {
    final List<Node> units = new ArrayList<>();
    final List<Member> accounts = new ArrayList<>();
    final Map<String, List<Scp>> attached = new LinkedHashMap<>();

    Org() {
      units.add(new Node(PRODUCTION, "Production", ROOT));
      units.add(new Node(DEVELOPMENT, "Development", ROOT));
      units.add(new Node(SANDBOX, "Sandbox", ROOT));
      accounts.add(new Member("999999999999", "management", ROOT));
      accounts.add(new Member(PROD, "prod", PRODUCTION));
      accounts.add(new Member(DEV, "dev", DEVELOPMENT));
      accounts.add(new Member(STAGING, "staging", DEVELOPMENT));
      attached.put(ROOT, new ArrayList<>(List.of(FULL)));
      attached.put(PRODUCTION, new ArrayList<>(List.of(FULL, DENY_USERS, DENY_LEAVE)));
      attached.put(DEVELOPMENT, new ArrayList<>(List.of(FULL, DENY_USERS)));
      attached.put(SANDBOX, new ArrayList<>(List.of(FULL, SANDBOX_LIMITS)));
      for (String account : List.of("999999999999", PROD, DEV, STAGING)) {
        attached.put(account, new ArrayList<>(List.of(FULL)));
      }
    }

    Org move(String account, String parent) {
      accounts.replaceAll(m -> m.id().equals(account) ? new Member(m.id(), m.name(), parent) : m);
      return this;
    }

    Org detach(String target, String scpId) {
      attached.get(target).removeIf(s -> s.id().equals(scpId));
      return this;
    }

    Org attach(String target, Scp scp) {
      attached.computeIfAbsent(target, t -> new ArrayList<>()).add(scp);
      return this;
    }

    /** Replaces the SCP of this id wherever it is attached. */
    Org edit(Scp edited) {
      attached.values().forEach(l -> l.replaceAll(s -> s.id().equals(edited.id()) ? edited : s));
      return this;
    }

    OrganizationFacts facts() {
      return new OrganizationFacts(
          List.of(new Node(ROOT, "Root", null)), units, accounts, attached);
    }
  }

  /** The previous review's snapshot of the agreed organization. */
  static final ScpSnapshot AGREED = review(new Org(), Optional.empty()).snapshot();

  static OrganizationReview.Result review(Org org, Optional<ScpSnapshot> previous) {
    return OrganizationReview.review("rv-1", org.facts(), LAYOUT, previous, NOW);
  }

  static Arguments row(String name, UnaryOperator<Org> change, String... expected) {
    return Arguments.of(name, change, List.of(expected));
  }

  static Stream<Arguments> rows() {
    Scp newScp =
        new Scp(
            "p-newpolicy1",
            "allow-everything-in-eu",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"NotAction\":\"*\",\"Resource\":\"*\"}]}");
    return Stream.of(
        row("the agreed organization", o -> o),
        // accounts
        row(
            "account moved to another OU",
            o -> o.move(PROD, DEVELOPMENT),
            "account-outside-ou account:" + PROD),
        row(
            "account moved to the root",
            o -> o.move(DEV, ROOT),
            "account-outside-ou account:" + DEV),
        row(
            "account in a child OU of its OU (not directly in it)",
            o -> {
              o.units.add(new Node("ou-ab12-child001", "Payments", PRODUCTION));
              o.attached.put("ou-ab12-child001", new ArrayList<>(List.of(FULL, DENY_LEAVE)));
              return o.move(PROD, "ou-ab12-child001");
            },
            "account-outside-ou account:" + PROD,
            // A new OU: its SCP is one neither the layout nor the previous review had there.
            "scp-added scp:p-denyleave1@ou-ab12-child001"),
        row(
            "account that left the organization",
            o -> {
              o.accounts.removeIf(m -> m.id().equals(STAGING));
              return o;
            },
            "account-outside-ou account:" + STAGING),
        row(
            "expected OU deleted",
            o -> {
              o.units.removeIf(u -> u.id().equals(PRODUCTION));
              return o.move(PROD, ROOT);
            },
            "account-outside-ou account:" + PROD,
            "scp-missing scp:deny-iam-user-creation@ou:Production",
            "scp-missing scp:deny-leave-organization@ou:Production"),
        // SCPs missing (detached)
        row(
            "layout SCP detached",
            o -> o.detach(PRODUCTION, DENY_LEAVE.id()),
            "scp-missing scp:deny-leave-organization@ou:Production"),
        row(
            "the only SCP of an OU detached",
            o -> o.detach(DEVELOPMENT, DENY_USERS.id()),
            "scp-missing scp:deny-iam-user-creation@ou:Development",
            "ou-without-scp ou:" + DEVELOPMENT),
        row(
            "an SCP the layout does not name detached",
            o -> o.detach(SANDBOX, SANDBOX_LIMITS.id()),
            "ou-without-scp ou:" + SANDBOX),
        // SCPs added
        row(
            "new SCP attached to an OU",
            o -> o.attach(DEVELOPMENT, newScp),
            "scp-added scp:p-newpolicy1@" + DEVELOPMENT),
        row(
            "a layout SCP attached to another OU",
            o -> o.attach(SANDBOX, DENY_LEAVE),
            "scp-added scp:p-denyleave1@" + SANDBOX),
        row("new SCP attached to an account (not an OU)", o -> o.attach(DEV, newScp)),
        row("new SCP attached to the root (not an OU)", o -> o.attach(ROOT, newScp)),
        row(
            "a second OU of a layout name: the first in read order stands",
            o -> {
              o.units.add(new Node("ou-ab12-dup00001", "Production", SANDBOX));
              o.attached.put("ou-ab12-dup00001", new ArrayList<>(List.of(FULL, DENY_USERS)));
              return o;
            },
            // Not agreed there: the layout's Production is the first one.
            "scp-added scp:p-denyusers1@ou-ab12-dup00001"),
        row(
            "new OU with FullAWSAccess only",
            o -> {
              o.units.add(new Node("ou-ab12-new00001", "Experiments", ROOT));
              o.attached.put("ou-ab12-new00001", new ArrayList<>(List.of(FULL)));
              return o;
            },
            "ou-without-scp ou:ou-ab12-new00001"),
        row(
            "new OU with no SCP at all",
            o -> {
              o.units.add(new Node("ou-ab12-new00001", "Experiments", ROOT));
              return o;
            },
            "ou-without-scp ou:ou-ab12-new00001"),
        // SCPs changed
        row(
            "SCP content edited",
            o ->
                o.edit(
                    new Scp(
                        DENY_USERS.id(),
                        DENY_USERS.name(),
                        DENY_USERS.content().replace(",\"iam:CreateAccessKey\"", ""))),
            "scp-changed scp:" + DENY_USERS.id()),
        row(
            "SCP reformatted with other whitespace and key order only",
            o ->
                o.edit(
                    new Scp(
                        DENY_USERS.id(),
                        DENY_USERS.name(),
                        "{\n  \"Statement\": [ {\n    \"Resource\": \"*\",\n    \"Effect\": \"Deny\",\n"
                            + "    \"Action\": [ \"iam:CreateUser\", \"iam:CreateAccessKey\" ]\n  } ],\n"
                            + "  \"Version\": \"2012-10-17\"\n}\n"))),
        row(
            "SCP renamed (content unchanged)",
            o ->
                o.edit(
                    new Scp(SANDBOX_LIMITS.id(), "sandbox-guardrails", SANDBOX_LIMITS.content()))),
        row(
            "FullAWSAccess edited (on the root, every OU and account)",
            o ->
                o.edit(
                    new Scp(
                        FULL.id(),
                        FULL.name(),
                        FULL.content().replace("\"*\",\"Resource", "\"s3:*\",\"Resource"))),
            "scp-changed scp:" + FULL.id()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void findsExactlyWhatChanged(String name, UnaryOperator<Org> change, List<String> expected) {
    List<Review.Finding> found = review(change.apply(new Org()), Optional.of(AGREED)).findings();
    assertThat(found.stream().map(f -> f.kind().wireName() + " " + f.subject()))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void theFirstReviewHasOnlyTheLayoutToGoBy() {
    // No previous review: an SCP the layout does not name is an addition; nothing can have changed.
    List<Review.Finding> found = review(new Org(), Optional.empty()).findings();
    assertThat(found.stream().map(f -> f.kind().wireName() + " " + f.subject()))
        .containsExactly("scp-added scp:p-sbxlimits1@" + SANDBOX);
  }

  @Test
  void anAdditionIsReportedOnceThenBelongsToTheAgreedState() {
    Org org = new Org().attach(DEVELOPMENT, SANDBOX_LIMITS);
    OrganizationReview.Result first = review(org, Optional.of(AGREED));
    assertThat(first.findings()).extracting(Review.Finding::kind).containsExactly(SCP_ADDED);
    assertThat(review(org, Optional.of(first.snapshot())).findings()).isEmpty();
  }

  @Test
  void anEditIsReportedAgainstThePreviousReviewOnly() {
    Org edited =
        new Org()
            .edit(
                new Scp(
                    DENY_LEAVE.id(),
                    DENY_LEAVE.name(),
                    DENY_LEAVE.content().replace("Leave", "Remove")));
    OrganizationReview.Result first = review(edited, Optional.of(AGREED));
    assertThat(first.findings()).extracting(Review.Finding::kind).containsExactly(SCP_CHANGED);
    Review.Finding changed = first.findings().get(0);
    assertThat(changed.account()).isNull();
    assertThat(changed.employeeId()).isNull();
    assertThat(changed.detail())
        .contains("deny-leave-organization", PRODUCTION, ScpHash.of(DENY_LEAVE.content()));
    assertThat(review(edited, Optional.of(first.snapshot())).findings()).isEmpty();
  }

  @Test
  void anAccountOutsideItsOuIsAFindingOfThatAccount() {
    Review.Finding f =
        review(new Org().move(PROD, DEVELOPMENT), Optional.of(AGREED)).findings().get(0);
    assertThat(f.kind()).isEqualTo(ACCOUNT_OUTSIDE_OU);
    assertThat(f.account()).isEqualTo(PROD);
    assertThat(f.detail()).contains("OU Development (" + DEVELOPMENT + ")", "Production");
  }

  @Test
  void organizationFindingIdsAreStableAcrossReviews() {
    Org org = new Org().detach(PRODUCTION, DENY_LEAVE.id()).detach(SANDBOX, SANDBOX_LIMITS.id());
    List<Review.Finding> first = review(org, Optional.of(AGREED)).findings();
    List<Review.Finding> second =
        OrganizationReview.review(
                "rv-2", org.facts(), LAYOUT, Optional.of(AGREED), NOW.plusSeconds(86_400))
            .findings();
    assertThat(first).extracting(Review.Finding::kind).containsExactly(SCP_MISSING, OU_WITHOUT_SCP);
    assertThat(second)
        .extracting(Review.Finding::findingId)
        .containsExactlyElementsOf(first.stream().map(Review.Finding::findingId).toList());
    assertThat(first.get(1).findingId())
        .isEqualTo(FindingIds.of(OU_WITHOUT_SCP, null, "ou:" + SANDBOX));
  }

  @Test
  void theSnapshotHoldsEveryTargetAndSurvivesJson() throws Exception {
    ScpSnapshot snapshot = AGREED;
    assertThat(snapshot.targets().keySet())
        .containsExactly(
            ROOT, PRODUCTION, DEVELOPMENT, SANDBOX, "999999999999", PROD, DEV, STAGING);
    assertThat(snapshot.targets().get(PRODUCTION))
        .extracting(ScpSnapshot.Entry::name)
        .containsExactly("FullAWSAccess", "deny-iam-user-creation", "deny-leave-organization");
    assertThat(snapshot.hashOf(DENY_USERS.id())).contains(ScpHash.of(DENY_USERS.content()));
    ObjectMapper json = new ObjectMapper();
    ScpSnapshot read = json.readValue(json.writeValueAsString(snapshot), ScpSnapshot.class);
    assertThat(read).isEqualTo(snapshot);
    assertThat(review(new Org(), Optional.of(read)).findings()).isEmpty();
  }

  @Test
  void aLayoutPutsAnAccountInOneOuOnly() {
    assertThatThrownBy(
            () ->
                new ExpectedLayout(
                    orderedMap(
                        "A", new ExpectedLayout.Ou(Set.of(DEV), List.of()),
                        "B", new ExpectedLayout.Ou(Set.of(DEV), List.of()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(DEV);
  }

  @Test
  void withoutALayoutOnlyChangesAndEmptyOusCount() {
    Org org = new Org().detach(PRODUCTION, DENY_LEAVE.id()).detach(DEVELOPMENT, DENY_USERS.id());
    List<Review.Finding> found =
        OrganizationReview.review(
                "rv", org.facts(), ExpectedLayout.none(), Optional.of(AGREED), NOW)
            .findings();
    assertThat(found.stream().map(f -> f.kind().wireName() + " " + f.subject()))
        .containsExactly("ou-without-scp ou:" + DEVELOPMENT);
  }

  static <V> Map<String, V> orderedMap(String k1, V v1, String k2, V v2) {
    Map<String, V> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }
}
