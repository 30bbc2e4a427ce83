package dev.roster.policy;

import java.util.Map;
import java.util.Objects;

/**
 * A managed policy with its versions (version id to document, as {@code GetPolicyVersion} or {@code
 * GetAccountAuthorizationDetails} return them). Only the default version is in force.
 */
public record ManagedPolicy(String arn, String defaultVersionId, Map<String, String> versions) {
  public ManagedPolicy {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(defaultVersionId, "defaultVersionId");
    versions = Map.copyOf(versions);
  }

  /** A policy with one version, {@code v1}, which is the default. */
  public static ManagedPolicy of(String arn, String document) {
    return new ManagedPolicy(arn, "v1", Map.of("v1", document));
  }

  /** The document in force, parsed; its source names the owner, the ARN and the version. */
  public PolicyDocument defaultDocument(String owner) {
    String source = owner + " " + arn + " " + defaultVersionId;
    String document = versions.get(defaultVersionId);
    if (document == null) {
      throw new PolicyParseException(
          source, "DefaultVersionId", "version " + defaultVersionId + " is not among the versions");
    }
    return PolicyDocument.parse(source, document);
  }
}
