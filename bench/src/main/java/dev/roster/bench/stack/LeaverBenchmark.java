package dev.roster.bench.stack;

import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Figure;
import dev.roster.bench.Latency;
import dev.roster.bench.Report;
import dev.roster.bench.Stacks;
import dev.roster.bench.load.Events;
import dev.roster.bench.load.HttpLoad;
import dev.roster.local.Component;
import dev.roster.local.Stack;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Leaver cut-off, end to end: signed leave POSTs at a steady 50/s, each timed from its intended
 * send to the provisioner's {@code completedAt} of its outcome as the auditor stored it (every
 * credential already inactive by then), with the IAM sandbox answering at once and then 50 ms per
 * call. Baseline: a naive script doing the minimum leave calls directly with the AWS SDK, one call
 * after another, against the same sandbox at the same latency. Also: IAM calls per event type
 * (sandbox counters) against the minimum each event needs.
 */
public final class LeaverBenchmark implements Benchmark {
  static final double RATE = 50;
  static final int DIRECT_USERS = 20;
  static final int ROLE_CHANGES = 100;
  static final int CAP_SECONDS = 90;

  @Override
  public String name() {
    return "leaver";
  }

  @Override
  public String description() {
    return "leaver cut-off at 50 leaves/s (signed POST to every credential inactive, seen in the"
        + " auditor), IAM latency 0 and 50 ms; IAM calls per event type vs the minimum";
  }

