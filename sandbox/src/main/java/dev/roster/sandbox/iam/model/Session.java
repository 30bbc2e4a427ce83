package dev.roster.sandbox.iam.model;

import java.time.Instant;

/** Temporary credentials issued by STS AssumeRole: the key id selects the role's account. */
public final class Session {
  public String accessKeyId;
  public String accountId;
  public String roleName;
  public String roleId;
  public String sessionName;
  public Instant expiration;
}
