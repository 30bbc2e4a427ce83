package dev.roster.provisioner.iam;

import dev.roster.policy.ManagedPolicy;
import dev.roster.policy.PolicySet;
import dev.roster.provisioner.plan.IamAction;
import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.Tags;
import dev.roster.provisioner.plan.UserState;
import io.quarkus.logging.Log;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.ListAttachedGroupPoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListAttachedUserPoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListGroupPoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListGroupsForUserResponse;
import software.amazon.awssdk.services.iam.model.ListUserPoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListUserTagsResponse;
import software.amazon.awssdk.services.iam.model.ListUsersResponse;
import software.amazon.awssdk.services.iam.model.MFADevice;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyDetail;
import software.amazon.awssdk.services.iam.model.SSHPublicKeyMetadata;
import software.amazon.awssdk.services.iam.model.ServiceSpecificCredentialMetadata;
import software.amazon.awssdk.services.iam.model.SigningCertificate;
import software.amazon.awssdk.services.iam.model.SimulatePrincipalPolicyResponse;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;
import software.amazon.awssdk.services.iam.model.UserDetail;

/** {@link IamGateway} on the AWS SDK v2 {@link IamClient}: one client per account. */
public final class AwsIamGateway implements IamGateway {
  private final Map<String, IamClient> clients;
  private final Retrier retrier;
  private final Executor reads;

  /**
   * @param reads runs a user's independent reads (groups, policies, each credential list) at the
   *     same time once GetUser found the user; {@code Runnable::run} reads one after another
   */
  private final Map<String, String> userBoundaries;

  public AwsIamGateway(Map<String, IamClient> clientsByAccount, Retrier retrier, Executor reads) {
    this(clientsByAccount, retrier, reads, Map.of());
  }

  /**
   * @param userBoundaries per account name, the ARN of the permissions boundary every created user
   *     gets; an account not listed creates users without one
   */
  public AwsIamGateway(
      Map<String, IamClient> clientsByAccount,
      Retrier retrier,
      Executor reads,
      Map<String, String> userBoundaries) {
    this.clients = Map.copyOf(clientsByAccount);
    this.retrier = retrier;
    this.reads = reads;
    this.userBoundaries = Map.copyOf(userBoundaries);
  }

  /**
   * Starts {@code read} on the read executor; the returned supplier waits for it and rethrows its
   * failure (an {@link IamFailure}) as it is. A leave reads ten things per account: sent together
   * they cost one round trip instead of ten.
   */
  private <T> Supplier<T> fork(Supplier<T> read) {
    return Fork.start(read, reads);
  }

  private IamClient iam(String account) {
    IamClient client = clients.get(account);
    if (client == null) {
      throw new IllegalArgumentException("no IAM client for account " + account);
    }
    return client;
  }

  private <T> T call(String account, String action, Supplier<T> call) {
    return retrier.call(account, action, call).value();
  }

  @Override
  public Optional<UserState> readUser(String account, String userName, boolean full) {
    IamClient iam = iam(account);
    User user;
    try {
      user = call(account, "GetUser", () -> iam.getUser(r -> r.userName(userName)).user());
    } catch (IamFailure e) {
      if (e.getCause() instanceof NoSuchEntityException) {
        return Optional.empty();
      }
      throw e;
    }
    // GetUser carries the tags; users with more than IAM returns inline are not Roster's concern.
    Map<String, String> tags = tags(user.hasTags() ? user.tags() : List.of());
    return Optional.of(rest(account, user.userName(), tags, full));
  }

  @Override
  public Optional<UserState> readUser(String account, UserState found, boolean full) {
    return Optional.of(rest(account, found.userName(), found.tags(), full));
  }

