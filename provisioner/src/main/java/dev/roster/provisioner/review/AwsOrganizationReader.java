package dev.roster.provisioner.review;

import dev.roster.policy.review.OrganizationFacts;
import dev.roster.policy.review.OrganizationFacts.Member;
import dev.roster.policy.review.OrganizationFacts.Node;
import dev.roster.policy.review.OrganizationFacts.Scp;
import dev.roster.provisioner.iam.Retrier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.organizations.model.ListAccountsForParentResponse;
import software.amazon.awssdk.services.organizations.model.ListOrganizationalUnitsForParentResponse;
import software.amazon.awssdk.services.organizations.model.ListPoliciesForTargetResponse;
import software.amazon.awssdk.services.organizations.model.ListRootsResponse;
import software.amazon.awssdk.services.organizations.model.OrganizationalUnit;
import software.amazon.awssdk.services.organizations.model.PolicySummary;
import software.amazon.awssdk.services.organizations.model.PolicyType;
import software.amazon.awssdk.services.organizations.model.Root;

/**
 * {@link OrganizationReader} on the SDK's {@link OrganizationsClient} with the management account's
 * credentials: {@code ListRoots}, then per parent (breadth first) {@code
 * ListOrganizationalUnitsForParent} and {@code ListAccountsForParent}, per root, OU and account
 * {@code ListPoliciesForTarget} (SCPs), and one {@code DescribePolicy} per distinct SCP. Every call
 * through the {@link Retrier}, counted under the management account's name.
 */
public final class AwsOrganizationReader implements OrganizationReader {
  private final OrganizationsClient orgs;
  private final Retrier retrier;
  private final String accountName;
  private final String accountId;

  public AwsOrganizationReader(
      OrganizationsClient orgs, Retrier retrier, String accountName, String accountId) {
    this.orgs = orgs;
    this.retrier = retrier;
    this.accountName = accountName;
    this.accountId = accountId;
  }

  @Override
  public String managementAccountId() {
    return accountId;
  }

  @Override
  public OrganizationFacts read() {
    List<Node> roots =
        pages(
                "ListRoots",
                t -> orgs.listRoots(r -> r.nextToken(t)),
                ListRootsResponse::roots,
                ListRootsResponse::nextToken)
            .stream()
            .map((Root r) -> new Node(r.id(), r.name(), null))
            .toList();
    List<Node> units = new ArrayList<>();
    List<Member> accounts = new ArrayList<>();
    List<String> parents = new ArrayList<>(roots.stream().map(Node::id).toList());
    for (int i = 0; i < parents.size(); i++) {
      String parent = parents.get(i);
      for (OrganizationalUnit ou :
          pages(
              "ListOrganizationalUnitsForParent",
              t -> orgs.listOrganizationalUnitsForParent(r -> r.parentId(parent).nextToken(t)),
              ListOrganizationalUnitsForParentResponse::organizationalUnits,
              ListOrganizationalUnitsForParentResponse::nextToken)) {
        units.add(new Node(ou.id(), ou.name(), parent));
        parents.add(ou.id());
      }
      for (Account a :
          pages(
              "ListAccountsForParent",
              t -> orgs.listAccountsForParent(r -> r.parentId(parent).nextToken(t)),
              ListAccountsForParentResponse::accounts,
              ListAccountsForParentResponse::nextToken)) {
        accounts.add(new Member(a.id(), a.name(), parent));
      }
    }
    List<String> targets = new ArrayList<>(parents);
    accounts.forEach(a -> targets.add(a.id()));
    Map<String, String> contents = new HashMap<>();
    Map<String, List<Scp>> attached = new LinkedHashMap<>();
    for (String target : targets) {
      List<Scp> scps = new ArrayList<>();
      for (PolicySummary p :
          pages(
              "ListPoliciesForTarget",
              t ->
                  orgs.listPoliciesForTarget(
                      r ->
                          r.targetId(target)
                              .filter(PolicyType.SERVICE_CONTROL_POLICY)
                              .nextToken(t)),
              ListPoliciesForTargetResponse::policies,
              ListPoliciesForTargetResponse::nextToken)) {
        String content =
            contents.computeIfAbsent(
                p.id(),
                id ->
                    call(
                        "DescribePolicy",
                        () -> orgs.describePolicy(r -> r.policyId(id)).policy().content()));
        scps.add(new Scp(p.id(), p.name(), content));
      }
      attached.put(target, scps);
    }
    return new OrganizationFacts(roots, units, accounts, attached);
  }

  private <T> T call(String action, Supplier<T> call) {
    return retrier.call(accountName, action, call).value();
  }

  private <R, T> List<T> pages(
      String action,
      Function<String, R> page,
      Function<R, List<T>> items,
      Function<R, String> nextToken) {
    List<T> all = new ArrayList<>();
    String next = null;
    do {
      String current = next;
      R response = call(action, () -> page.apply(current));
      all.addAll(items.apply(response));
      next = nextToken.apply(response);
    } while (next != null);
    return all;
  }
}
