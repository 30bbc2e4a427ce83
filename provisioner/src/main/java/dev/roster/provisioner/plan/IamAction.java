package dev.roster.provisioner.plan;

/** The IAM mutations Roster performs; the wire name is the IAM API name used in change records. */
public enum IamAction {
  CREATE_USER("CreateUser"),
  ADD_USER_TO_GROUP("AddUserToGroup"),
  REMOVE_USER_FROM_GROUP("RemoveUserFromGroup"),
  TAG_USER("TagUser"),
  UNTAG_USER("UntagUser"),
  PUT_USER_POLICY("PutUserPolicy"),
  DELETE_USER_POLICY("DeleteUserPolicy"),
  DETACH_USER_POLICY("DetachUserPolicy"),
  DELETE_LOGIN_PROFILE("DeleteLoginProfile"),
  UPDATE_ACCESS_KEY("UpdateAccessKey"),
  UPDATE_SSH_PUBLIC_KEY("UpdateSSHPublicKey"),
  UPDATE_SERVICE_SPECIFIC_CREDENTIAL("UpdateServiceSpecificCredential"),
  UPDATE_SIGNING_CERTIFICATE("UpdateSigningCertificate"),
  DEACTIVATE_MFA_DEVICE("DeactivateMFADevice"),
  // Retention only: deleting a leaver's user and what IAM requires gone first.
  DELETE_ACCESS_KEY("DeleteAccessKey"),
  DELETE_SSH_PUBLIC_KEY("DeleteSSHPublicKey"),
  DELETE_SERVICE_SPECIFIC_CREDENTIAL("DeleteServiceSpecificCredential"),
  DELETE_SIGNING_CERTIFICATE("DeleteSigningCertificate"),
  DELETE_USER("DeleteUser");

  private final String apiName;

  IamAction(String apiName) {
    this.apiName = apiName;
  }

  /** The IAM API name, e.g. {@code RemoveUserFromGroup}. */
  public String apiName() {
    return apiName;
  }
}