  /** Every read of a user after GetUser, at once. */
  private UserState rest(String account, String name, Map<String, String> tags, boolean full) {
    IamClient iam = iam(account);
    Supplier<Set<String>> groups =
        fork(
            () ->
                pages(
                        account,
                        "ListGroupsForUser",
                        m -> iam.listGroupsForUser(r -> r.userName(name).marker(m)),
                        ListGroupsForUserResponse::groups,
                        ListGroupsForUserResponse::isTruncated,
                        ListGroupsForUserResponse::marker)
                    .stream()
                    .map(Group::groupName)
                    .collect(Collectors.toSet()));
    Supplier<Set<String>> inline =
        fork(() -> checkedDenyAll(iam, account, name, tags, inlineNames(iam, account, name)));
    Supplier<Set<String>> attached =
        fork(
            () ->
                pages(
                        account,
                        "ListAttachedUserPolicies",
                        m -> iam.listAttachedUserPolicies(r -> r.userName(name).marker(m)),
                        ListAttachedUserPoliciesResponse::attachedPolicies,
                        ListAttachedUserPoliciesResponse::isTruncated,
                        ListAttachedUserPoliciesResponse::marker)
                    .stream()
                    .map(AttachedPolicy::policyArn)
                    .collect(Collectors.toSet()));
    if (!full) {
      return UserState.basic(name, tags, groups.get(), inline.get(), attached.get());
    }
    Supplier<Boolean> loginProfile = fork(() -> loginProfile(iam, account, name));
    // Credential lists are bounded by IAM quotas (2 keys, 5 SSH keys, 2 certificates...): one page.
    Supplier<Set<String>> keys = fork(() -> accessKeys(iam, account, name, true));
    Supplier<Set<String>> ssh = fork(() -> sshKeys(iam, account, name, true));
    Supplier<Set<String>> service = fork(() -> serviceCredentials(iam, account, name, true));
    Supplier<Set<String>> certificates = fork(() -> certificates(iam, account, name, true));
    Supplier<Set<String>> mfa =
        fork(
            () ->
                call(account, "ListMFADevices", () -> iam.listMFADevices(r -> r.userName(name)))
                    .mfaDevices()
                    .stream()
                    .map(MFADevice::serialNumber)
                    .collect(Collectors.toSet()));
    return new UserState(
        name,
        tags,
        groups.get(),
        inline.get(),
        true,
        loginProfile.get(),
        keys.get(),
        ssh.get(),
        service.get(),
        certificates.get(),
        mfa.get(),
        attached.get());
  }

  @Override
  public Optional<UserState> cutOffState(String account, String userName) {
    IamClient iam = iam(account);
    // Both at once: the deny-all waits for this read only (a missing user answers NoSuchEntity).
    Supplier<Optional<Set<String>>> inline =
        fork(
            () -> {
              try {
                return Optional.of(inlineNames(iam, account, userName));
              } catch (IamFailure e) {
                if (e.getCause() instanceof NoSuchEntityException) {
                  return Optional.empty();
                }
                throw e;
              }
            });
    User user;
    try {
      user = call(account, "GetUser", () -> iam.getUser(r -> r.userName(userName)).user());
    } catch (IamFailure e) {
      try {
        inline.get(); // not left running; GetUser's failure is the one that counts
      } catch (RuntimeException ignored) {
        // the same user, the same answer
      }
      if (e.getCause() instanceof NoSuchEntityException) {
        return Optional.empty();
      }
      throw e;
    }
    Map<String, String> tags = tags(user.hasTags() ? user.tags() : List.of());
    Optional<Set<String>> names = inline.get();
    if (names.isEmpty()) {
      return Optional.empty();
    }
    // Already cut: whether the deny-all was edited by hand costs one more read, not the cut-off.
    Set<String> policies = checkedDenyAll(iam, account, userName, tags, names.get());
    return Optional.of(UserState.basic(user.userName(), tags, Set.of(), policies, Set.of()));
  }

  @Override
  public Optional<UserState> cutOffUser(String account, String userName) {
    User user;
    try {
      user = call(account, "GetUser", () -> iam(account).getUser(r -> r.userName(userName)).user());
    } catch (IamFailure e) {
      if (e.getCause() instanceof NoSuchEntityException) {
        return Optional.empty();
      }
      throw e;
    }
    Map<String, String> tags = tags(user.hasTags() ? user.tags() : List.of());
    return Optional.of(UserState.basic(user.userName(), tags, Set.of(), Set.of(), Set.of()));
  }

