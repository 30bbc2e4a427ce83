package dev.roster.sandbox.iam.action;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A small catalogue of AWS managed policies ({@code arn:aws:iam::aws:policy/...}) that exist in
 * every account, so that attaching the common ones works as in IAM. Their documents are
 * abbreviated.
 */
public final class AwsManagedPolicies {
  /** An AWS managed policy. */
  public record Entry(String name, String path, String id, String document) {
    public String arn() {
      return "arn:aws:iam::aws:policy" + path + name;
    }
  }

  static final Instant CREATED = Instant.parse("2015-02-06T18:39:46Z");

  private static final String ALLOW_ALL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

  private static final List<Entry> ENTRIES =
      List.of(
          new Entry("AdministratorAccess", "/", "ANPAIWMBCKSKIEE64ZLYK", ALLOW_ALL),
          new Entry("PowerUserAccess", "/", "ANPAJYRXTHIB4FOVS3ZXS", doc("NotAction", "iam:*")),
          new Entry("ReadOnlyAccess", "/", "ANPAILL3HVNFSB6DCOWYQ", doc("Action", "*:Get*")),
          new Entry("IAMReadOnlyAccess", "/", "ANPAJKSO7NDY4T57MWDSQ", doc("Action", "iam:Get*")),
          new Entry(
              "IAMUserChangePassword",
              "/",
              "ANPAJ4L4MM2A7QIEB56MS",
              doc("Action", "iam:ChangePassword")),
          new Entry(
              "AmazonS3ReadOnlyAccess", "/", "ANPAIZTJ4DXE7G6AGAE6M", doc("Action", "s3:Get*")),
          new Entry(
              "AWSCodeCommitPowerUser",
              "/",
              "ANPAI4VCZ3XPIZLQ5NZV2",
              doc("Action", "codecommit:*")),
          new Entry(
              "ViewOnlyAccess",
              "/job-function/",
              "ANPAID22R6XPJATWOFDK6",
              doc("Action", "*:List*")),
          new Entry(
              "Billing", "/job-function/", "ANPAIFTHXT6FFMIRT7ZEA", doc("Action", "aws-portal:*")));

  private static final Map<String, Entry> BY_ARN =
      ENTRIES.stream().collect(Collectors.toMap(e -> e.arn(), Function.identity()));

  private AwsManagedPolicies() {}

  public static List<Entry> all() {
    return ENTRIES;
  }

  public static Entry byArn(String arn) {
    return BY_ARN.get(arn);
  }

  public static Entry byName(String name) {
    return ENTRIES.stream().filter(e -> e.name().equalsIgnoreCase(name)).findFirst().orElse(null);
  }

  private static String doc(String key, String action) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\""
        + key
        + "\":\""
        + action
        + "\",\"Resource\":\"*\"}]}";
  }
}
