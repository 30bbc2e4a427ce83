package dev.roster.provisioner.wiring;

import dev.roster.events.HrEvent;
import dev.roster.events.SecretStrength;
import dev.roster.policy.review.HygieneReview;
import dev.roster.provisioner.CutOffVerifier;
import dev.roster.provisioner.Provisioner;
import dev.roster.provisioner.ProvisionerMetrics;
import dev.roster.provisioner.RetentionDeleter;
import dev.roster.provisioner.config.Durations;
import dev.roster.provisioner.config.KafkaClientConfig;
import dev.roster.provisioner.config.ProvisionerConfig;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.config.RoleMappingLoader;
import dev.roster.provisioner.dispatch.Dispatcher;
import dev.roster.provisioner.guard.PrivilegeGuard;
import dev.roster.provisioner.iam.AwsIamGateway;
import dev.roster.provisioner.iam.CallGate;
import dev.roster.provisioner.iam.DryRunIamGateway;
import dev.roster.provisioner.iam.GatedIamGateway;
import dev.roster.provisioner.iam.IamClients;
import dev.roster.provisioner.iam.IamFailure;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.iam.Retrier;
import dev.roster.provisioner.iam.UserIndex;
import dev.roster.provisioner.journal.Journal;
import dev.roster.provisioner.journal.KafkaJournal;
import dev.roster.provisioner.messaging.EarlyCutOffs;
import dev.roster.provisioner.messaging.PartitionFence;
import dev.roster.provisioner.messaging.Publisher;
import dev.roster.provisioner.messaging.ReconciliationPublisher;
import dev.roster.provisioner.messaging.ReviewPublisher;
import dev.roster.provisioner.messaging.SnapshotParts;
import dev.roster.provisioner.messaging.SynthesizedDelivery;
import dev.roster.provisioner.reconcile.DriftCheck;
import dev.roster.provisioner.reconcile.Reconciler;
import dev.roster.provisioner.review.AwsOrganizationReader;
import dev.roster.provisioner.review.KafkaReviewState;
import dev.roster.provisioner.review.OrganizationReader;
import dev.roster.provisioner.review.ReviewRun;
import dev.roster.provisioner.review.ReviewRunner;
import dev.roster.provisioner.review.ReviewState;
import dev.roster.provisioner.schedule.KafkaScheduleStore;
import dev.roster.provisioner.schedule.Retention;
import dev.roster.provisioner.schedule.Schedule;
import dev.roster.provisioner.schedule.ScheduleStore;
import dev.roster.provisioner.schedule.ScheduleTimer;
import dev.roster.provisioner.schedule.Timeline;
import io.micrometer.core.instrument.Gauge;
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
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The provisioner's composition root: the one place where its parts are built from configuration
 * and connected (CDI producers), and where start-up checks run (a bad role mapping refuses to
 * start). Nothing else lives here: each part's behaviour is in its own package, and no other class
 * constructs the parts it depends on.
 */
@Singleton
public class CompositionRoot {
  private ExecutorService iamReads;
  private ExecutorService accountWork;
  private ExecutorService cutOffWork;
  private ExecutorService userWrites;
  private ExecutorService reconcileReads;
  private ExecutorService events;
  private ExecutorService early;
  private ExecutorService reviewReads;

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

  /**
   * Retries of every IAM (and Organizations) call, counted in the metrics; credentials IAM calls
   * expired are renewed first.
   */
  @Produces
  @Singleton
  Retrier retrier(ProvisionerConfig config, MeterRegistry registry, IamClients clients) {
    ProvisionerConfig.Retry retry = config.iam().retry();
    return new Retrier(
            retry.maxAttempts(),
            retry.initialBackoff(),
            retry.maxBackoff(),
            config.iam().throttleBudget(),
            config.iam().unreachableBudget(),
            registry,
            d -> Thread.sleep(d.toMillis()))
        .renewingCredentials(clients::renew);
  }

  /** Per account, IAM operations at once, the cut-off's first. */
  @Produces
  @Singleton
  CallGate callGate(ProvisionerConfig config) {
    return new CallGate(config.iam().callsPerAccount());
  }