  /** The user's inline policy names, every page. */
  private Set<String> inlineNames(IamClient iam, String account, String userName) {
    return Set.copyOf(
        pages(
            account,
            "ListUserPolicies",
            m -> iam.listUserPolicies(r -> r.userName(userName).marker(m)),
            ListUserPoliciesResponse::policyNames,
            ListUserPoliciesResponse::isTruncated,
            ListUserPoliciesResponse::marker));
  }

  /**
   * {@code names}, without a leaver's deny-all whose document is not Roster's: read with one more
   * call, only for a leaver that carries one.
   */
  private Set<String> checkedDenyAll(
      IamClient iam, String account, String userName, Map<String, String> tags, Set<String> names) {
    if (!leaverWithDenyAll(tags, names)) {
      return names;
    }
    String document =
        call(
                account,
                "GetUserPolicy",
                () -> iam.getUserPolicy(r -> r.userName(userName).policyName(Tags.DENY_ALL_POLICY)))
            .policyDocument();
    return withoutAlteredDenyAll(account, userName, names, document);
  }

  private boolean loginProfile(IamClient iam, String account, String name) {
    try {
      call(account, "GetLoginProfile", () -> iam.getLoginProfile(r -> r.userName(name)));
      return true;
    } catch (IamFailure e) {
      if (!(e.getCause() instanceof NoSuchEntityException)) {
        throw e;
      }
      return false;
    }
  }

  @Override
  public ReviewCredentials reviewCredentials(String account, String userName) {
    IamClient iam = iam(account);
    Supplier<Boolean> login = fork(() -> loginProfile(iam, account, userName));
    Supplier<List<AccessKeyMetadata>> keys =
        fork(
            () ->
                call(account, "ListAccessKeys", () -> iam.listAccessKeys(r -> r.userName(userName)))
                    .accessKeyMetadata());
    Supplier<Integer> mfa =
        fork(
            () ->
                call(account, "ListMFADevices", () -> iam.listMFADevices(r -> r.userName(userName)))
                    .mfaDevices()
                    .size());
    Supplier<Set<String>> ssh = fork(() -> sshKeys(iam, account, userName, true));
    Supplier<Set<String>> service = fork(() -> serviceCredentials(iam, account, userName, true));
    Supplier<Set<String>> certificates = fork(() -> certificates(iam, account, userName, true));
    // Only an active key's use matters to the review: an inactive one costs no call.
    List<Supplier<dev.roster.policy.review.AccessKey>> withUse = new ArrayList<>();
    for (AccessKeyMetadata k : keys.get()) {
      boolean active = k.status() == StatusType.ACTIVE;
      withUse.add(
          fork(
              () ->
                  new dev.roster.policy.review.AccessKey(
                      k.accessKeyId(),
                      active
                          ? dev.roster.policy.review.AccessKey.Status.ACTIVE
                          : dev.roster.policy.review.AccessKey.Status.INACTIVE,
                      k.createDate(),
                      active
                          ? Optional.ofNullable(
                                  call(
                                          account,
                                          "GetAccessKeyLastUsed",
                                          () ->
                                              iam.getAccessKeyLastUsed(
                                                  r -> r.accessKeyId(k.accessKeyId())))
                                      .accessKeyLastUsed())
                              .map(u -> u.lastUsedDate())
                          : Optional.empty())));
    }
    return new ReviewCredentials(
        login.get(),
        mfa.get(),
        withUse.stream().map(Supplier::get).toList(),
        ssh.get().size(),
        service.get().size(),
        certificates.get().size());
  }

  @Override
  public Map<String, java.time.Instant> passwordLastUsed(String account) {
    IamClient iam = iam(account);
    Map<String, java.time.Instant> used = new LinkedHashMap<>();
    pages(
            account,
            "ListUsers",
            m -> iam.listUsers(r -> r.maxItems(AUTHORIZATION_DETAILS_PAGE).marker(m)),
            ListUsersResponse::users,
            ListUsersResponse::isTruncated,
            ListUsersResponse::marker)
        .forEach(
            u -> {
              if (u.passwordLastUsed() != null) {
                used.put(u.userName(), u.passwordLastUsed());
              }
            });
    return used;
  }

