package dev.roster.sandbox.iam.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An IAM group; its members are recorded on the users ({@link User#groups}). */
public final class Group {
  public String name;
  public String path;
  public String id;
  public Instant createDate;
  public Map<String, InlinePolicy> inlinePolicies = new TreeMap<>();
  public List<String> attachedPolicies = new ArrayList<>();
}
