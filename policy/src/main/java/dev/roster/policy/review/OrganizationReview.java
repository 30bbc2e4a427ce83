package dev.roster.policy.review;

import static dev.roster.events.FindingKind.ACCOUNT_OUTSIDE_OU;
import static dev.roster.events.FindingKind.OU_WITHOUT_SCP;
import static dev.roster.events.FindingKind.SCP_ADDED;
import static dev.roster.events.FindingKind.SCP_CHANGED;
import static dev.roster.events.FindingKind.SCP_MISSING;

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
import java.util.TreeSet;

/**
 * The organization review: the layout as read against the expected layout and against the previous
 * review's {@link ScpSnapshot}. Pure: the caller reads Organizations and keeps the snapshot.
 */
public final class OrganizationReview {
  private OrganizationReview() {}

  /** The findings, and the snapshot to give the next review. */
  public record Result(List<Review.Finding> findings, ScpSnapshot snapshot) {
    public Result {
      findings = List.copyOf(findings);
    }
  }

  /**
   * @param previous the snapshot of the last completed review (empty: the first review, when only
   *     the layout says what is expected)
   */
  public static Result review(
      String reviewId,
      OrganizationFacts org,
      ExpectedLayout layout,
      Optional<ScpSnapshot> previous,
      Instant now) {
    Findings f = new Findings(reviewId, now);
    List<Review.Finding> out = new ArrayList<>();
    Map<String, Node> parents = new LinkedHashMap<>();
    org.roots().forEach(r -> parents.put(r.id(), r));
    org.units().forEach(u -> parents.put(u.id(), u));
    layout.ous().forEach((name, expected) -> expectedOu(f, org, parents, name, expected, out));
    for (Node ou : org.units()) {
      unit(f, org, layout, previous, ou, out);
    }
    ScpSnapshot snapshot = snapshot(org);
    previous.ifPresent(p -> changed(f, org, snapshot, p, out));
    return new Result(out, snapshot);
  }

  /** The accounts and SCPs the layout puts in one OU. */
  private static void expectedOu(
      Findings f,
      OrganizationFacts org,
      Map<String, Node> parents,
      String name,
      ExpectedLayout.Ou expected,
      List<Review.Finding> out) {
    Optional<Node> ou = standing(org, name);
    for (String accountId : new TreeSet<>(expected.accounts())) {
      Optional<Member> member =
          org.accounts().stream().filter(a -> a.id().equals(accountId)).findFirst();
      if (ou.isPresent() && member.isPresent() && member.get().parentId().equals(ou.get().id())) {
        continue;
      }
      String where =
          member
              .map(m -> "in " + describe(parents.get(m.parentId()), m.parentId()))
              .orElse("not in the organization");
      String wanted = ou.map(u -> "OU " + name + " (" + u.id() + ")").orElse("OU " + name);
      out.add(
          f.organization(
              ACCOUNT_OUTSIDE_OU,
              accountId,
              "account:" + accountId,
              "account is "
                  + where
                  + "; the layout puts it directly in "
                  + wanted
                  + (ou.isEmpty() ? ", which does not exist" : "")));
    }
    List<Scp> attached = ou.map(u -> org.attachedTo(u.id())).orElse(List.of());
    for (String scp : expected.scps()) {
      if (attached.stream().noneMatch(s -> s.name().equals(scp))) {
        out.add(
            f.organization(
                SCP_MISSING,
                null,
                "scp:" + scp + "@ou:" + name,
                ou.map(u -> "SCP " + scp + " is not attached to OU " + name + " (" + u.id() + ")")
                    .orElse("SCP " + scp + " cannot be attached: OU " + name + " does not exist")));
      }
    }
  }

  /** One OU as read: SCPs added since the previous review, or none that restricts anything. */
  private static void unit(
      Findings f,
      OrganizationFacts org,
      ExpectedLayout layout,
      Optional<ScpSnapshot> previous,
      Node ou,
      List<Review.Finding> out) {
    List<Scp> attached = org.attachedTo(ou.id());
    // Only the OU that stands for a layout name has that name's SCPs agreed.
    List<String> expected =
        standing(org, ou.name()).filter(ou::equals).isPresent()
            ? layout.scpsOf(ou.name())
            : List.of();
    for (Scp scp : attached) {
      // AWS attaches FullAWSAccess to every new OU itself: never an addition.
      if (scp.fullAwsAccess()
          || expected.contains(scp.name())
          || previous.map(p -> p.attached(ou.id(), scp.id())).orElse(false)) {
        continue;
      }
      out.add(
          f.organization(
              SCP_ADDED,
              null,
              "scp:" + scp.id() + "@" + ou.id(),
              "SCP "
                  + scp.name()
                  + " ("
                  + scp.id()
                  + ") is attached to OU "
                  + ou.name()
                  + " ("
                  + ou.id()
                  + "); neither the layout nor the previous review has it there"));
    }
    if (attached.stream().allMatch(Scp::fullAwsAccess)) {
      out.add(
          f.organization(
              OU_WITHOUT_SCP,
              null,
              "ou:" + ou.id(),
              "OU "
                  + ou.name()
                  + " ("
                  + ou.id()
                  + ") has "
                  + (attached.isEmpty() ? "no SCP" : "only FullAWSAccess")
                  + " attached"));
    }
  }

  /** SCPs (on any target) whose content hash is not the previous review's. */
  private static void changed(
      Findings f,
      OrganizationFacts org,
      ScpSnapshot now,
      ScpSnapshot previous,
      List<Review.Finding> out) {
    Map<String, Scp> policies = new LinkedHashMap<>();
    Map<String, List<String>> targets = new LinkedHashMap<>();
    org.attached()
        .forEach(
            (target, scps) ->
                scps.forEach(
                    s -> {
                      policies.putIfAbsent(s.id(), s);
                      targets.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(target);
                    }));
    policies.forEach(
        (id, scp) -> {
          String hash = now.hashOf(id).orElseThrow();
          previous
              .hashOf(id)
              .filter(before -> !before.equals(hash))
              .ifPresent(
                  before ->
                      out.add(
                          f.organization(
                              SCP_CHANGED,
                              null,
                              "scp:" + id,
                              "content of SCP "
                                  + scp.name()
                                  + " ("
                                  + id
                                  + ", attached to "
                                  + String.join(", ", targets.get(id))
                                  + ") changed since the previous review: sha256 "
                                  + before
                                  + " -> "
                                  + hash)));
        });
  }

  private static ScpSnapshot snapshot(OrganizationFacts org) {
    Map<String, List<ScpSnapshot.Entry>> targets = new LinkedHashMap<>();
    org.attached()
        .forEach(
            (target, scps) ->
                targets.put(
                    target,
                    scps.stream()
                        .map(s -> new ScpSnapshot.Entry(s.id(), s.name(), ScpHash.of(s.content())))
                        .toList()));
    return new ScpSnapshot(targets);
  }

  /** OU names are unique only among siblings: the first OU of the name in read order stands. */
  private static Optional<Node> standing(OrganizationFacts org, String name) {
    return org.units().stream().filter(u -> u.name().equals(name)).findFirst();
  }

  private static String describe(Node parent, String id) {
    if (parent == null) {
      return "parent " + id;
    }
    return (parent.parentId() == null ? "root " : "OU ") + parent.name() + " (" + id + ")";
  }
}