  @Override
  public Optional<UserItems> items(String account, String userName) {
    IamClient iam = iam(account);
    Optional<UserState> state = readUser(account, userName, true);
    if (state.isEmpty()) {
      return Optional.empty();
    }
    String name = state.get().userName();
    return Optional.of(
        new UserItems(
            state.get(),
            accessKeys(iam, account, name, false),
            sshKeys(iam, account, name, false),
            serviceCredentials(iam, account, name, false),
            certificates(iam, account, name, false)));
  }

  // One page each: the lists are bounded by IAM quotas. activeOnly: what still lets someone in
  // (a leave's cut-off); else every credential (what blocks DeleteUser).

  private Set<String> accessKeys(IamClient iam, String account, String name, boolean activeOnly) {
    return call(account, "ListAccessKeys", () -> iam.listAccessKeys(r -> r.userName(name)))
        .accessKeyMetadata()
        .stream()
        .filter(k -> !activeOnly || k.status() == StatusType.ACTIVE)
        .map(AccessKeyMetadata::accessKeyId)
        .collect(Collectors.toSet());
  }

  private Set<String> sshKeys(IamClient iam, String account, String name, boolean activeOnly) {
    return call(account, "ListSSHPublicKeys", () -> iam.listSSHPublicKeys(r -> r.userName(name)))
        .sshPublicKeys()
        .stream()
        .filter(k -> !activeOnly || k.status() == StatusType.ACTIVE)
        .map(SSHPublicKeyMetadata::sshPublicKeyId)
        .collect(Collectors.toSet());
  }

  private Set<String> serviceCredentials(
      IamClient iam, String account, String name, boolean activeOnly) {
    return call(
            account,
            "ListServiceSpecificCredentials",
            () -> iam.listServiceSpecificCredentials(r -> r.userName(name)))
        .serviceSpecificCredentials()
        .stream()
        .filter(c -> !activeOnly || c.status() == StatusType.ACTIVE)
        .map(ServiceSpecificCredentialMetadata::serviceSpecificCredentialId)
        .collect(Collectors.toSet());
  }

  private Set<String> certificates(IamClient iam, String account, String name, boolean activeOnly) {
    return call(
            account,
            "ListSigningCertificates",
            () -> iam.listSigningCertificates(r -> r.userName(name)))
        .certificates()
        .stream()
        .filter(c -> !activeOnly || c.status() == StatusType.ACTIVE)
        .map(SigningCertificate::certificateId)
        .collect(Collectors.toSet());
  }

  /** Users per {@code GetAccountAuthorizationDetails} page: IAM's maximum. */
  static final int AUTHORIZATION_DETAILS_PAGE = 1000;

  @Override
  public List<UserState> accountUsers(String account) {
    IamClient iam = iam(account);
    return pages(
            account,
            "GetAccountAuthorizationDetails",
            // 1,000 per page, IAM's maximum (the default is 100): a 10,000-user account in 10
            // calls.
            m ->
                iam.getAccountAuthorizationDetails(
                    r -> r.filter(EntityType.USER).maxItems(AUTHORIZATION_DETAILS_PAGE).marker(m)),
            GetAccountAuthorizationDetailsResponse::userDetailList,
            GetAccountAuthorizationDetailsResponse::isTruncated,
            GetAccountAuthorizationDetailsResponse::marker)
        .stream()
        .map(
            u -> {
              Map<String, String> tags = tags(u.hasTags() ? u.tags() : List.of());
              return UserState.basic(
                  u.userName(),
                  tags,
                  Set.copyOf(u.groupList()),
                  inlineOf(account, u, tags),
                  u.attachedManagedPolicies().stream()
                      .map(AttachedPolicy::policyArn)
                      .collect(Collectors.toSet()));
            })
        .toList();
  }

