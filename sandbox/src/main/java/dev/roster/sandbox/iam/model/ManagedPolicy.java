package dev.roster.sandbox.iam.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A customer managed policy (AWS managed ones live in {@code AwsManagedPolicies}). */
public final class ManagedPolicy {
  public String name;
  public String path;
  public String id;
  public String arn;
  public String description;
  public Instant createDate;
  public Instant updateDate;
  public String defaultVersionId = "v1";
  public List<PolicyVersion> versions = new ArrayList<>();
  public Map<String, String> tags = new LinkedHashMap<>();

  public PolicyVersion version(String versionId) {
    for (PolicyVersion v : versions) {
      if (v.versionId.equals(versionId)) {
        return v;
      }
    }
    return null;
  }

  /** A version of a managed policy's document. */
  public static final class PolicyVersion {
    public String versionId;
    public String document;
    public Instant createDate;

    public PolicyVersion() {}

    public PolicyVersion(String versionId, String document, Instant createDate) {
      this.versionId = versionId;
      this.document = document;
      this.createDate = createDate;
    }
  }
}