  @Produces
  @Singleton
  IamGateway iamGateway(
      IamClients clients,
      RoleMapping mapping,
      ProvisionerConfig config,
      Retrier retrier,
      CallGate gate) {
    Executor reads = reads(config);
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
    IamGateway gateway =
        new GatedIamGateway(
            new AwsIamGateway(clients.byAccount(), retrier, reads, boundaries), gate);
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
    if (reconcileReads != null) {
      reconcileReads.shutdownNow();
    }
    if (events != null) {
      events.shutdownNow();
    }
    if (early != null) {
      early.shutdownNow();
    }
    if (reviewReads != null) {
      reviewReads.shutdownNow();
    }
    if (accountWork != null) {
      accountWork.shutdownNow();
      userWrites.shutdownNow();
      cutOffWork.shutdownNow();
    }
  }

  private static ThreadPoolExecutor daemons(int threads, String name) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        threads,
        threads,
        0L,
        TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  @Produces
  @Singleton
  UserIndex userIndex(IamGateway gateway, ProvisionerConfig config) {
    // Users another replica created are found by reading their tags, on the read threads too.
    return new UserIndex(gateway, reads(config), config.iam().readThreads());
  }

  /** The read threads, shared by a user's reads and the index's tag reads (inline when 0). */
  private synchronized Executor reads(ProvisionerConfig config) {
    int threads = config.iam().readThreads();
    if (threads <= 0) {
      return Runnable::run;
    }
    if (iamReads == null) {
      iamReads = daemons(threads, "roster-iam-read");
    }
    return iamReads;
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

  /** Held events and retention deadlines, on Kafka (also in dry run: holding applies nothing). */
  @Produces
  @Singleton
  ScheduleStore scheduleStore(
      @Identifier(KafkaClientConfig.CONNECTOR_DEFAULTS) Map<String, Object> kafka) {
    return new KafkaScheduleStore(KafkaClientConfig.from(kafka), Duration.ofSeconds(60));
  }

  void close(@Disposes ScheduleStore store) {
    if (store instanceof KafkaScheduleStore kafka) {
      kafka.close();
    }
  }

  @Produces
  @Singleton
  Schedule schedule(ScheduleStore store, MeterRegistry registry) {
    Schedule schedule = new Schedule(store);
    Gauge.builder("roster.events.held", schedule, Schedule::heldCount)
        .description("HR events held until their effectiveAt, in the partitions owned here")
        .register(registry);
    return schedule;
  }

  @Produces
  @Singleton
  Retention.Deleter retentionDeleter(
      RoleMapping mapping, IamGateway gateway, UserIndex index, Publisher publisher) {
    return new RetentionDeleter(mapping, gateway, index, publisher, Clock.systemUTC());
  }

  @Produces
  @Singleton
  Retention retention(ProvisionerConfig config, Schedule schedule, Retention.Deleter deleter) {
    return new Retention(Retention.parse(config.retention()), schedule, deleter);
  }

  @Produces
  @Singleton
  Timeline timeline(
      Provisioner provisioner,
      Publisher publisher,
      ProvisionerMetrics metrics,
      Schedule schedule,
      ProvisionerConfig config,
      Retention retention) {
    return new Timeline(
        provisioner,
        publisher,
        metrics,
        schedule,
        Clock.systemUTC(),
        config.holdTolerance(),
        config.defaultTimeZone(),
        retention);
  }

  /** Leaves cut off as they are taken in, ahead of their turn ({@code roster.early-cut-offs}). */
  @Produces
  @Singleton
  EarlyCutOffs earlyCutOffs(
      Provisioner provisioner,
      Timeline timeline,
      @Identifier(PartitionFence.NAME) PartitionFence fence,
      ProvisionerConfig config) {
    if (config.earlyCutOffs() <= 0) {
      return EarlyCutOffs.NONE;
    }
    early = daemons(config.earlyCutOffs(), "roster-early-cutoff");
    return new EarlyCutOffs(provisioner, timeline, fence, early);
  }

  @Produces
  @Singleton
  ScheduleTimer scheduleTimer(
      Schedule schedule,
      Timeline timeline,
      @Identifier(PartitionFence.NAME) PartitionFence fence,
      ProvisionerConfig config) {
    // One task per due employee: a batch of leaves effective at midnight is not applied one by one.
    return new ScheduleTimer(schedule, timeline, fence, Clock.systemUTC(), 16).start();
  }

  void close(@Disposes ScheduleTimer timer) {
    timer.close();
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
      MeterRegistry registry,
      CallGate gate,
      Dispatcher dispatcher) {
    // Reads fork onto their own pool, so account work never waits for a thread it holds.
    accountWork = daemons(config.iam().accountThreads(), "roster-iam-account");
    userWrites = daemons(config.iam().accountThreads(), "roster-iam-write");
    // Cut-offs on their own pool too: never queued behind a backlog of cleanups.
    cutOffWork = daemons(config.iam().accountThreads(), "roster-iam-cutoff");
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
            guard,
            new Provisioner.CutOffStage(cutOffWork, gate, dispatcher::releaseSlot))
        .retainingFor(Retention.parse(config.retention()));
  }