  /** A user's inline policy names from GetAccountAuthorizationDetails, documents at hand. */
  private static Set<String> inlineOf(String account, UserDetail u, Map<String, String> tags) {
    Set<String> names =
        u.userPolicyList().stream().map(PolicyDetail::policyName).collect(Collectors.toSet());
    if (!leaverWithDenyAll(tags, names)) {
      return names;
    }
    String document =
        u.userPolicyList().stream()
            .filter(p -> p.policyName().equals(Tags.DENY_ALL_POLICY))
            .map(PolicyDetail::policyDocument)
            .findFirst()
            .orElse(null);
    return withoutAlteredDenyAll(account, u.userName(), names, document);
  }

  /** A user's tags as a map (the last of a repeated key wins). */
  private static Map<String, String> tags(List<Tag> tags) {
    return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
  }

  /** A leaver (by Roster's status tag) that carries a policy of the deny-all's name. */
  private static boolean leaverWithDenyAll(Map<String, String> tags, Set<String> names) {
    return names.contains(Tags.DENY_ALL_POLICY)
        && Tags.STATUS_DEACTIVATED.equals(tags.get(Tags.STATUS));
  }

  /**
   * A leaver's deny-all whose document is not Roster's (edited by hand, e.g. a {@code NotAction}
   * that exempts one action) counts as absent: the planner then puts Roster's back, which replaces
   * it, so the leaver is cut off again by the next leave's delivery or the drift check.
   */
  static Set<String> withoutAlteredDenyAll(
      String account, String user, Set<String> names, String document) {
    if (Tags.isDenyAllDocument(document)) {
      return names;
    }
    Log.warnf(
        "ALERT deny-all altered: account %s, user %s carries %s with a document that is not"
            + " Roster's; it is put back",
        account, user, Tags.DENY_ALL_POLICY);
    Set<String> without = new java.util.HashSet<>(names);
    without.remove(Tags.DENY_ALL_POLICY);
    return Set.copyOf(without);
  }

  @Override
  public List<String> userNames(String account) {
    IamClient iam = iam(account);
    return pages(
            account,
            "ListUsers",
            m -> iam.listUsers(r -> r.pathPrefix(Tags.USER_PATH).marker(m)),
            ListUsersResponse::users,
            ListUsersResponse::isTruncated,
            ListUsersResponse::marker)
        .stream()
        .map(User::userName)
        .toList();
  }

