package dev.roster.bench.sdk;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The SDK HTTP clients the provisioner could build its {@link IamClient} with, each configured as
 * the provisioner configures today's ({@code provisioner/.../iam/IamClients.java}): 5-s connection
 * timeout, the call timeout as socket timeout, the default credential chain, the signing region
 * with an endpoint override, no SDK retries (the provisioner's Retrier retries) and the call
 * timeout per attempt.
 */
public enum HttpClientKind {
  /** Today's client: the JDK's HttpURLConnection. */
  URL_CONNECTION("url-connection"),
  APACHE("apache"),
  APACHE5("apache5"),
  /** The synchronous AWS CRT client (native code, its own event-loop threads). */
  AWS_CRT("aws-crt");

  /** The provisioner's defaults (ProvisionerConfig.Iam): call timeout, read threads, region. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
  static final int READ_THREADS = 16;
  static final String REGION = "us-east-1";

  private final String label;

  HttpClientKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static HttpClientKind of(String label) {
    return Arrays.stream(values())
        .filter(k -> k.label.equals(label))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown SDK HTTP client "
                        + label
                        + " (one of "
                        + Arrays.stream(values()).map(HttpClientKind::label).toList()
                        + ")"));
  }

  public SdkHttpClient http() {
    return switch (this) {
      case URL_CONNECTION -> {
        // As IamClients does: the JDK keeps only 5 idle connections per host unless told more.
        if (System.getProperty("http.maxConnections") == null) {
          System.setProperty(
              "http.maxConnections", Integer.toString(Math.max(5, 2 * READ_THREADS)));
        }
        yield UrlConnectionHttpClient.builder()
            .connectionTimeout(CONNECTION_TIMEOUT)
            .socketTimeout(CALL_TIMEOUT)
            .build();
      }
      case APACHE ->
          ApacheHttpClient.builder()
              .connectionTimeout(CONNECTION_TIMEOUT)
              .socketTimeout(CALL_TIMEOUT)
              .build();
      case APACHE5 ->
          Apache5HttpClient.builder()
              .connectionTimeout(CONNECTION_TIMEOUT)
              .socketTimeout(CALL_TIMEOUT)
              .build();
      // No socket timeout to set: the per-attempt timeout below bounds a call that hangs.
      case AWS_CRT -> AwsCrtHttpClient.builder().connectionTimeout(CONNECTION_TIMEOUT).build();
    };
  }

  /** An IAM client on {@code http} as the provisioner builds it with an endpoint override. */
  public static IamClient iam(SdkHttpClient http, URI endpoint) {
    return IamClient.builder()
        .region(Region.of(REGION))
        .endpointOverride(endpoint)
        .httpClient(http)
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .overrideConfiguration(
            o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallAttemptTimeout(CALL_TIMEOUT))
        .build();
  }
}
