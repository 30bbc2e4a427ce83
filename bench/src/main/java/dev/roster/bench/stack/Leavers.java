package dev.roster.bench.stack;

import dev.roster.bench.Report;
import dev.roster.bench.load.Events;
import dev.roster.sandbox.iam.IamSandbox;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * The leaver benchmark's supply of employees: each is hired through Roster (a {@code developer}:
 * dev {@code all-staff} + {@code developers}, staging {@code readonly}), then given two access keys
 * and a console password in dev, and left exactly once. Left users are deleted from the sandbox
 * between phases (IAM's quota is 5,000 users per account); all of this is harness work outside
 * every measured window.
 */
final class Leavers {
  private final IamSandbox iam;
  private final Connection db;
  private final Hr hr;
  private final IamClient dev;
  private final IamClient staging;
  private final Report report;
  private int next;
  private Map<String, Long> hireCalls = Map.of();
  private int hired;

  Leavers(IamSandbox iam, Connection db, Hr hr, IamClient dev, IamClient staging, Report report) {
    this.iam = iam;
    this.db = db;
    this.hr = hr;
    this.dev = dev;
    this.staging = staging;
    this.report = report;
  }

  static String emp(int i) {
    return "L" + i;
  }

  static String user(int i) {
    return "leaver.l" + i;
  }

  static String leaveId(int i) {
    return "evt-leave-" + i;
  }

  /** IAM calls of the first hires, by action, and how many hires they were for. */
  Map<String, Long> hireCalls() {
    return hireCalls;
  }

  int firstHires() {
    return hired;
  }

  /**
   * Hires {@code n} new employees and waits for their outcomes; call with no IAM fault in force.
   * Returns their indices.
   */
  List<Integer> hire(int n) throws Exception {
    List<Integer> out = new ArrayList<>();
    List<String> events = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      int i = next++;
      out.add(i);
      ids.add("evt-hire-" + i);
      events.add(Events.hire("evt-hire-" + i, emp(i), user(i), "developer"));
    }
    var before = iam.callCounts();
    hr.postAll(events);
    var seen = Outcomes.await(db, ids, 60);
    if (hireCalls.isEmpty()) {
      hireCalls = Outcomes.delta(before, iam.callCounts());
      hired = seen.size();
    }
    if (seen.size() < n) {
      report.note("hires: only " + seen.size() + " of " + n + " outcomes arrived");
    }
    parallel(out, i -> credentials(user(i)));
    return out;
  }

  private void credentials(String u) {
    dev.createAccessKey(r -> r.userName(u));
    dev.createAccessKey(r -> r.userName(u));
    dev.createLoginProfile(r -> r.userName(u).password("Bench-Passw0rd!" + u));
  }

  /** Deletes left users in both accounts (whatever is left on them first). */
  void delete(List<Integer> users) throws Exception {
    parallel(
        users,
        i -> {
          deleteUser(dev, user(i));
          deleteUser(staging, user(i));
        });
  }

  private static void deleteUser(IamClient iam, String u) {
    try {
      for (AccessKeyMetadata k : iam.listAccessKeys(r -> r.userName(u)).accessKeyMetadata()) {
        iam.deleteAccessKey(r -> r.userName(u).accessKeyId(k.accessKeyId()));
      }
      try {
        iam.deleteLoginProfile(r -> r.userName(u));
      } catch (NoSuchEntityException e) {
        // already gone: the leave deleted it
      }
      for (String p : iam.listUserPolicies(r -> r.userName(u)).policyNames()) {
        iam.deleteUserPolicy(r -> r.userName(u).policyName(p));
      }
      for (Group g : iam.listGroupsForUser(r -> r.userName(u)).groups()) {
        iam.removeUserFromGroup(r -> r.userName(u).groupName(g.groupName()));
      }
      for (var p : iam.listAttachedUserPolicies(r -> r.userName(u)).attachedPolicies()) {
        iam.detachUserPolicy(r -> r.userName(u).policyArn(p.policyArn()));
      }
      iam.deleteUser(r -> r.userName(u));
    } catch (NoSuchEntityException e) {
      // never created in this account
    }
  }

  interface Work {
    void on(int i) throws Exception;
  }

  static void parallel(List<Integer> items, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i : items) {
        done.add(
            pool.submit(
                () -> {
                  work.on(i);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
