package dev.roster.sandbox.iam.authz;

import dev.roster.sandbox.iam.action.Call;
import dev.roster.sandbox.iam.action.Caller;
import dev.roster.sandbox.iam.eval.EvalDecision;
import dev.roster.sandbox.iam.eval.PolicyEngine;
import dev.roster.sandbox.iam.model.AccessKey;
import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.model.Group;
import dev.roster.sandbox.iam.model.User;
import dev.roster.sandbox.iam.protocol.IamException;
import dev.roster.sandbox.iam.protocol.Params;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Authorises one request of a caller held to policies ({@link Enforcement}), the way IAM does: the
 * action's resource ARN and the condition keys IAM supplies for it (AWS Service Authorization
 * Reference for IAM) are built from the request and the account's state, then decided with the
 * sandbox's evaluator. A denial is IAM's {@code AccessDenied} (403) with IAM's wording.
 */
public final class RequestAuthorizer {
  /** Actions whose resource is an IAM user ({@code UserName}). */
  private static final Set<String> USER_ACTIONS =
      Set.of(
          "AttachUserPolicy",
          "CreateAccessKey",
          "CreateLoginProfile",
          "CreateServiceSpecificCredential",
          "CreateUser",
          "DeactivateMFADevice",
          "DeleteAccessKey",
          "DeleteLoginProfile",
          "DeleteSSHPublicKey",
          "DeleteServiceSpecificCredential",
          "DeleteSigningCertificate",
          "DeleteUser",
          "DeleteUserPolicy",
          "DetachUserPolicy",
          "EnableMFADevice",
          "GetLoginProfile",
          "GetUser",
          "GetUserPolicy",
          "ListAccessKeys",
          "ListAttachedUserPolicies",
          "ListGroupsForUser",
          "ListMFADevices",
          "ListSSHPublicKeys",
          "ListServiceSpecificCredentials",
          "ListSigningCertificates",
          "ListUserPolicies",
          "ListUserTags",
          "PutUserPolicy",
          "TagUser",
          "UntagUser",
          "UpdateAccessKey",
          "UpdateLoginProfile",
          "UpdateSSHPublicKey",
          "UpdateServiceSpecificCredential",
          "UpdateSigningCertificate",
          "UploadSSHPublicKey",
          "UploadSigningCertificate");

  /** Actions whose resource is an IAM group ({@code GroupName}). */
  private static final Set<String> GROUP_ACTIONS =
      Set.of(
          "AddUserToGroup",
          "AttachGroupPolicy",
          "CreateGroup",
          "DeleteGroup",
          "DeleteGroupPolicy",
          "DetachGroupPolicy",
          "GetGroup",
          "GetGroupPolicy",
          "ListAttachedGroupPolicies",
          "ListGroupPolicies",
          "PutGroupPolicy",
          "RemoveUserFromGroup");

  /** User actions for which IAM supplies {@code iam:PermissionsBoundary} (the user's). */
  private static final Set<String> USER_BOUNDARY_KEY =
      Set.of("AttachUserPolicy", "DetachUserPolicy", "DeleteUserPolicy", "PutUserPolicy");

  /** Actions for which IAM supplies {@code iam:PolicyARN}. */
  private static final Set<String> POLICY_ARN_KEY =
      Set.of("AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy");

  private final Enforcement enforcement;

  public RequestAuthorizer(Enforcement enforcement) {
    this.enforcement = enforcement;
  }

  /** One authorisation IAM makes for a request: an action on a resource, in a context. */
  record Check(String action, String resource, Map<String, List<String>> context) {}

  /**
   * Throws IAM's AccessDenied when the caller is held to policies and one of the request's checks
   * is not allowed. For IAM actions, call with the account locked (the state is read).
   */
  public void authorize(Call call) {
    Enforcement.Compiled rule = enforcement.ruleFor(call.caller());
    if (rule == null) {
      return;
    }
    for (Check check : checks(call)) {
      decide(call.caller(), rule, check);
    }
  }

  private static void decide(Caller caller, Enforcement.Compiled rule, Check check) {
    PolicyEngine.Result result =
        PolicyEngine.authorize(
            rule.identity(), rule.boundary(), check.action(), check.resource(), check.context());
    if (result.decision() == EvalDecision.ALLOWED) {
      return;
    }
    String prefix =
        "User: "
            + caller.arn()
            + " is not authorized to perform: "
            + check.action()
            + " on resource: "
            + check.resource();
    if (result.decision() == EvalDecision.EXPLICIT_DENY) {
      boolean inBoundary =
          rule.boundary() != null
              && result.matched().stream()
                  .anyMatch(m -> rule.boundary().stream().anyMatch(b -> b == m.policy()));
      throw IamException.accessDenied(
          prefix
              + " with an explicit deny in "
              + (inBoundary ? "a permissions boundary" : "an identity-based policy"));
    }
    boolean identityAllows =
        PolicyEngine.authorize(
                    rule.identity(), null, check.action(), check.resource(), check.context())
                .decision()
            == EvalDecision.ALLOWED;
    throw IamException.accessDenied(
        prefix
            + " because no "
            + (identityAllows ? "permissions boundary" : "identity-based policy")
            + " allows the "
            + check.action()
            + " action");
  }

