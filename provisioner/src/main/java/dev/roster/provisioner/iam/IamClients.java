package dev.roster.provisioner.iam;

import dev.roster.provisioner.config.ProvisionerConfig;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMapping.Account;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * One {@link IamClient} per mapped account: the default credential chain, through STS AssumeRole
 * (credentials refreshed before they expire) where the mapping names a role.
 */
public final class IamClients implements AutoCloseable {
  private final SdkHttpClient http;
  private final Map<String, IamClient> clients = new LinkedHashMap<>();
  private final Map<String, Renewable> renewable = new LinkedHashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final OrganizationsClient organizations;
  private final AwsCredentialsProvider base;
  private final Region region;
  private final ProvisionerConfig.Iam config;

  public IamClients(RoleMapping mapping, ProvisionerConfig.Iam config) {
    // Apache's client: the least CPU per call of the pure-Java clients (bench/run sdk-http: 0.83×
    // url-connection's). Its pool holds a connection for every call that can be in flight (each
    // account's gate, plus the index's and the health check's calls), so none waits for one
    // and none is opened and closed per call.
    this.http =
        ApacheHttpClient.builder()
            .maxConnections(connections(mapping, config))
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(config.callTimeout())
            .build();
    this.config = config;
    AwsCredentialsProvider base = DefaultCredentialsProvider.builder().build();
    this.base = base;
    Region region = Region.of(config.region());
    this.region = region;
    Map<String, AwsCredentialsProvider> byName = new LinkedHashMap<>();
    for (Account account : mapping.accounts().values()) {
      AwsCredentialsProvider credentials = base;
      if (account.assumeRole().isPresent()) {
        StsClientBuilder sts =
            StsClient.builder().region(region).httpClient(http).credentialsProvider(base);
        config.endpoint().ifPresent(sts::endpointOverride);
        StsClient stsClient = sts.build();
        String role = account.assumeRole().get();
        Renewable assumed =
            new Renewable(
                () ->
                    StsAssumeRoleCredentialsProvider.builder()
                        .stsClient(stsClient)
                        .refreshRequest(r -> r.roleArn(role).roleSessionName(config.sessionName()))
                        .build());
        renewable.put(account.name(), assumed);
        closeables.add(assumed);
        closeables.add(stsClient);
        credentials = assumed;
      }
      byName.put(account.name(), credentials);
      IamClient client = global(IamClient.builder(), credentials, region, config).build();
      closeables.add(client);
      clients.put(account.name(), client);
      Log.infof(
          "account %s (%s): %s%s",
          account.name(),
          account.id(),
          account.assumeRole().map(r -> "assuming " + r).orElse("default credentials"),
          config.endpoint().map(e -> ", endpoint " + e).orElse(""));
    }
    this.organizations =
        mapping
            .organization()
            .map(o -> organizations(byName.get(o.management()), region, config))
            .orElse(null);
  }

  /** Calls that can be in flight at once: every account's gate full, and the read threads. */
  static int connections(RoleMapping mapping, ProvisionerConfig.Iam config) {
    return mapping.accounts().size() * config.callsPerAccount() + config.readThreads() + 8;
  }

  /**
   * A client of a global service (IAM, Organizations: with an endpoint override the region only
   * signs requests) on the shared HTTP client, with the SDK's own retries off: retries are ours
   * ({@link Retrier}), so that every attempt is counted and bounded once.
   */
  private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B global(
      B builder, AwsCredentialsProvider credentials, Region region, ProvisionerConfig.Iam config) {
    builder
        .region(config.endpoint().isPresent() ? region : Region.AWS_GLOBAL)
        .credentialsProvider(credentials)
        .overrideConfiguration(
            o ->
                o.retryStrategy(AwsRetryStrategy.doNotRetry())
                    .apiCallAttemptTimeout(config.callTimeout()));
    builder.httpClient(http);
    config.endpoint().ifPresent(builder::endpointOverride);
    return builder;
  }

  /**
   * AWS Organizations as the management account (its credentials, as for its IAM client); the same
   * endpoint override as IAM (the sandbox answers both).
   */
  private OrganizationsClient organizations(
      AwsCredentialsProvider credentials, Region region, ProvisionerConfig.Iam config) {
    OrganizationsClient client =
        global(OrganizationsClient.builder(), credentials, region, config).build();
    closeables.add(client);
    return client;
  }

  /**
   * The account the provisioner's own credentials (the default chain, before any AssumeRole) belong
   * to: STS {@code GetCallerIdentity}, which needs no permission.
   */
  public String callerAccount() {
    StsClientBuilder sts =
        StsClient.builder()
            .region(region)
            .httpClient(http)
            .credentialsProvider(base)
            .overrideConfiguration(
                o ->
                    o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(config.callTimeout()));
    config.endpoint().ifPresent(sts::endpointOverride);
    try (StsClient client = sts.build()) {
      return client.getCallerIdentity().account();
    }
  }

  /**
   * Assumes the account's role again, for when IAM refuses credentials the SDK still holds valid
   * (revoked sessions, STS's clock ahead of ours). Accounts on the default chain have nothing to
   * renew.
   */
  public void renew(String account) {
    Renewable r = renewable.get(account);
    if (r != null) {
      r.renew();
    }
  }

  /**
   * An AssumeRole credentials provider that can be replaced by a fresh one: the SDK's provider
   * refreshes only by its own expiry clock. At most one renewal per {@link #MIN_RENEWAL_GAP}: all
   * calls in flight on the old keys fail together and need one new session, not one each.
   */
  static final class Renewable implements AwsCredentialsProvider, AutoCloseable {
    static final Duration MIN_RENEWAL_GAP = Duration.ofSeconds(1);

    private final Supplier<StsAssumeRoleCredentialsProvider> factory;
    private final List<StsAssumeRoleCredentialsProvider> made = new ArrayList<>();
    private volatile StsAssumeRoleCredentialsProvider current;
    private long renewedAt = System.nanoTime() - MIN_RENEWAL_GAP.toNanos();

    Renewable(Supplier<StsAssumeRoleCredentialsProvider> factory) {
      this.factory = factory;
      this.current = factory.get();
      made.add(current);
    }

    @Override
    public AwsCredentials resolveCredentials() {
      return current.resolveCredentials();
    }

    synchronized void renew() {
      long now = System.nanoTime();
      if (now - renewedAt < MIN_RENEWAL_GAP.toNanos()) {
        return;
      }
      renewedAt = now;
      // The old provider is closed at shutdown only: calls may still be resolving with it.
      current = factory.get();
      made.add(current);
    }

    @Override
    public synchronized void close() {
      made.forEach(StsAssumeRoleCredentialsProvider::close);
    }
  }

  /** The Organizations client of the management account, when the mapping names one. */
  public java.util.Optional<OrganizationsClient> organizations() {
    return java.util.Optional.ofNullable(organizations);
  }

  public Map<String, IamClient> byAccount() {
    return Map.copyOf(clients);
  }

  @Override
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        Log.debugf("closing %s: %s", c, e.getMessage());
      }
    }
    http.close();
  }
}