  /**
   * Runs the HR events of all partitions of this instance: {@code max-in-flight} at once, one
   * thread each (they wait on IAM), leaves first when they are all busy.
   */
  @Produces
  @Singleton
  Dispatcher dispatcher(ProvisionerConfig config, MeterRegistry registry) {
    // A thread per slot and per cleanup after a cut-off; idle ones end after a minute.
    ThreadPoolExecutor eventThreads =
        daemons(config.maxInFlight() + config.cleanupInFlight(), "roster-event");
    eventThreads.setKeepAliveTime(1, TimeUnit.MINUTES);
    eventThreads.allowCoreThreadTimeOut(true);
    events = eventThreads;
    Log.infof(
        "hr.events: up to %d events in flight, %d more looked ahead, %d cleanups after a cut-off",
        config.maxInFlight(), config.lookahead(), config.cleanupInFlight());
    Dispatcher dispatcher =
        new Dispatcher(config.maxInFlight(), config.lookahead(), config.cleanupInFlight(), events);
    // Held strongly: a gauge keeps the object of its first registration, and a registry that
    // outlives the application (tests restart it) must not report NaN from a collected one.
    Gauge.builder("roster.events.in.flight", dispatcher, Dispatcher::running)
        .description("HR events being applied now (at most roster.max-in-flight)")
        .strongReference(true)
        .register(registry);
    Gauge.builder("roster.events.waiting", dispatcher, Dispatcher::waiting)
        .description("HR events admitted and waiting for a slot (at most roster.lookahead)")
        .strongReference(true)
        .register(registry);
    Gauge.builder("roster.events.cleaning", dispatcher, Dispatcher::cleaning)
        .description(
            "leaves cut off, their slot freed, whose cleanup still runs (at most"
                + " roster.cleanup-in-flight)")
        .strongReference(true)
        .register(registry);
    return dispatcher;
  }

  /** Reads a held snapshot's parts back from hr.snapshots when it is approved. */
  @Produces
  @Singleton
  SnapshotParts snapshotParts(
      @Identifier(KafkaClientConfig.CONNECTOR_DEFAULTS) Map<String, Object> kafka) {
    return new SnapshotParts(KafkaClientConfig.from(kafka));
  }

  /**
   * Reconciliations of HR snapshots: differences corrected through the same provisioner, journal
   * and records as HR events (no fence: hr.snapshots partitions are not hr.events'; the watermark
   * orders a reconciliation's event against the employee's own).
   */
  @Produces
  @Singleton
  Reconciler reconciler(
      RoleMapping mapping,
      IamGateway gateway,
      Provisioner provisioner,
      Publisher publisher,
      ProvisionerMetrics metrics,
      ReconciliationPublisher sink,
      ProvisionerConfig config) {
    reconcileReads = daemons(mapping.accounts().size(), "roster-reconcile-read");
    return new Reconciler(
        mapping,
        gateway,
        event -> synthesized(provisioner, publisher, metrics, event, () -> true),
        sink,
        Clock.systemUTC(),
        reconcileReads,
        config.guard().maxDeactivations());
  }

  /**
   * An event the provisioner made itself (a reconciliation's or drift check's correction) through
   * the one path, its records to iam.changes, counted like an HR event.
   */
  private static Provisioner.Result synthesized(
      Provisioner provisioner,
      Publisher publisher,
      ProvisionerMetrics metrics,
      HrEvent event,
      java.util.function.BooleanSupplier owned) {
    Provisioner.Result result =
        provisioner.process(event, owned, new SynthesizedDelivery(publisher, event));
    metrics.processed(event, result);
    return result;
  }

  /** The review state (SCP snapshot, latest start) on its compacted topic. */
  @Produces
  @Singleton
  ReviewState reviewState(
      @Identifier(KafkaClientConfig.CONNECTOR_DEFAULTS) Map<String, Object> kafka) {
    return new KafkaReviewState(KafkaClientConfig.from(kafka), Duration.ofSeconds(60));
  }

  void close(@Disposes ReviewState state) {
    if (state instanceof KafkaReviewState kafka) {
      kafka.close();
    }
  }

