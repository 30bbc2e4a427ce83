package dev.roster.sandbox.iam.model;

import java.time.Instant;

/** An IAM role: only what STS AssumeRole needs (roles are seeded, not managed through the API). */
public final class Role {
  public String name;
  public String path;
  public String id;
  public Instant createDate;
}
