package dev.roster.policy.review;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One access key of a user as IAM lists it ({@code ListAccessKeys}) with its last use ({@code
 * GetAccessKeyLastUsed}; empty when IAM has no record of a use).
 */
public record AccessKey(
    String accessKeyId, Status status, Instant createDate, Optional<Instant> lastUsedDate) {

  /** IAM's {@code StatusType}. */
  public enum Status {
    ACTIVE("Active"),
    INACTIVE("Inactive");

    private final String wireName;

    Status(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    /** IAM's value ({@code Active}, {@code Inactive}). */
    public static Status fromWire(String value) {
      for (Status s : values()) {
        if (s.wireName.equals(value)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown access key status: " + value);
    }
  }

  public AccessKey {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createDate, "createDate");
    Objects.requireNonNull(lastUsedDate, "lastUsedDate");
  }

  /** An active key last used at {@code lastUsed} (null: never used). */
  public static AccessKey active(String id, Instant created, Instant lastUsed) {
    return new AccessKey(id, Status.ACTIVE, created, Optional.ofNullable(lastUsed));
  }

  /** An inactive key last used at {@code lastUsed} (null: never used). */
  public static AccessKey inactive(String id, Instant created, Instant lastUsed) {
    return new AccessKey(id, Status.INACTIVE, created, Optional.ofNullable(lastUsed));
  }

  public boolean active() {
    return status == Status.ACTIVE;
  }
}
