package dev.roster.sandbox.iam.model;

import dev.roster.sandbox.iam.protocol.Status;
import java.time.Instant;

/** A service-specific credential (CodeCommit, Keyspaces, ...); the password is never stored. */
public final class ServiceCredential {
  public String id;
  public String serviceName;
  public String serviceUserName;
  public Status status = Status.Active;
  public Instant createDate;
}