  @Override
  public void run(Context ctx, Report report) throws Exception {
    Stack built = Stacks.builder(ctx, name()).build();
    if (!built.unpackaged().isEmpty()) {
      report.add(
          Figure.missing("leaver cut-off p99", "ms", "the three services are not all built"));
      return;
    }
    // 15 s of leaves at 0 ms, 10 s at 50 ms; each phase waits at most CAP_SECONDS for its cut-offs.
    int[] phaseSize = {(int) (750 * ctx.timeScale()), (int) (500 * ctx.timeScale())};
    int perPhase = phaseSize[0];
    try (Stack stack = built.start();
        Connection db = Stacks.jdbc(stack);
        IamClient dev = Stacks.iamClient(stack, Stacks.accountId(stack, "dev"))) {
      Hr hr = new Hr(stack.port(Component.HR_LISTENER));
      int leavers = phaseSize[0] + phaseSize[1];

      // 1. Hires (developer: dev all-staff + developers, staging readonly).
      List<String> hires = new ArrayList<>();
      List<String> hireIds = new ArrayList<>();
      for (int i = 0; i < leavers + DIRECT_USERS; i++) {
        String id = "evt-hire-" + i;
        hireIds.add(id);
        hires.add(Events.hire(id, emp(i), user(i), "developer"));
      }
      var before = stack.iamSandbox().callCounts();
      hr.postAll(hires);
      var hired = Outcomes.await(db, hireIds, 60);
      var hireCalls = Outcomes.delta(before, stack.iamSandbox().callCounts());
      report.note(
          "hires: " + hired.size() + "/" + hireIds.size() + " outcomes; IAM calls " + hireCalls);
      perType(
          report,
          "hire (developer: 2 accounts, 3 groups)",
          hireCalls,
          hired.size(),
          7,
          "GetUser ×2, CreateUser ×2 (tags included), AddUserToGroup ×3");

      // 2. Role changes developer → qa-engineer for some of the first phase's leavers.
      List<String> moves = new ArrayList<>();
      List<String> moveIds = new ArrayList<>();
      for (int i = 0; i < ROLE_CHANGES; i++) {
        String id = "evt-move-" + i;
        moveIds.add(id);
        moves.add(Events.roleChange(id, emp(i), "qa-engineer"));
      }
      before = stack.iamSandbox().callCounts();
      hr.postAll(moves);
      var moved = Outcomes.await(db, moveIds, 60);
      var moveCalls = Outcomes.delta(before, stack.iamSandbox().callCounts());
      report.note(
          "role changes: " + moved.size() + "/" + moveIds.size() + "; IAM calls " + moveCalls);
      perType(
          report,
          "role change (developer → qa-engineer)",
          moveCalls,
          moved.size(),
          9,
          "per account: read tags + groups; dev: RemoveUserFromGroup, TagUser; staging: Add, Remove, TagUser");

      // 3. Credentials on every leaver in dev: two access keys and a console password.
      boolean withCredentials = seedCredentials(dev, leavers + DIRECT_USERS, report);
      int leaveMinimum = withCredentials ? 30 : 27;

      // 4. Two phases of leaves at a steady 50/s: sandbox latency 0, then 50 ms per call.
      for (int phase = 0; phase < 2; phase++) {
        long latencyMs = phase == 0 ? 0 : 50;
        stack.iamSandbox().faults().clear();
        if (latencyMs > 0) {
          stack
              .iamSandbox()
              .faults()
              .latency(null, null, Duration.ofMillis(latencyMs), Duration.ZERO);
        }
        int from = phase * phaseSize[0];
        int size = phaseSize[phase];
        List<String> ids = new ArrayList<>();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger(from);
        long wallOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        before = stack.iamSandbox().callCounts();
        HttpLoad.Result posted;
        try (HttpLoad load = new HttpLoad("127.0.0.1", stack.port(Component.HR_LISTENER))) {
          posted =
              load.openLoop(
                  RATE,
                  16,
                  Duration.ZERO,
                  Duration.ofMillis((long) (size / RATE * 1000)),
                  () -> {
                    int i = next.getAndIncrement();
                    String id = "evt-leave-" + i;
                    return hr.single(id, Events.leave(id, emp(i)));
                  },
                  (request, status, intended, completed) -> {
                    if (status == 202) {
                      sentAt.put((String) request.tag(), (intended + wallOffset) / 1_000_000L);
                    }
                  });
        }
        ids.addAll(sentAt.keySet());
        var seen = Outcomes.await(db, ids, 60, CAP_SECONDS);
        var leaveCalls = Outcomes.delta(before, stack.iamSandbox().callCounts());
        Latency cutoff = new Latency();
        Latency visible = new Latency();
        int failed = 0;
        for (String id : ids) {
          Outcomes.Seen s = seen.get(id);
          if (s == null) {
            // Not cut off within the cap: counted at the cap, so percentiles are lower bounds.
            cutoff.recordMillis(System.currentTimeMillis() - sentAt.get(id));
            visible.recordMillis(System.currentTimeMillis() - sentAt.get(id));
            continue;
          }
          if (!"completed".equals(s.outcome()) || s.failed() > 0) {
            failed++;
          }
          long sent = sentAt.get(id);
          if (s.completedAt() != null) {
            cutoff.recordMillis(s.completedAt().toEpochMilli() - sent);
          }
          if (s.recordedAt() != null) {
            visible.recordMillis(s.recordedAt().toEpochMilli() - sent);
          }
        }
        Latency.Summary c = cutoff.summary();
        Latency.Summary v = visible.summary();
        String verified = verify(dev, from, Math.min(size, 10), withCredentials);
        Latency.Summary direct =
            directLeaves(
                stack,
                dev,
                leavers + phase * (DIRECT_USERS / 2),
                DIRECT_USERS / 2,
                withCredentials);
        report.note(
            "leaves at %d ms IAM latency: POSTs %s; outcomes %d/%d (%d not completed); cut-off %s; audit-visible %s; %s"
                .formatted(
                    latencyMs, posted.statuses(), seen.size(), ids.size(), failed, c, v, verified));
        report.note("direct SDK leave (%d ms): %s".formatted(latencyMs, direct));
        String label = "leaver cut-off, IAM " + latencyMs + " ms";
        double limit = latencyMs == 0 ? 500 : 2000;
        String missing =
            seen.size() < ids.size()
                ? (ids.size() - seen.size())
                    + " of "
                    + ids.size()
                    + " leaves not cut off within "
                    + CAP_SECONDS
                    + " s of the last POST (counted at that age: percentiles are lower bounds)"
                : null;
        report.add(
            Figure.of(label + ", p50", "ms", c.p50()).vs("direct SDK script p50", direct.p50()));
        report.add(
            Figure.of(label + ", p99", "ms", c.p99())
                .vs("direct SDK script p99", direct.p99())
                .targetBelow(limit)
                .note(missing));
        report.add(Figure.of(label + ", audit-visible p99", "ms", v.p99()));
        perType(
            report,
            "leave (IAM "
                + latencyMs
                + " ms; 2 accounts"
                + (withCredentials ? ", 2 keys + console" : "")
                + ")",
            leaveCalls,
            seen.size(),
            leaveMinimum,
            "per account 10 reads (tags, groups, keys, login profile, SSH, service creds, certs, MFA, attached, inline) + RemoveUserFromGroup per group, PutUserPolicy, TagUser; dev also UpdateAccessKey ×2, DeleteLoginProfile");
      }
      stack.iamSandbox().faults().clear();
      report.note(
          "services -Xmx"
              + Stacks.XMX
              + "; leaves posted open-loop at "
              + RATE
              + "/s, latency from the intended send time");
    }
  }

