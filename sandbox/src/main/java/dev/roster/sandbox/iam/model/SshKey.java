package dev.roster.sandbox.iam.model;

import dev.roster.sandbox.iam.protocol.Status;
import java.time.Instant;

/** An SSH public key (for CodeCommit). */
public final class SshKey {
  public String id;
  public String body;
  public String fingerprint;
  public Status status = Status.Active;
  public Instant uploadDate;
}
