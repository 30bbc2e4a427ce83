package dev.roster.policy.review;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The organization as a review read it ({@code ListRoots}, {@code
 * ListOrganizationalUnitsForParent}, {@code ListAccountsForParent}, {@code ListPoliciesForTarget}
 * with {@code DescribePolicy}).
 *
 * @param roots the roots (normally one)
 * @param units every OU, each with its parent (a root or an OU)
 * @param accounts every member account, each with its parent
 * @param attached the SCPs attached directly to each target (root, OU or account id), in read order
 */
public record OrganizationFacts(
    List<Node> roots, List<Node> units, List<Member> accounts, Map<String, List<Scp>> attached) {

  /** A root ({@code parentId} null) or an OU. */
  public record Node(String id, String name, String parentId) {
    public Node {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
    }
  }

  /** A member account: its 12-digit id, its name in Organizations, and its parent's id. */
  public record Member(String id, String name, String parentId) {
    public Member {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(parentId, "parentId");
    }
  }

  /** A service control policy: its id ({@code p-...}), name and JSON content. */
  public record Scp(String id, String name, String content) {
    /** The id AWS gives its managed {@code FullAWSAccess} SCP in every organization. */
    public static final String FULL_AWS_ACCESS_ID = "p-FullAWSAccess";

    public Scp {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(content, "content");
    }

    public boolean fullAwsAccess() {
      return FULL_AWS_ACCESS_ID.equals(id);
    }
  }

  public OrganizationFacts {
    roots = List.copyOf(roots);
    units = List.copyOf(units);
    accounts = List.copyOf(accounts);
    Map<String, List<Scp>> copy = new LinkedHashMap<>();
    attached.forEach((target, scps) -> copy.put(target, List.copyOf(scps)));
    attached = Collections.unmodifiableMap(copy);
  }

  /** The SCPs attached directly to a target (none when it was not read). */
  public List<Scp> attachedTo(String targetId) {
    return attached.getOrDefault(targetId, List.of());
  }
}
