package dev.roster.sandbox.iam;

import java.net.URI;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * One sandbox per test class, reset before each test; clients are the real AWS SDK v2 with only the
 * endpoint overridden. Retries are off so that every fault and error reaches the test.
 */
abstract class SandboxTestBase {
  static final String ACCOUNT = "111111111111";

  static IamSandbox sandbox;
  static SdkHttpClient http;
  IamClient iam;

  @BeforeAll
  static void startSandbox() {
    sandbox = IamSandbox.builder().build().start();
    http = UrlConnectionHttpClient.create();
  }

  @AfterAll
  static void stopSandbox() {
    http.close();
    sandbox.close();
  }

  @BeforeEach
  void resetSandbox() {
    sandbox.reset();
    iam = iam(ACCOUNT);
  }

  static IamClient iam(String accessKeyId) {
    return iam(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "secret")));
  }

  static IamClient iam(AwsCredentialsProvider credentials) {
    return iam(endpoint(), credentials, c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
  }

  /** An IamClient as a service would build it: only the endpoint differs from production. */
  static IamClient iam(
      URI endpoint,
      AwsCredentialsProvider credentials,
      Consumer<ClientOverrideConfiguration.Builder> config) {
    return IamClient.builder()
        .endpointOverride(endpoint)
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(credentials)
        .httpClient(http)
        .overrideConfiguration(config)
        .build();
  }

  static StsClient sts(String accessKeyId) {
    return sts(endpoint(), accessKeyId);
  }

  static StsClient sts(URI endpoint, String accessKeyId) {
    return StsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "secret")))
        .httpClient(http)
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  static AwsCredentialsProvider key(String accessKeyId) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "secret"));
  }

  static URI endpoint() {
    return sandbox.endpoint();
  }
}
