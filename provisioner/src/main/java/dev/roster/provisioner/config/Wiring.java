package dev.roster.provisioner.config;

import dev.roster.provisioner.CutOffVerifier;
import dev.roster.provisioner.Provisioner;
import dev.roster.provisioner.guard.PrivilegeGuard;
import dev.roster.provisioner.iam.AwsIamGateway;
import dev.roster.provisioner.iam.DryRunIamGateway;
import dev.roster.provisioner.iam.IamClients;
import dev.roster.provisioner.iam.IamFailure;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.iam.Retrier;
import dev.roster.provisioner.iam.UserIndex;
import dev.roster.provisioner.journal.Journal;
import dev.roster.provisioner.journal.KafkaJournal;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds the provisioner's parts from configuration; refuses to start on a bad role mapping. */
@Singleton
public class Wiring {
  private ExecutorService iamReads;
  private ExecutorService accountWork;
  private ExecutorService userWrites;

  @Produces
  @Singleton
  RoleMapping roleMapping(ProvisionerConfig config) {
    RoleMapping mapping = RoleMappingLoader.load(Path.of(config.rolesFile()));
    Log.infof(
        "role mapping %s: accounts %s, %d roles",
        config.rolesFile(), mapping.accounts().keySet(), mapping.roles().size());
    return mapping;
  }

  @Produces
  @Singleton
  IamClients iamClients(RoleMapping mapping, ProvisionerConfig config) {
    return new IamClients(mapping, config.iam());
  }

  void close(@Disposes IamClients clients) {
    clients.close();
  }

  @Produces
  @Singleton
  IamGateway iamGateway(
      IamClients clients, RoleMapping mapping, ProvisionerConfig config, MeterRegistry registry) {
    ProvisionerConfig.Retry retry = config.iam().retry();
    Retrier retrier =
        new Retrier(
            retry.maxAttempts(),
            retry.initialBackoff(),
            retry.maxBackoff(),
            registry,
            d -> Thread.sleep(d.toMillis()));
    int threads = config.iam().readThreads();
    Executor reads = Runnable::run;
    if (threads > 0) {
      iamReads = daemons(threads, "roster-iam-read");
      reads = iamReads;
    }
    Map<String, String> boundaries = new HashMap<>();
    config
        .iam()
        .userPermissionsBoundary()
        .ifPresent(
            name ->
                mapping
                    .accounts()
                    .values()
                    .forEach(
                        a ->
                            boundaries.put(
                                a.name(), "arn:aws:iam::" + a.id() + ":policy/" + name)));
    IamGateway gateway = new AwsIamGateway(clients.byAccount(), retrier, reads, boundaries);
    if (config.dryRun()) {
      Log.warn("dry run: IAM changes are planned and published, never applied");
      return new DryRunIamGateway(gateway);
    }
    return gateway;
  }

  @PreDestroy
  void shutdown() {
    if (iamReads != null) {
      iamReads.shutdownNow();
    }
    if (accountWork != null) {
      accountWork.shutdownNow();
      userWrites.shutdownNow();
    }
  }

  private static ExecutorService daemons(int threads, String name) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  @Produces
  @Singleton
  UserIndex userIndex(IamGateway gateway) {
    return new UserIndex(gateway);
  }

  /** The write-ahead journal on Kafka; none in dry run, where nothing is applied. */
  @Produces
  @Singleton
  Journal journal(
      ProvisionerConfig config,
      @Identifier(KafkaClientConfig.CONNECTOR_DEFAULTS) Map<String, Object> kafka) {
    if (config.dryRun()) {
      return Journal.NONE;
    }
    // As long as the publisher waits for acknowledgements: a broker restart is waited out.
    return new KafkaJournal(KafkaClientConfig.from(kafka), Duration.ofSeconds(60)).start();
  }

  void close(@Disposes Journal journal) {
    if (journal instanceof KafkaJournal kafka) {
      kafka.close();
    }
  }

  /**
   * The escalation guard, after reviewing every mapped group's policies in every account (a group
   * that cannot be read now is read again when first granted).
   */
  @Produces
  @Singleton
  PrivilegeGuard privilegeGuard(RoleMapping mapping, IamGateway gateway) {
    return new PrivilegeGuard(mapping, gateway).review();
  }

  @Produces
  @Singleton
  Provisioner provisioner(
      RoleMapping mapping,
      IamGateway gateway,
      UserIndex index,
      Journal journal,
      ProvisionerConfig config,
      PrivilegeGuard guard,
      MeterRegistry registry) {
    // Reads fork onto their own pool, so account work never waits for a thread it holds.
    accountWork = daemons(config.iam().accountThreads(), "roster-iam-account");
    userWrites = daemons(config.iam().accountThreads(), "roster-iam-write");
    return new Provisioner(
        mapping,
        gateway,
        index,
        journal,
        Clock.systemUTC(),
        accountWork,
        userWrites,
        config.iam().writesPerUser(),
        new CutOffVerifier(gateway, registry),
        guard);
  }

  /**
   * Validates the mapping now (not on the first event), starts reading the journal, reviews the
   * mapped groups for escalation and loads each account's user index.
   */
  void onStart(
      @Observes StartupEvent start,
      RoleMapping mapping,
      UserIndex index,
      Journal journal,
      PrivilegeGuard guard) {
    for (String account : mapping.accounts().keySet()) {
      try {
        index.load(account);
      } catch (IamFailure | IllegalStateException e) {
        // The account may come back; the index then loads on first use and health says down.
        Log.errorf("account %s unreachable at start-up: %s", account, e.getMessage());
      }
    }
  }
}
