package dev.roster.bench.stack;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * The baselines that call IAM directly with the AWS SDK, against the same sandbox: a hand-written
 * leave script (the minimum calls, one after another per account, the two accounts at once) with a
 * given number of leaves in flight; one IAM round trip; and the harness check, many SDK clients
 * calling the sandbox at once to show its call rate under a latency fault.
 */
public final class DirectIam {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private DirectIam() {}

  /** Leaves completed per second, and the client-side CPU (SDK and script) per leave in ms. */
  record Capacity(double perSecond, double cpuMillisPerLeave) {}

  /** Leaves {@code users} with {@code inFlight} leaves at a time; each leave does both accounts. */
  static Capacity leaves(IamClient dev, IamClient staging, List<String> users, int inFlight)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2 * inFlight, loadThreads());
    AtomicLong cpuNanos = new AtomicLong();
    try {
      long t0 = System.nanoTime();
      List<CompletableFuture<Void>> all = new ArrayList<>();
      java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(inFlight);
      for (String u : users) {
        slots.acquire();
        CompletableFuture<Void> d =
            CompletableFuture.runAsync(timed(() -> leave(dev, u), cpuNanos), pool);
        CompletableFuture<Void> s =
            CompletableFuture.runAsync(timed(() -> leave(staging, u), cpuNanos), pool);
        all.add(CompletableFuture.allOf(d, s).whenComplete((v, e) -> slots.release()));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Capacity(users.size() / seconds, cpuNanos.get() / 1e6 / users.size());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Named so that {@code Usage} counts them as the load generator's. */
  private static java.util.concurrent.ThreadFactory loadThreads() {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "bench-load-sdk-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static Runnable timed(Runnable work, AtomicLong cpuNanos) {
    return () -> {
      long c = THREADS.getCurrentThreadCpuTime();
      try {
        work.run();
      } finally {
        cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - c);
      }
    };
  }

  /** The minimum calls that leave a user in one account: 10 reads, then what they found. */
  public static void leave(IamClient iam, String u) {
    for (AccessKeyMetadata k : iam.listAccessKeys(r -> r.userName(u)).accessKeyMetadata()) {
      if (k.status() == StatusType.ACTIVE) {
        iam.updateAccessKey(
            r -> r.userName(u).accessKeyId(k.accessKeyId()).status(StatusType.INACTIVE));
      }
    }
    try {
      iam.getLoginProfile(r -> r.userName(u));
      iam.deleteLoginProfile(r -> r.userName(u));
    } catch (NoSuchEntityException e) {
      // no console access
    }
    iam.listUserTags(r -> r.userName(u));
    iam.listSSHPublicKeys(r -> r.userName(u));
    iam.listServiceSpecificCredentials(r -> r.userName(u));
    iam.listSigningCertificates(r -> r.userName(u));
    iam.listMFADevices(r -> r.userName(u));
    iam.listAttachedUserPolicies(r -> r.userName(u));
    iam.listUserPolicies(r -> r.userName(u));
    for (Group g : iam.listGroupsForUser(r -> r.userName(u)).groups()) {
      iam.removeUserFromGroup(r -> r.userName(u).groupName(g.groupName()));
    }
    iam.putUserPolicy(
        r ->
            r.userName(u)
                .policyName("bench-deny-all")
                .policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}"));
    iam.tagUser(r -> r.userName(u).tags(t -> t.key("roster:status").value("deactivated")));
  }

  /** Milliseconds of one read (ListUserTags), sequentially, {@code n} times. */
  static List<Double> roundTrips(IamClient iam, String user, int n) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      iam.listUserTags(r -> r.userName(user));
      out.add((System.nanoTime() - t) / 1e6);
    }
    return out;
  }

  /**
   * The harness check: {@code clients} threads each calling ListUserTags back to back for {@code
   * duration}; answers per second (errors are not counted).
   */
  public static double callRate(IamClient iam, String user, int clients, Duration duration)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients, loadThreads());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong calls = new AtomicLong();
    try {
      List<CompletableFuture<Void>> all = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < clients; i++) {
        all.add(
            CompletableFuture.runAsync(
                () -> {
                  while (!stop.get()) {
                    try {
                      iam.listUserTags(r -> r.userName(user));
                      calls.incrementAndGet();
                    } catch (RuntimeException e) {
                      // a failed call is not an answer
                    }
                  }
                },
                pool));
      }
      Thread.sleep(duration.toMillis());
      long n = calls.get();
      double seconds = (System.nanoTime() - t0) / 1e9;
      stop.set(true);
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
      return n / seconds;
    } finally {
      pool.shutdownNow();
    }
  }
}
