package dev.roster.policy.review;

import static dev.roster.events.FindingKind.CONSOLE_WITHOUT_MFA;
import static dev.roster.events.FindingKind.CUT_OFF_NOT_VERIFIED;
import static dev.roster.events.FindingKind.DIRECT_POLICY;
import static dev.roster.events.FindingKind.LEAVER_WITH_ACTIVE_CREDENTIAL;
import static dev.roster.events.FindingKind.MULTIPLE_ACTIVE_KEYS;
import static dev.roster.events.FindingKind.OLD_ACCESS_KEY;
import static dev.roster.events.FindingKind.UNMAPPED_GROUP;
import static dev.roster.events.FindingKind.UNUSED_ACCESS_KEY;

import dev.roster.events.Review;
import dev.roster.policy.DenyAllVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The hygiene review of Roster's users: pure rules over what was read, no I/O. Findings come per
 * account, per user in the order given, per rule in the order of {@link #review}'s list.
 *
 * @param maxKeyAge an active key created longer ago than this is old (default 90 days)
 * @param unusedAfter an active key not used for this long or longer is unused (default 45 days)
 */
public record HygieneReview(Duration maxKeyAge, Duration unusedAfter) {
  /** Key rotation: CIS AWS Foundations Benchmark, access keys rotated every 90 days or less. */
  public static final Duration DEFAULT_MAX_KEY_AGE = Duration.ofDays(90);

  /** CIS AWS Foundations Benchmark: credentials unused for 45 days or more are disabled. */
  public static final Duration DEFAULT_UNUSED_AFTER = Duration.ofDays(45);

  /** The inline policy Roster puts on a leaver; the one policy a user may hold directly. */
  public static final String DENY_ALL_POLICY = "roster-deny-all";

  public HygieneReview {
    if (maxKeyAge.isNegative() || maxKeyAge.isZero()) {
      throw new IllegalArgumentException("maxKeyAge must be positive, was " + maxKeyAge);
    }
    if (unusedAfter.isNegative() || unusedAfter.isZero()) {
      throw new IllegalArgumentException("unusedAfter must be positive, was " + unusedAfter);
    }
  }

  /** The documented defaults: 90 days for key age, 45 days unused. */
  public static HygieneReview defaults() {
    return new HygieneReview(DEFAULT_MAX_KEY_AGE, DEFAULT_UNUSED_AFTER);
  }

  /**
   * Every finding of every account: console without MFA, old keys, unused keys, several active
   * keys, a leaver with anything active, a leaver whose cut-off IAM did not confirm, direct
   * policies, groups outside the mapping.
   *
   * @param now the review's time: ages are measured to it and it is every finding's {@code
   *     observedAt}
   */
  public List<Review.Finding> review(String reviewId, List<AccountFacts> accounts, Instant now) {
    Findings findings = new Findings(reviewId, now);
    List<Review.Finding> out = new ArrayList<>();
    for (AccountFacts account : accounts) {
      for (ReviewedUser user : account.users()) {
        user(findings, account, user, now, out);
      }
    }
    return out;
  }

  private void user(
      Findings f, AccountFacts account, ReviewedUser user, Instant now, List<Review.Finding> out) {
    String id = account.accountId();
    String name = user.userName();
    if (user.loginProfile() && user.mfaDevices() == 0) {
      out.add(
          f.about(
              user,
              CONSOLE_WITHOUT_MFA,
              id,
              name,
              "console password (last used "
                  + user.passwordLastUsed().map(Instant::toString).orElse("never")
                  + ") and no MFA device"));
    }
    List<AccessKey> active = user.activeAccessKeys();
    Instant oldBefore = now.minus(maxKeyAge);
    Instant unusedSince = now.minus(unusedAfter);
    for (AccessKey key : active) {
      if (key.createDate().isBefore(oldBefore)) {
        out.add(
            f.about(
                user,
                OLD_ACCESS_KEY,
                id,
                key.accessKeyId(),
                "active key created "
                    + key.createDate()
                    + ", "
                    + Duration.between(key.createDate(), now).toDays()
                    + " days ago (rotate within "
                    + maxKeyAge.toDays()
                    + ")"));
      }
    }
    for (AccessKey key : active) {
      // A key never used counts from its creation: unused since it exists.
      Instant last = key.lastUsedDate().orElse(key.createDate());
      if (!last.isAfter(unusedSince)) {
        out.add(
            f.about(
                user,
                UNUSED_ACCESS_KEY,
                id,
                key.accessKeyId(),
                key.lastUsedDate()
                    .map(
                        u ->
                            "active key last used "
                                + u
                                + ", "
                                + Duration.between(u, now).toDays()
                                + " days ago")
                    .orElse(
                        "active key never used, created "
                            + key.createDate()
                            + ", "
                            + Duration.between(key.createDate(), now).toDays()
                            + " days ago")));
      }
    }
    if (active.size() > 1) {
      out.add(
          f.about(
              user,
              MULTIPLE_ACTIVE_KEYS,
              id,
              name,
              active.size()
                  + " active access keys: "
                  + active.stream().map(AccessKey::accessKeyId).collect(Collectors.joining(", "))));
    }
    if (user.deactivated()) {
      List<String> open = stillOpen(user, active);
      if (!open.isEmpty()) {
        out.add(
            f.about(
                user,
                LEAVER_WITH_ACTIVE_CREDENTIAL,
                id,
                name,
                "deactivated user with " + String.join(", ", open)));
      }
      user.cutOff()
          .filter(v -> !v.deniedEverything())
          .ifPresent(
              v ->
                  out.add(
                      f.about(
                          user,
                          CUT_OFF_NOT_VERIFIED,
                          id,
                          name,
                          "IAM's policy simulation does not deny " + notDenied(v))));
    }
    for (String policy : new TreeSet<>(user.inlinePolicies())) {
      if (!policy.equals(DENY_ALL_POLICY)) {
        out.add(
            f.about(
                user,
                DIRECT_POLICY,
                id,
                "policy:" + policy + "@" + name,
                "inline policy " + policy + " on the user (access comes through groups only)"));
      }
    }
    for (String arn : new TreeSet<>(user.attachedPolicies())) {
      out.add(
          f.about(
              user,
              DIRECT_POLICY,
              id,
              "policy:" + arn + "@" + name,
              "managed policy "
                  + arn
                  + " attached to the user (access comes through groups only)"));
    }
    // Group names compare case-insensitively, as IAM (and the provisioner's planner) does.
    Set<String> allowed = lower(user.expectedGroups());
    allowed.addAll(lower(account.ignoredGroups()));
    for (String group : new TreeSet<>(user.groups())) {
      if (!allowed.contains(group.toLowerCase(Locale.ROOT))) {
        out.add(
            f.about(
                user,
                UNMAPPED_GROUP,
                id,
                "group:" + group + "@" + name,
                user.deactivated()
                    ? "deactivated user still in group " + group
                    : "in group " + group + ", which the mapping does not give this user here"));
      }
    }
  }

  /** What a leaver still has: every active credential, and a missing deny-all. */
  private static List<String> stillOpen(ReviewedUser user, List<AccessKey> active) {
    List<String> open = new ArrayList<>();
    if (!user.inlinePolicies().contains(DENY_ALL_POLICY)) {
      open.add("no " + DENY_ALL_POLICY);
    }
    if (user.loginProfile()) {
      open.add("a console password");
    }
    if (!active.isEmpty()) {
      open.add(
          "active access keys "
              + active.stream().map(AccessKey::accessKeyId).collect(Collectors.joining(", ")));
    }
    count(open, user.mfaDevices(), "MFA device");
    count(open, user.activeSshKeys(), "active SSH key");
    count(open, user.activeServiceCredentials(), "active service-specific credential");
    count(open, user.activeSigningCertificates(), "active signing certificate");
    return open;
  }

  private static void count(List<String> open, int n, String what) {
    if (n > 0) {
      open.add(n + " " + what + (n == 1 ? "" : "s"));
    }
  }

  private static String notDenied(DenyAllVerdict verdict) {
    List<String> open = verdict.notDenied();
    return open.isEmpty() ? "anything (no action was simulated)" : String.join(", ", open);
  }

  private static Set<String> lower(Set<String> names) {
    Set<String> out = new java.util.HashSet<>();
    names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
    return out;
  }
}
