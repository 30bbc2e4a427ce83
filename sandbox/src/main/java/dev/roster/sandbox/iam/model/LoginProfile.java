package dev.roster.sandbox.iam.model;

import java.time.Instant;

/** A console password. The password itself is never stored, only when it was set. */
public final class LoginProfile {
  public Instant createDate;
  public Instant passwordLastSet;
  public boolean passwordResetRequired;
}