  /** The checks IAM makes for this request, in order. */
  static List<Check> checks(Call call) {
    String action = call.action();
    Params p = call.params();
    Map<String, List<String>> context = globals(call);
    List<Check> checks = new ArrayList<>();
    if (call.account() == null) {
      // STS: AssumeRole is authorised on the role; GetCallerIdentity needs no permission.
      if (action.equals("AssumeRole")) {
        checks.add(new Check("sts:AssumeRole", p.text("RoleArn", 20, 2048), context));
      }
      return checks;
    }
    Account a = call.account();
    String iamAction = "iam:" + action;
    if (USER_ACTIONS.contains(action)) {
      String name = p.optional("UserName");
      if (name == null) {
        checks.add(new Check(iamAction, "*", context));
        return checks;
      }
      User user = a.users.get(Account.key(name));
      String resource =
          user != null
              ? a.arn("user", user.path, user.name)
              : a.arn("user", action.equals("CreateUser") ? p.path("Path") : "/", name);
      if (user != null) {
        user.tags.forEach(
            (k, v) -> {
              context.put("iam:ResourceTag/" + k, List.of(v));
              context.put("aws:ResourceTag/" + k, List.of(v));
            });
        if (USER_BOUNDARY_KEY.contains(action) && user.permissionsBoundary != null) {
          context.put("iam:PermissionsBoundary", List.of(user.permissionsBoundary));
        }
      }
      switch (action) {
        case "CreateUser" -> {
          Map<String, String> tags = p.tags("Tags");
          requestTags(context, tags);
          String boundary = p.optional("PermissionsBoundary");
          if (boundary != null) {
            context.put("iam:PermissionsBoundary", List.of(boundary));
          }
          checks.add(new Check(iamAction, resource, context));
          if (!tags.isEmpty()) {
            // Tagging on create is authorised as iam:TagUser too (the user has no tags yet).
            Map<String, List<String>> tagging = globals(call);
            requestTags(tagging, tags);
            checks.add(new Check("iam:TagUser", resource, tagging));
          }
          return checks;
        }
        case "TagUser" -> requestTags(context, p.tags("Tags"));
        case "UntagUser" -> context.put("aws:TagKeys", p.tagKeys("TagKeys"));
        case "CreateServiceSpecificCredential" -> {
          String service = p.optional("ServiceName");
          if (service != null) {
            context.put("iam:ServiceSpecificCredentialServiceName", List.of(service));
          }
        }
        default -> {}
      }
      if (POLICY_ARN_KEY.contains(action) && p.optional("PolicyArn") != null) {
        context.put("iam:PolicyARN", List.of(p.optional("PolicyArn")));
      }
      checks.add(new Check(iamAction, resource, context));
      return checks;
    }
    if (GROUP_ACTIONS.contains(action)) {
      String name = p.required("GroupName");
      Group group = a.groups.get(Account.key(name));
      String resource =
          group != null
              ? a.arn("group", group.path, group.name)
              : a.arn("group", action.equals("CreateGroup") ? p.path("Path") : "/", name);
      if (POLICY_ARN_KEY.contains(action) && p.optional("PolicyArn") != null) {
        context.put("iam:PolicyARN", List.of(p.optional("PolicyArn")));
      }
      checks.add(new Check(iamAction, resource, context));
      return checks;
    }
    String resource =
        switch (action) {
          case "CreatePolicy" -> a.arn("policy", p.path("Path"), p.required("PolicyName"));
          case "GetPolicy", "GetPolicyVersion", "DeletePolicy" -> p.required("PolicyArn");
          case "CreateVirtualMFADevice" ->
              a.arn("mfa", p.path("Path"), p.required("VirtualMFADeviceName"));
          case "DeleteVirtualMFADevice" -> p.required("SerialNumber");
          case "SimulatePrincipalPolicy" -> p.required("PolicySourceArn");
          case "GetAccessKeyLastUsed" -> keyOwner(a, p.required("AccessKeyId"));
          // ListUsers, ListGroups, ListPolicies, ListVirtualMFADevices,
          // GetAccountAuthorizationDetails: no resource-level permissions.
          default -> "*";
        };
    checks.add(new Check(iamAction, resource, context));
    return checks;
  }

  private static String keyOwner(Account a, String accessKeyId) {
    for (User u : a.users.values()) {
      for (AccessKey k : u.accessKeys) {
        if (k.id.equals(accessKeyId)) {
          return a.arn("user", u.path, u.name);
        }
      }
    }
    return "*";
  }

  private static void requestTags(Map<String, List<String>> context, Map<String, String> tags) {
    tags.forEach((k, v) -> context.put("aws:RequestTag/" + k, List.of(v)));
    if (!tags.isEmpty()) {
      context.put("aws:TagKeys", List.copyOf(tags.keySet()));
    }
  }

  /** Keys IAM supplies on every request. */
  private static Map<String, List<String>> globals(Call call) {
    Caller caller = call.caller();
    Map<String, List<String>> context = new LinkedHashMap<>();
    String principal =
        caller.session() == null
            ? caller.arn()
            : "arn:aws:iam::" + caller.accountId() + ":role/" + caller.session().roleName;
    context.put("aws:PrincipalArn", List.of(principal));
    context.put("aws:PrincipalAccount", List.of(caller.accountId()));
    context.put("aws:PrincipalType", List.of(caller.session() == null ? "Account" : "AssumedRole"));
    context.put("aws:CurrentTime", List.of(call.now().toString()));
    context.put("aws:EpochTime", List.of(Long.toString(call.now().getEpochSecond())));
    context.put("aws:SecureTransport", List.of("false"));
    return context;
  }
}
