package dev.roster.sandbox.iam.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An IAM user and everything that hangs off it (which is what blocks DeleteUser). */
public final class User {
  public String name;
  public String path;
  public String id;
  public Instant createDate;
  public Map<String, String> tags = new LinkedHashMap<>();

  /** ARN of the managed policy set as the user's permissions boundary, or null. */
  public String permissionsBoundary;

  /** Keys of the groups the user belongs to. */
  public List<String> groups = new ArrayList<>();

  public LoginProfile loginProfile;
  public List<AccessKey> accessKeys = new ArrayList<>();
  public List<SshKey> sshKeys = new ArrayList<>();
  public List<ServiceCredential> serviceCredentials = new ArrayList<>();
  public List<SigningCertificate> signingCertificates = new ArrayList<>();
  public Map<String, InlinePolicy> inlinePolicies = new TreeMap<>();

  /** ARNs of the attached managed policies. */
  public List<String> attachedPolicies = new ArrayList<>();
}
