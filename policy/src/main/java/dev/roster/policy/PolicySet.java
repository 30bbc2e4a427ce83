package dev.roster.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * The identity policies in force for a principal: a user's inline and attached policies and those
 * of each of its groups (or just one group's, to ask what membership grants).
 */
public final class PolicySet {
  private final List<PolicyDocument> documents;

  private PolicySet(List<PolicyDocument> documents) {
    this.documents = List.copyOf(documents);
  }

  public static PolicySet of(PolicyDocument... documents) {
    return new PolicySet(List.of(documents));
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<PolicyDocument> documents() {
    return documents;
  }

  public Decision decide(Request request) {
    return PolicyEvaluator.decide(documents, request);
  }

  public Evaluation evaluate(Request request) {
    return PolicyEvaluator.evaluate(documents, request);
  }

  /** Collects documents; {@code owner} is e.g. {@code user alice} or {@code group developers}. */
  public static final class Builder {
    private final List<PolicyDocument> documents = new ArrayList<>();

    private Builder() {}

    public Builder inline(String owner, String policyName, String document) {
      documents.add(PolicyDocument.parse(owner + " inline " + policyName, document));
      return this;
    }

    public Builder managed(String owner, ManagedPolicy policy) {
      documents.add(policy.defaultDocument(owner));
      return this;
    }

    public Builder add(PolicyDocument document) {
      documents.add(document);
      return this;
    }

    public Builder addAll(PolicySet other) {
      documents.addAll(other.documents);
      return this;
    }

    public PolicySet build() {
      return new PolicySet(documents);
    }
  }
}
