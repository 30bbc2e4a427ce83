package dev.roster.provisioner.review;

import dev.roster.events.Review;
import dev.roster.policy.DenyAllVerdict;
import dev.roster.policy.review.AccountFacts;
import dev.roster.policy.review.HygieneReview;
import dev.roster.policy.review.OrganizationReview;
import dev.roster.policy.review.ScpSnapshot;
import dev.roster.provisioner.ChangeRecords;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMapping.Account;
import dev.roster.provisioner.guard.PrivilegeGuard;
import dev.roster.provisioner.iam.Fork;
import dev.roster.provisioner.iam.IamFailure;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.iam.IamGateway.ReviewCredentials;
import dev.roster.provisioner.plan.UserState;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One security review run: every mapped account read on its own, in parallel (one that fails is
 * named in the final status; the others' findings are still published); per account Roster's users
 * (GetAccountAuthorizationDetails, then each owned user's credentials, and IAM's simulation for a
 * leaver) to {@link HygieneReview}, and the escalation guard re-judging the mapped groups; then,
 * when the mapping names an organization, its layout and SCPs to {@link OrganizationReview} against
 * the previous run's snapshot. Publishes {@code running}, the findings, then {@code completed} or
 * {@code failed}. Reads only: nothing in IAM or Organizations is changed.
 */
public final class ReviewRun {
  private final RoleMapping mapping;
  private final IamGateway iam;
  private final PrivilegeGuard guard;
  private final Optional<OrganizationReader> organization;
  private final ReviewState state;
  private final ReviewSink sink;
  private final HygieneReview hygiene;
  private final Clock clock;
  private final Executor accounts;

  public ReviewRun(
      RoleMapping mapping,
      IamGateway iam,
      PrivilegeGuard guard,
      Optional<OrganizationReader> organization,
      ReviewState state,
      ReviewSink sink,
      HygieneReview hygiene,
      Clock clock,
      Executor accounts) {
    this.mapping = mapping;
    this.iam = iam;
    this.guard = guard;
    this.organization = organization;
    this.state = state;
    this.sink = sink;
    this.hygiene = hygiene;
    this.clock = clock;
    this.accounts = accounts;
  }

  /** One account as read: its facts and guard verdicts, or why it could not be reviewed. */
  private record Read(
      Account account, AccountFacts facts, List<PrivilegeGuard.Judgement> groups, String failure) {}

  /** Runs the review {@code reviewId} to its final status, which it returns. */
  public Review run(String reviewId) {
    Instant started = clock.instant();
    List<String> ids = mapping.accounts().values().stream().map(Account::id).toList();
    sink.status(ReviewAssembly.running(reviewId, started, ids));
    try {
      return review(reviewId, started);
    } catch (RuntimeException e) {
      // E.g. Kafka refused the findings: say so if it still can, never leave the run "running".
      try {
        sink.status(
            ReviewAssembly.last(
                reviewId,
                started,
                clock.instant(),
                List.of(),
                List.of(),
                List.of("run: " + ChangeRecords.truncate(String.valueOf(e.getMessage())))));
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
  }

  private Review review(String reviewId, Instant started) {
    List<Supplier<Read>> reading = new ArrayList<>();
    for (Account a : mapping.accounts().values()) {
      reading.add(Fork.start(() -> read(a), accounts));
    }
    List<Review.Finding> findings = new ArrayList<>();
    List<AccountFacts> facts = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<String> reviewed = new ArrayList<>();
    for (Supplier<Read> r : reading) {
      Read read = r.get();
      Account a = read.account();
      if (read.facts() != null) {
        facts.add(read.facts());
      }
      if (read.groups() != null) {
        findings.addAll(ReviewAssembly.privilegedGroups(reviewId, a, read.groups(), started));
      }
      if (read.failure() != null) {
        failures.add("account " + a.name() + " (" + a.id() + "): " + read.failure());
      } else {
        reviewed.add(a.id());
      }
    }
    findings.addAll(0, hygiene.review(reviewId, facts, started));
    Optional<ScpSnapshot> seen = Optional.empty();
    if (organization.isPresent()) {
      OrganizationReader org = organization.get();
      try {
        OrganizationReview.Result result =
            OrganizationReview.review(
                reviewId,
                org.read(),
                mapping.expectedLayout(),
                state.scps(org.managementAccountId()),
                started);
        findings.addAll(result.findings());
        seen = Optional.of(result.snapshot());
      } catch (RuntimeException e) {
        Log.warnf(
            "review %s: organization (management account %s) could not be read: %s",
            reviewId, org.managementAccountId(), e.getMessage());
        failures.add(
            "organization (management account "
                + org.managementAccountId()
                + "): "
                + ChangeRecords.truncate(String.valueOf(e.getMessage())));
      }
    }
    List<Review.Finding> published = ReviewAssembly.distinct(findings);
    sink.findings(published);
    // Only once the findings are out: a run that dies before compares the next with the same.
    seen.ifPresent(s -> state.scps(organization.get().managementAccountId(), s));
    Review last =
        ReviewAssembly.last(reviewId, started, clock.instant(), reviewed, published, failures);
    sink.status(last);
    Log.infof(
        "review %s %s: %d findings %s%s",
        reviewId,
        last.status().wireName(),
        published.size(),
        last.counts(),
        last.reason() == null ? "" : "; " + last.reason());
    return last;
  }

  private Read read(Account account) {
    List<PrivilegeGuard.Judgement> groups = null;
    String failure = null;
    try {
      groups = guard.reanalyse(account.name());
      List<String> unreadable =
          groups.stream()
              .filter(j -> j.unreadable().isPresent())
              .map(j -> "group " + j.group() + ": " + j.unreadable().get())
              .toList();
      if (!unreadable.isEmpty()) {
        failure = "policies not read: " + String.join("; ", unreadable);
      }
    } catch (RuntimeException e) {
      failure = "mapped groups not read: " + e.getMessage();
    }
    try {
      return new Read(account, facts(account), groups, failure);
    } catch (RuntimeException e) {
      Log.warnf("review: account %s could not be read: %s", account.name(), e.getMessage());
      String why = ChangeRecords.truncate(String.valueOf(e.getMessage()));
      return new Read(account, null, groups, failure == null ? why : failure + "; " + why);
    }
  }

  /** Roster's users of the account with everything the hygiene review needs. */
  private AccountFacts facts(Account account) {
    String name = account.name();
    List<UserState> users = ReviewAssembly.owned(iam.accountUsers(name));
    Map<String, ReviewCredentials> credentials = new HashMap<>();
    Map<String, DenyAllVerdict> cutOffs = new HashMap<>();
    for (UserState u : users) {
      credentials.put(u.userName(), iam.reviewCredentials(name, u.userName()));
      if (u.deactivated()) {
        cutOffs.put(u.userName(), simulate(account, u.userName()));
      }
    }
    Map<String, Instant> passwordUsed =
        credentials.values().stream().anyMatch(ReviewCredentials::loginProfile)
            ? iam.passwordLastUsed(name)
            : Map.of();
    return ReviewAssembly.facts(mapping, account, users, credentials, passwordUsed, cutOffs);
  }

  /** A simulation that fails confirms nothing: the leaver is reported as not verified. */
  private DenyAllVerdict simulate(Account account, String userName) {
    try {
      return ReviewAssembly.cutOff(
          iam.simulate(account.name(), userName, DenyAllVerdict.SENSITIVE_ACTIONS));
    } catch (IamFailure e) {
      Log.warnf(
          "review: cut-off of user %s in account %s not verified: SimulatePrincipalPolicy failed:"
              + " %s",
          userName, account.name(), e.getMessage());
      return ReviewAssembly.unverifiable();
    }
  }
}
