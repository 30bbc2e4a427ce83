package dev.roster.sandbox.iam.model;

/** An inline policy embedded in a user or group; the document is kept as the caller sent it. */
public final class InlinePolicy {
  public String name;
  public String document;

  public InlinePolicy() {}

  public InlinePolicy(String name, String document) {
    this.name = name;
    this.document = document;
  }
}
