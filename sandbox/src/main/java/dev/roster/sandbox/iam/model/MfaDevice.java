package dev.roster.sandbox.iam.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A virtual MFA device. It exists on its own (CreateVirtualMFADevice) and may be assigned to one
 * user (EnableMFADevice) until DeactivateMFADevice.
 */
public final class MfaDevice {
  public String serialNumber;
  public String name;
  public String path;

  /** The TOTP seed in Base32, needed to check EnableMFADevice's codes. */
  public String seed;

  public Instant createDate;
  public Instant enableDate;

  /** Key of the user the device is assigned to, or null. */
  public String user;

  public Map<String, String> tags = new LinkedHashMap<>();
}