  /**
   * Security reviews: Roster's users in every account, the mapped groups (the same guard as events,
   * so what a review finds escalating is refused from then on) and, when the mapping names it, the
   * organization read as its management account.
   */
  @Produces
  @Singleton
  ReviewRunner reviewRunner(
      RoleMapping mapping,
      IamGateway gateway,
      PrivilegeGuard guard,
      IamClients clients,
      Retrier retrier,
      ReviewState state,
      ReviewPublisher sink,
      ProvisionerConfig config) {
    ProvisionerConfig.Review review = config.review();
    Optional<OrganizationReader> organization =
        mapping
            .organization()
            .map(
                o -> {
                  RoleMapping.Account management = mapping.accounts().get(o.management());
                  return new AwsOrganizationReader(
                      clients.organizations().orElseThrow(),
                      retrier,
                      management.name(),
                      management.id());
                });
    reviewReads = daemons(mapping.accounts().size(), "roster-review-read");
    ReviewRun run =
        new ReviewRun(
            mapping,
            gateway,
            guard,
            organization,
            state,
            sink,
            new HygieneReview(review.maxKeyAge(), review.unusedAfter()),
            Clock.systemUTC(),
            reviewReads);
    return new ReviewRunner(
        run,
        state,
        Clock.systemUTC(),
        ReviewRunner.parseInterval(review.interval()),
        review.initialDelay());
  }

  void close(@Disposes ReviewRunner runner) {
    runner.close();
  }

  /**
   * Refuses to start when the provisioner's own credentials belong to another account than the
   * mapping's accounts reached without assumeRole; STS not answering is logged, not fatal (the
   * account may come back, as for the user index).
   */
  static void checkHomeAccount(RoleMapping mapping, IamClients clients) {
    String caller;
    try {
      caller = clients.callerAccount();
    } catch (SdkException e) {
      Log.errorf("home account not confirmed: STS GetCallerIdentity failed: %s", e.getMessage());
      return;
    }
    mapping
        .homeAccountMismatch(caller)
        .ifPresent(
            why -> {
              throw new IllegalStateException("refusing to start: " + why);
            });
    Log.infof("home account %s confirmed by STS GetCallerIdentity", caller);
  }

  /**
   * The drift check: every {@code roster.reconcile.interval}, this instance's employees (those of
   * the hr.events partitions it owns) against IAM, corrected under their lock and partition fence.
   */
  @Produces
  @Singleton
  DriftCheck driftCheck(
      Reconciler reconciler,
      Schedule schedule,
      @Identifier(PartitionFence.NAME) PartitionFence fence,
      Provisioner provisioner,
      Publisher publisher,
      ProvisionerMetrics metrics,
      ProvisionerConfig config) {
    DriftCheck check =
        new DriftCheck(
            reconciler,
            schedule,
            fence,
            (event, owned) -> synthesized(provisioner, publisher, metrics, event, owned),
            config.reconcile().drift() == ProvisionerConfig.Reconcile.Drift.repair);
    Durations.orNone("roster.reconcile.interval", config.reconcile().interval())
        .ifPresent(check::every);
    return check;
  }

  void close(@Disposes DriftCheck check) {
    check.close();
  }

  /**
   * Validates the mapping now (not on the first event), starts reading the journal, reviews the
   * mapped groups for escalation and loads each account's user index.
   */
  void onStart(
      @Observes StartupEvent start,
      ProvisionerConfig config,
      RoleMapping mapping,
      UserIndex index,
      Journal journal,
      PrivilegeGuard guard,
      ScheduleTimer timer,
      Retention retention,
      DriftCheck drift,
      ReviewRunner reviews,
      IamClients clients) {
    Log.infof(
        "drift check: every %s, %s", config.reconcile().interval(), config.reconcile().drift());
    // Refused at start-up, not at the first preview: a short secret is a configuration error.
    config
        .webhook()
        .secrets()
        .ifPresent(secrets -> SecretStrength.check("roster.webhook.secrets", secrets));
    Log.infof(
        "effective dating: default time zone %s, hold tolerance %s, retention %s",
        config.defaultTimeZone(),
        config.holdTolerance(),
        retention.after().map(Object::toString).orElse("none"));
    checkHomeAccount(mapping, clients);
    for (String account : mapping.accounts().keySet()) {
      try {
        index.load(account);
      } catch (IamFailure | IllegalStateException e) {
        // The account may come back; the index then loads on first use and health says down.
        Log.errorf("account %s unreachable at start-up: %s", account, e.getMessage());
      }
    }
    reviews.start();
  }
}