  static String emp(int i) {
    return "L" + i;
  }

  static String user(int i) {
    return "leaver.l" + i;
  }

  private static void perType(
      Report report,
      String type,
      Map<String, Long> calls,
      int events,
      double minimum,
      String minimumIs) {
    if (events == 0) {
      report.add(Figure.missing("IAM calls per " + type, "calls/event", "no event completed"));
      return;
    }
    double perEvent = (double) Outcomes.total(calls) / events;
    report.add(
        Figure.of("IAM calls per " + type, "calls/event", perEvent)
            .vs("minimum the event needs", minimum)
            .note("minimum = " + minimumIs + "; measured by action: " + perAction(calls, events)));
  }

  private static String perAction(Map<String, Long> calls, int events) {
    StringBuilder b = new StringBuilder();
    calls.forEach(
        (a, n) -> b.append(a).append(' ').append(Report.number((double) n / events)).append(", "));
    return b.isEmpty() ? "none" : b.substring(0, b.length() - 2);
  }

  /** Two access keys and a login profile per user in dev; false if the sandbox cannot. */
  private static boolean seedCredentials(IamClient dev, int users, Report report) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        String u = user(i);
        done.add(
            pool.submit(
                () -> {
                  dev.createAccessKey(r -> r.userName(u));
                  dev.createAccessKey(r -> r.userName(u));
                  dev.createLoginProfile(r -> r.userName(u).password("Bench-Passw0rd!" + u));
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      return true;
    } catch (Exception e) {
      report.note(
          "credentials not seeded (" + e.getCause() + "): leaves cut groups and policies only");
      return false;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Checks a sample of leavers in dev: no active key, no console, no group, deny-all in place. */
  private static String verify(IamClient dev, int from, int n, boolean withCredentials) {
    int ok = 0;
    for (int i = from; i < from + n; i++) {
      String u = user(i);
      try {
        boolean keys =
            dev.listAccessKeys(r -> r.userName(u)).accessKeyMetadata().stream()
                .map(AccessKeyMetadata::status)
                .noneMatch(StatusType.ACTIVE::equals);
        boolean console;
        try {
          dev.getLoginProfile(r -> r.userName(u));
          console = false;
        } catch (NoSuchEntityException e) {
          console = true;
        }
        boolean groups = dev.listGroupsForUser(r -> r.userName(u)).groups().isEmpty();
        boolean deny =
            dev.listUserPolicies(r -> r.userName(u)).policyNames().contains("roster-deny-all");
        if (keys && console && groups && deny) {
          ok++;
        }
      } catch (RuntimeException e) {
        // counted as not verified
      }
    }
    return "sandbox check: " + ok + "/" + n + " sampled leavers fully cut off in dev";
  }

  /**
   * The baseline: what a hand-written script calling IAM directly would take for one leaver, the
   * minimum calls one after another, in both accounts (staging through AssumeRole, once).
   */
  private static Latency.Summary directLeaves(
      Stack stack, IamClient dev, int from, int n, boolean withCredentials) {
    Latency latency = new Latency();
    try (StsClient sts =
        StsClient.builder()
            .endpointOverride(java.net.URI.create(stack.iamSandbox().endpoint().toString()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        Stacks.accountId(stack, "dev"), "roster-local")))
            .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
            .build()) {
      Credentials c =
          sts.assumeRole(
                  r ->
                      r.roleArn(
                              "arn:aws:iam::"
                                  + Stacks.accountId(stack, "staging")
                                  + ":role/roster-provisioner")
                          .roleSessionName("bench"))
              .credentials();
      try (IamClient staging =
          IamClient.builder()
              .endpointOverride(java.net.URI.create(stack.iamSandbox().endpoint().toString()))
              .region(Region.AWS_GLOBAL)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsSessionCredentials.create(
                          c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
              .httpClient(
                  software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
              .build()) {
        for (int i = from; i < from + n; i++) {
          String u = user(i);
          long t = System.nanoTime();
          leave(dev, u);
          leave(staging, u);
          latency.recordNanos(System.nanoTime() - t);
        }
      }
    } catch (RuntimeException e) {
      return new Latency().summary();
    }
    return latency.summary();
  }

  private static void leave(IamClient iam, String u) {
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

  static List<Integer> range(int from, int n) {
    return IntStream.range(from, from + n).boxed().toList();
  }

  static Instant now() {
    return Instant.now();
  }
}