  @Override
  public Optional<Map<String, String>> userTags(String account, String userName) {
    IamClient iam = iam(account);
    try {
      List<Tag> tags =
          pages(
              account,
              "ListUserTags",
              m -> iam.listUserTags(r -> r.userName(userName).marker(m)),
              ListUserTagsResponse::tags,
              ListUserTagsResponse::isTruncated,
              ListUserTagsResponse::marker);
      return Optional.of(
          tags.stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b)));
    } catch (IamFailure e) {
      if (e.getCause() instanceof NoSuchEntityException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public boolean groupExists(String account, String group) {
    IamClient iam = iam(account);
    try {
      call(account, "GetGroup", () -> iam.getGroup(r -> r.groupName(group).maxItems(1)));
      return true;
    } catch (IamFailure e) {
      if (e.getCause() instanceof NoSuchEntityException) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public Map<String, String> simulate(String account, String userName, List<String> actions) {
    IamClient iam = iam(account);
    String arn =
        call(account, "GetUser", () -> iam.getUser(r -> r.userName(userName))).user().arn();
    List<EvaluationResult> results =
        pages(
            account,
            "SimulatePrincipalPolicy",
            m ->
                iam.simulatePrincipalPolicy(
                    r -> r.policySourceArn(arn).actionNames(actions).marker(m)),
            SimulatePrincipalPolicyResponse::evaluationResults,
            SimulatePrincipalPolicyResponse::isTruncated,
            SimulatePrincipalPolicyResponse::marker);
    Map<String, String> decisions = new LinkedHashMap<>();
    results.forEach(r -> decisions.put(r.evalActionName(), r.evalDecisionAsString()));
    return decisions;
  }

  @Override
  public Optional<PolicySet> groupPolicies(String account, String group) {
    IamClient iam = iam(account);
    PolicySet.Builder policies = PolicySet.builder();
    String owner = "group " + group;
    List<String> inline;
    try {
      inline =
          pages(
              account,
              "ListGroupPolicies",
              m -> iam.listGroupPolicies(r -> r.groupName(group).marker(m)),
              ListGroupPoliciesResponse::policyNames,
              ListGroupPoliciesResponse::isTruncated,
              ListGroupPoliciesResponse::marker);
    } catch (IamFailure e) {
      if (e.getCause() instanceof NoSuchEntityException) {
        return Optional.empty();
      }
      throw e;
    }
    for (String name : inline) {
      String document =
          call(
                  account,
                  "GetGroupPolicy",
                  () -> iam.getGroupPolicy(r -> r.groupName(group).policyName(name)))
              .policyDocument();
      policies.inline(owner, name, document);
    }
    List<AttachedPolicy> attached =
        pages(
            account,
            "ListAttachedGroupPolicies",
            m -> iam.listAttachedGroupPolicies(r -> r.groupName(group).marker(m)),
            ListAttachedGroupPoliciesResponse::attachedPolicies,
            ListAttachedGroupPoliciesResponse::isTruncated,
            ListAttachedGroupPoliciesResponse::marker);
    for (AttachedPolicy a : attached) {
      String arn = a.policyArn();
      // Only the default version is in force.
      String version =
          call(account, "GetPolicy", () -> iam.getPolicy(r -> r.policyArn(arn)))
              .policy()
              .defaultVersionId();
      String document =
          call(
                  account,
                  "GetPolicyVersion",
                  () -> iam.getPolicyVersion(r -> r.policyArn(arn).versionId(version)))
              .policyVersion()
              .document();
      policies.managed(owner, new ManagedPolicy(arn, version, Map.of(version, document)));
    }
    return Optional.of(policies.build());
  }

  @Override
  public void ping(String account) {
    IamClient iam = iam(account);
    iam.listUsers(r -> r.pathPrefix(Tags.USER_PATH).maxItems(1));
  }

  @Override
  public AppliedChange apply(String account, Operation op, BooleanSupplier owned) {
    IamClient iam = iam(account);
    String user = op.userName();
    String t = op.target();
    Supplier<AwsResponse> call =
        switch (op.action()) {
          case CREATE_USER ->
              () ->
                  iam.createUser(
                      r ->
                          r.userName(user)
                              .path(Tags.USER_PATH)
                              .tags(tags(op.tags()))
                              .permissionsBoundary(userBoundaries.get(account)));
          case ADD_USER_TO_GROUP -> () -> iam.addUserToGroup(r -> r.userName(user).groupName(t));
          case REMOVE_USER_FROM_GROUP ->
              () -> iam.removeUserFromGroup(r -> r.userName(user).groupName(t));
          case TAG_USER -> () -> iam.tagUser(r -> r.userName(user).tags(tags(op.tags())));
          case UNTAG_USER -> () -> iam.untagUser(r -> r.userName(user).tagKeys(op.tagKeys()));
          case PUT_USER_POLICY ->
              () ->
                  iam.putUserPolicy(
                      r -> r.userName(user).policyName(t).policyDocument(Tags.DENY_ALL_DOCUMENT));
          case DELETE_USER_POLICY ->
              () -> iam.deleteUserPolicy(r -> r.userName(user).policyName(t));
          case DETACH_USER_POLICY -> () -> iam.detachUserPolicy(r -> r.userName(user).policyArn(t));
          case DELETE_LOGIN_PROFILE -> () -> iam.deleteLoginProfile(r -> r.userName(user));
          case UPDATE_ACCESS_KEY ->
              () ->
                  iam.updateAccessKey(
                      r -> r.userName(user).accessKeyId(t).status(StatusType.INACTIVE));
          case UPDATE_SSH_PUBLIC_KEY ->
              () ->
                  iam.updateSSHPublicKey(
                      r -> r.userName(user).sshPublicKeyId(t).status(StatusType.INACTIVE));
          case UPDATE_SERVICE_SPECIFIC_CREDENTIAL ->
              () ->
                  iam.updateServiceSpecificCredential(
                      r ->
                          r.userName(user)
                              .serviceSpecificCredentialId(t)
                              .status(StatusType.INACTIVE));
          case UPDATE_SIGNING_CERTIFICATE ->
              () ->
                  iam.updateSigningCertificate(
                      r -> r.userName(user).certificateId(t).status(StatusType.INACTIVE));
          case DEACTIVATE_MFA_DEVICE ->
              () -> iam.deactivateMFADevice(r -> r.userName(user).serialNumber(t));
          case DELETE_ACCESS_KEY -> () -> iam.deleteAccessKey(r -> r.userName(user).accessKeyId(t));
          case DELETE_SSH_PUBLIC_KEY ->
              () -> iam.deleteSSHPublicKey(r -> r.userName(user).sshPublicKeyId(t));
          case DELETE_SERVICE_SPECIFIC_CREDENTIAL ->
              () ->
                  iam.deleteServiceSpecificCredential(
                      r -> r.userName(user).serviceSpecificCredentialId(t));
          case DELETE_SIGNING_CERTIFICATE ->
              () -> iam.deleteSigningCertificate(r -> r.userName(user).certificateId(t));
          case DELETE_USER -> () -> iam.deleteUser(r -> r.userName(user));
        };
    try {
      AwsResponse response = retrier.call(account, op.action().apiName(), call, owned).value();
      return AppliedChange.applied(response.responseMetadata().requestId());
    } catch (IamFailure f) {
      if (f.attempts() > 1 && alreadyDone(op, f)) {
        if (op.action() == IamAction.CREATE_USER) {
          adoptable(account, op, f);
        }
        // An earlier attempt timed out or was cut off after IAM had applied it.
        return AppliedChange.applied(f.awsRequestId());
      }
      throw f;
    }
  }

  /**
   * A retried CreateUser answered EntityAlreadyExists: the user is ours only if it carries the tags
   * this CreateUser would have set (Roster's, this employee's). Someone may have created the name
   * in between; adopting that user would hand it this employee's groups, so its failure stands.
   */
  private void adoptable(String account, Operation op, IamFailure f) {
    Map<String, String> found = userTags(account, op.userName()).orElse(Map.of());
    String employee = op.tags().get(Tags.EMPLOYEE_ID);
    if (!Tags.MANAGED_BY_ROSTER.equals(found.get(Tags.MANAGED_BY))
        || employee == null
        || !employee.equals(found.get(Tags.EMPLOYEE_ID))) {
      throw new IamFailure(
          f.action(),
          f.errorCode(),
          f.awsRequestId(),
          false,
          f.attempts(),
          "user "
              + op.userName()
              + " appeared between attempts and is not this employee's Roster user ("
              + Tags.MANAGED_BY
              + "="
              + found.get(Tags.MANAGED_BY)
              + ", "
              + Tags.EMPLOYEE_ID
              + "="
              + found.get(Tags.EMPLOYEE_ID)
              + "): not adopted",
          f);
    }
  }

  /** After a retry, the error an already-applied mutation answers with. */
  private static boolean alreadyDone(Operation op, IamFailure f) {
    return switch (op.action()) {
      case CREATE_USER -> "EntityAlreadyExists".equals(f.errorCode());
      case REMOVE_USER_FROM_GROUP,
          DELETE_USER_POLICY,
          DETACH_USER_POLICY,
          DELETE_LOGIN_PROFILE,
          DEACTIVATE_MFA_DEVICE,
          DELETE_ACCESS_KEY,
          DELETE_SSH_PUBLIC_KEY,
          DELETE_SERVICE_SPECIFIC_CREDENTIAL,
          DELETE_SIGNING_CERTIFICATE,
          DELETE_USER ->
          "NoSuchEntity".equals(f.errorCode());
      default -> false;
    };
  }

  private static List<Tag> tags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
        .toList();
  }

  private <R, T> List<T> pages(
      String account,
      String action,
      Function<String, R> page,
      Function<R, List<T>> items,
      Function<R, Boolean> truncated,
      Function<R, String> marker) {
    List<T> all = new ArrayList<>();
    String next = null;
    do {
      String current = next;
      R response = call(account, action, () -> page.apply(current));
      all.addAll(items.apply(response));
      next = Boolean.TRUE.equals(truncated.apply(response)) ? marker.apply(response) : null;
    } while (next != null);
    return all;
  }
}
