package dev.roster.sandbox.iam.action;

import dev.roster.sandbox.iam.model.Session;

/**
 * Who signed the request: the access key id from the SigV4 credential scope, the account it
 * selects, and the STS session when the key was issued by AssumeRole.
 */
public record Caller(String accessKeyId, String accountId, Session session) {
  /** The caller's ARN as IAM reports it (the account root unless it is an assumed role). */
  public String arn() {
    return session == null
        ? "arn:aws:iam::" + accountId + ":root"
        : "arn:aws:sts::"
            + accountId
            + ":assumed-role/"
            + session.roleName
            + "/"
            + session.sessionName;
  }
}
