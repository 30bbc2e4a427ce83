package dev.roster.sandbox.iam.model;

import dev.roster.sandbox.iam.protocol.Status;
import java.time.Instant;

/** An access key; the secret is returned once by CreateAccessKey and never stored. */
public final class AccessKey {
  public String id;
  public Status status = Status.Active;
  public Instant createDate;
  public Instant lastUsedDate;
  public String lastUsedService;
  public String lastUsedRegion;
}
