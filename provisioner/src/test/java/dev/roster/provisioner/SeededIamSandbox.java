package dev.roster.provisioner;

import dev.roster.sandbox.iam.IamSandboxTestResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The IAM sandbox, seeded with the groups of deploy/roles.yaml and the roster-provisioner roles of
 * staging and prod before the application starts; the application's default credentials (system
 * properties) select the dev account, and AssumeRole reaches the others.
 */
public class SeededIamSandbox extends IamSandboxTestResource {
  static final String DEV = "111111111111";
  static final String STAGING = "222222222222";
  static final String PROD = "333333333333";

  @Override
  public Map<String, String> start() {
    Map<String, String> config = super.start();
    try (InputStream seed = SeededIamSandbox.class.getResourceAsStream("/iam-seed.json")) {
      sandbox().seed(seed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.setProperty("aws.accessKeyId", DEV);
    System.setProperty("aws.secretAccessKey", "sandbox-secret");
    return config;
  }
}
