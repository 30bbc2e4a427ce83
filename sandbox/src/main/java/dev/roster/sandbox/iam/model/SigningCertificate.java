package dev.roster.sandbox.iam.model;

import dev.roster.sandbox.iam.protocol.Status;
import java.time.Instant;

/** An X.509 signing certificate. */
public final class SigningCertificate {
  public String id;
  public String body;
  public Status status = Status.Active;
  public Instant uploadDate;
}
