package dev.roster.policy;

import java.util.List;
import java.util.Set;

/**
 * IAM's actions of access level Write, Permissions management and Tagging (the AWS Service
 * Authorization Reference, "Actions defined by AWS Identity and Access Management").
 */
public final class IamWriteActions {
  private IamWriteActions() {}

  public static final List<String> ALL =
      List.of(
          "AddClientIDToOpenIDConnectProvider",
          "AddRoleToInstanceProfile",
          "AddUserToGroup",
          "AttachGroupPolicy",
          "AttachRolePolicy",
          "AttachUserPolicy",
          "ChangePassword",
          "CreateAccessKey",
          "CreateAccountAlias",
          "CreateGroup",
          "CreateInstanceProfile",
          "CreateLoginProfile",
          "CreateOpenIDConnectProvider",
          "CreatePolicy",
          "CreatePolicyVersion",
          "CreateRole",
          "CreateSAMLProvider",
          "CreateServiceLinkedRole",
          "CreateServiceSpecificCredential",
          "CreateUser",
          "CreateVirtualMFADevice",
          "DeactivateMFADevice",
          "DeleteAccessKey",
          "DeleteAccountAlias",
          "DeleteAccountPasswordPolicy",
          "DeleteCloudFrontPublicKey",
          "DeleteGroup",
          "DeleteGroupPolicy",
          "DeleteInstanceProfile",
          "DeleteLoginProfile",
          "DeleteOpenIDConnectProvider",
          "DeletePolicy",
          "DeletePolicyVersion",
          "DeleteRole",
          "DeleteRolePermissionsBoundary",
          "DeleteRolePolicy",
          "DeleteSAMLProvider",
          "DeleteSSHPublicKey",
          "DeleteServerCertificate",
          "DeleteServiceLinkedRole",
          "DeleteServiceSpecificCredential",
          "DeleteSigningCertificate",
          "DeleteUser",
          "DeleteUserPermissionsBoundary",
          "DeleteUserPolicy",
          "DeleteVirtualMFADevice",
          "DetachGroupPolicy",
          "DetachRolePolicy",
          "DetachUserPolicy",
          "DisableOrganizationsRootCredentialsManagement",
          "DisableOrganizationsRootSessions",
          "EnableMFADevice",
          "EnableOrganizationsRootCredentialsManagement",
          "EnableOrganizationsRootSessions",
          "PassRole",
          "PutGroupPolicy",
          "PutRolePermissionsBoundary",
          "PutRolePolicy",
          "PutUserPermissionsBoundary",
          "PutUserPolicy",
          "RemoveClientIDFromOpenIDConnectProvider",
          "RemoveRoleFromInstanceProfile",
          "RemoveUserFromGroup",
          "ResetServiceSpecificCredential",
          "ResyncMFADevice",
          "SetDefaultPolicyVersion",
          "SetSecurityTokenServicePreferences",
          "TagInstanceProfile",
          "TagMFADevice",
          "TagOpenIDConnectProvider",
          "TagPolicy",
          "TagRole",
          "TagSAMLProvider",
          "TagServerCertificate",
          "TagUser",
          "UntagInstanceProfile",
          "UntagMFADevice",
          "UntagOpenIDConnectProvider",
          "UntagPolicy",
          "UntagRole",
          "UntagSAMLProvider",
          "UntagServerCertificate",
          "UntagUser",
          "UpdateAccessKey",
          "UpdateAccountPasswordPolicy",
          "UpdateAssumeRolePolicy",
          "UpdateCloudFrontPublicKey",
          "UpdateGroup",
          "UpdateLoginProfile",
          "UpdateOpenIDConnectProviderThumbprint",
          "UpdateRole",
          "UpdateRoleDescription",
          "UpdateSAMLProvider",
          "UpdateSSHPublicKey",
          "UpdateServerCertificate",
          "UpdateServiceSpecificCredential",
          "UpdateSigningCertificate",
          "UploadCloudFrontPublicKey",
          "UploadSSHPublicKey",
          "UploadServerCertificate",
          "UploadSigningCertificate");

  /**
   * Writes the escalation check does not count as IAM access: {@code ChangePassword} changes only
   * the caller's own password; service-linked roles have a trust and permissions AWS defines, which
   * no user can assume or change; {@code PassRole} alone does nothing and is judged together with a
   * service that runs code ({@link EscalationPaths}).
   */
  public static final Set<String> NOT_ESCALATING =
      Set.of("ChangePassword", "CreateServiceLinkedRole", "DeleteServiceLinkedRole", "PassRole");
}
