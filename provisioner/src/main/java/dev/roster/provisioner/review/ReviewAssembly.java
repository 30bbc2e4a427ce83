package dev.roster.provisioner.review;

import dev.roster.events.FindingKind;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.Review;
import dev.roster.policy.DenyAllVerdict;
import dev.roster.policy.review.AccountFacts;
import dev.roster.policy.review.FindingIds;
import dev.roster.policy.review.ReviewedUser;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMapping.Account;
import dev.roster.provisioner.guard.PrivilegeGuard;
import dev.roster.provisioner.iam.IamGateway.ReviewCredentials;
import dev.roster.provisioner.plan.Tags;
import dev.roster.provisioner.plan.UserState;
import dev.roster.provisioner.reconcile.Comparison;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pure part of a review run: what was read of an account to the policy module's {@link
 * AccountFacts}, the escalation guard's verdicts to findings, and the status records. No I/O.
 */
public final class ReviewAssembly {
  private ReviewAssembly() {}

  /**
   * Roster's own users among an account's users (as GetAccountAuthorizationDetails gives them):
   * tagged as Roster's with an employee id, decided as for events ({@link Comparison#owned}). No
   * other user is read further or reported on.
   */
  public static List<UserState> owned(List<UserState> users) {
    return users.stream().filter(Comparison::owned).toList();
  }

  /**
   * One account's facts.
   *
   * @param users the account's Roster users ({@link #owned})
   * @param credentials per user name, what {@code reviewCredentials} read
   * @param passwordLastUsed per user name, the console password's last use (absent: never)
   * @param cutOffs per leaver's user name, IAM's simulation judged (absent: not simulated)
   */
  public static AccountFacts facts(
      RoleMapping mapping,
      Account account,
      List<UserState> users,
      Map<String, ReviewCredentials> credentials,
      Map<String, Instant> passwordLastUsed,
      Map<String, DenyAllVerdict> cutOffs) {
    // The mapping gives no per-user roles here (the review has no HR data): a group is "mapped"
    // when the mapping may grant it in this account at all; a leaver is given none.
    Set<String> managed = mapping.managedGroups(account.name());
    List<ReviewedUser> reviewed = new ArrayList<>();
    for (UserState u : users) {
      ReviewCredentials c = credentials.get(u.userName());
      if (c == null) {
        throw new IllegalArgumentException("no credentials read for user " + u.userName());
      }
      boolean leaver = u.deactivated();
      ReviewedUser.Builder b =
          ReviewedUser.builder(u.userName(), u.tags().get(Tags.EMPLOYEE_ID))
              .deactivated(leaver)
              .mfaDevices(c.mfaDevices())
              .accessKeys(c.accessKeys().toArray(dev.roster.policy.review.AccessKey[]::new))
              .activeSshKeys(c.activeSshKeys())
              .activeServiceCredentials(c.activeServiceCredentials())
              .activeSigningCertificates(c.activeSigningCertificates())
              .inlinePolicies(u.inlinePolicies().toArray(String[]::new))
              .attachedPolicies(u.attachedPolicies().toArray(String[]::new))
              .groups(u.groups().toArray(String[]::new))
              .expectedGroups(leaver ? new String[0] : managed.toArray(String[]::new))
              .cutOff(leaver ? cutOffs.get(u.userName()) : null);
      if (c.loginProfile()) {
        b.loginProfile(passwordLastUsed.get(u.userName()));
      }
      reviewed.add(b.build());
    }
    return new AccountFacts(
        account.id(), account.name(), mapping.ignored(account.name()), reviewed);
  }

  /** The simulation's answer for the sensitive actions; an action IAM did not answer is open. */
  public static DenyAllVerdict cutOff(Map<String, String> simulated) {
    Map<String, String> answer = new LinkedHashMap<>();
    DenyAllVerdict.SENSITIVE_ACTIONS.forEach(
        a -> answer.put(a, simulated.getOrDefault(a, "missing")));
    return DenyAllVerdict.fromSimulation(answer);
  }

  /** The verdict when the simulation itself failed: nothing is confirmed denied. */
  public static DenyAllVerdict unverifiable() {
    return cutOff(Map.of());
  }

  /** A finding per mapped group of the account that escalates and is not marked privileged. */
  public static List<Review.Finding> privilegedGroups(
      String reviewId, Account account, List<PrivilegeGuard.Judgement> judged, Instant now) {
    List<Review.Finding> out = new ArrayList<>();
    for (PrivilegeGuard.Judgement j : judged) {
      j.refusal()
          .ifPresent(
              why ->
                  out.add(
                      new Review.Finding(
                          reviewId,
                          FindingIds.of(
                              FindingKind.PRIVILEGED_GROUP, account.id(), "group:" + j.group()),
                          FindingKind.PRIVILEGED_GROUP,
                          account.id(),
                          null,
                          null,
                          "group:" + j.group(),
                          why + "; nobody is added to it",
                          at(now))));
    }
    return out;
  }

  /** The first status record. */
  public static Review running(String reviewId, Instant started, List<String> accounts) {
    return new Review(
        reviewId, ReconciliationStatus.RUNNING, at(started), null, accounts, null, null);
  }

  /**
   * The final status: {@code completed} when every account (and the organization, when mapped) was
   * reviewed, else {@code failed} naming what was not; counts per kind of what was published.
   *
   * @param reviewed the ids of the accounts whose review completed
   */
  public static Review last(
      String reviewId,
      Instant started,
      Instant completed,
      List<String> reviewed,
      List<Review.Finding> findings,
      List<String> failures) {
    Map<String, Integer> counts = new TreeMap<>();
    findings.forEach(f -> counts.merge(f.kind().wireName(), 1, Integer::sum));
    return new Review(
        reviewId,
        failures.isEmpty() ? ReconciliationStatus.COMPLETED : ReconciliationStatus.FAILED,
        at(started),
        at(completed),
        reviewed,
        counts,
        failures.isEmpty()
            ? null
            : dev.roster.provisioner.ChangeRecords.truncate(
                "not reviewed: " + String.join("; ", failures)));
  }

  /** Finding ids are stable; a fact found twice in one run (it cannot be) is published once. */
  public static List<Review.Finding> distinct(List<Review.Finding> findings) {
    Set<String> seen = new HashSet<>();
    return findings.stream().filter(f -> seen.add(f.findingId())).toList();
  }

  static OffsetDateTime at(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
