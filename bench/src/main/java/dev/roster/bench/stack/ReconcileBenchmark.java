package dev.roster.bench.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Figure;
import dev.roster.bench.Report;
import dev.roster.bench.Spread;
import dev.roster.bench.Stacks;
import dev.roster.events.CloudEvents;
import dev.roster.events.Topics;
import dev.roster.local.Component;
import dev.roster.local.Stack;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityType;

/**
 * {@code reconcile 10k employees}: an HR snapshot of 10,000 active employees (CSV, report mode)
 * against 3 accounts whose IAM already holds them (seeded straight into the sandbox, a third per
 * account, 1 % with a planted group difference), three times. The figure is the IAM calls a run
 * makes against the minimum (one {@code GetAccountAuthorizationDetails} page of 1,000 users per
 * account and page); its time is set against the same pages read directly with the SDK, the three
 * accounts at once, alternately in the same run.
 */
public final class ReconcileBenchmark implements Benchmark {
  static final int EMPLOYEES = 10_000;
  static final int PAGE = 1000;
  static final List<String> ACCOUNTS = List.of("111111111111", "222222222222", "333333333333");
  static final List<String> GROUPS = List.of("developers", "qa", "operators");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "reconcile";
  }

  @Override
  public String description() {
    return "a 10,000-employee HR snapshot against 3 accounts: IAM calls against the minimum, time"
        + " against reading the same pages with the SDK";
  }

  @Override
  public void run(Context ctx, Report report) throws Exception {
    Path roles = Files.createTempFile("bench-reconcile-roles", ".yaml");
    Files.writeString(roles, roles());
    Stack built =
        Stacks.builder(ctx, name())
            .rolesFile(roles)
            .only(Component.KAFKA, Component.IAM, Component.HR_LISTENER, Component.PROVISIONER)
            .build();
    if (!built.unpackaged().isEmpty()) {
      report.add(
          Figure.missing(
              "reconcile 10k employees", "IAM calls", "hr-listener and provisioner not built"));
      return;
    }
    try (Stack stack = built.start()) {
      int[] users = seed(stack);
      long minimum = 0;
      for (int n : users) {
        minimum += Math.max(1, (n + PAGE - 1) / PAGE);
      }
      byte[] csv = snapshot();
      Hr hr = new Hr(stack.port(Component.HR_LISTENER));
      List<Double> seconds = new ArrayList<>();
      List<Double> baseline = new ArrayList<>();
      List<Double> calls = new ArrayList<>();
      try (KafkaConsumer<String, String> results = consumer(stack)) {
        results.subscribe(List.of(Topics.RECONCILIATIONS));
        for (int k = 0; k < 3; k++) {
          Map<String, Map<String, Long>> before = stack.iamSandbox().callCounts();
          long t0 = System.nanoTime();
          String id = JSON.readTree(hr.snapshot(csv, "report")).path("snapshotId").asText();
          JsonNode done = awaitEnd(results, id, Duration.ofMinutes(10));
          double s = (System.nanoTime() - t0) / 1e9;
          long iamCalls = iamCalls(before, stack.iamSandbox().callCounts());
          seconds.add(s);
          calls.add((double) iamCalls);
          report.note(
              "run %d: %s in %.2f s, %d IAM calls (minimum %d), counts %s"
                  .formatted(
                      k + 1,
                      done.path("status").asText(),
                      s,
                      iamCalls,
                      minimum,
                      done.path("counts")));
          baseline.add(directRead(stack));
        }
      }
      Spread time = Spread.of(seconds);
      Spread direct = Spread.of(baseline);
      report.add(
          Figure.of("reconcile 10k employees", "IAM calls", Spread.of(calls).median())
              .vs("GetAccountAuthorizationDetails pages of 1,000 users, 3 accounts", minimum)
              .targetRatioAtMost(1.0)
              .note("IAM calls of one report-mode run (STS excluded); " + Spread.of(calls)));
      report.add(
          Figure.of("reconcile 10k employees: time", "s", time.median())
              .vs("the same pages read with the SDK, 3 accounts at once", direct.median())
              .note(
                  "POST /v1/snapshots to the final status on reconciliations; "
                      + time
                      + "; baseline "
                      + direct));
    } finally {
      Files.deleteIfExists(roles);
    }
  }

  static String roles() {
    return """
        accounts:
          dev:     { id: "111111111111" }
          staging: { id: "222222222222", assumeRole: "arn:aws:iam::222222222222:role/roster-provisioner" }
          prod:    { id: "333333333333", assumeRole: "arn:aws:iam::333333333333:role/roster-provisioner" }
        roles:
          r0: { dev: [developers] }
          r1: { staging: [qa] }
          r2: { prod: [operators] }
        """;
  }

  /** Employee i holds role r(i % 3) in account i % 3; every 100th is one group off. */
  private static int[] seed(Stack stack) {
    int[] users = new int[3];
    Map<String, List<Map<String, Object>>> byAccount = new HashMap<>();
    for (int i = 0; i < EMPLOYEES; i++) {
      int a = i % 3;
      users[a]++;
      List<String> groups = new ArrayList<>();
      if (i % 200 != 0) {
        groups.add(GROUPS.get(a)); // every 200th: missing-group
      }
      if (i % 200 == 100) {
        groups.add("legacy"); // every 200th, offset: extra-group
      }
      byAccount
          .computeIfAbsent(ACCOUNTS.get(a), x -> new ArrayList<>())
          .add(
              Map.of(
                  "name",
                  user(i),
                  "path",
                  "/roster/",
                  "groups",
                  groups,
                  "tags",
                  Map.of(
                      "roster:managed-by", "roster",
                      "roster:employee-id", emp(i),
                      "roster:status", "active")));
    }
    Map<String, Object> accounts = new HashMap<>();
    for (int a = 0; a < 3; a++) {
      accounts.put(
          ACCOUNTS.get(a),
          Map.of(
              "groups", List.of(GROUPS.get(a), "legacy"), "users", byAccount.get(ACCOUNTS.get(a))));
    }
    try {
      stack
          .iamSandbox()
          .seed(new ByteArrayInputStream(JSON.writeValueAsBytes(Map.of("accounts", accounts))));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return users;
  }

  static String emp(int i) {
    return "E" + i;
  }

  static String user(int i) {
    return "emp.e" + i;
  }

  static byte[] snapshot() {
    StringBuilder csv = new StringBuilder("employeeId,username,status,roles\n");
    for (int i = 0; i < EMPLOYEES; i++) {
      csv.append(emp(i)).append(',').append(user(i)).append(",active,r").append(i % 3).append('\n');
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static KafkaConsumer<String, String> consumer(Stack stack) {
    Map<String, Object> props = new HashMap<>(stack.kafkaClientProperties());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reconcile-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
  }

  /** The reconciliation's final status record (completed, held or failed). */
  private static JsonNode awaitEnd(KafkaConsumer<String, String> consumer, String id, Duration max)
      throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
        Header type = r.headers().lastHeader(CloudEvents.HEADER_TYPE);
        if (!id.equals(r.key())
            || type == null
            || !CloudEvents.RECONCILIATION_TYPE.equals(
                new String(type.value(), StandardCharsets.UTF_8))) {
          continue;
        }
        JsonNode status = JSON.readTree(r.value());
        if (!status.path("status").asText().equals("running")) {
          return status;
        }
      }
    }
    throw new IllegalStateException("reconciliation " + id + " did not end within " + max);
  }

  /** IAM calls between two call-count snapshots, STS's AssumeRole and the like excluded. */
  private static long iamCalls(
      Map<String, Map<String, Long>> before, Map<String, Map<String, Long>> after) {
    Map<String, Long> byAction = Outcomes.delta(before, after);
    byAction.keySet().removeAll(List.of("AssumeRole", "GetCallerIdentity"));
    return Outcomes.total(byAction);
  }

  /** Seconds to read every account's users with the SDK's paginator, the accounts at once. */
  private static double directRead(Stack stack) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(ACCOUNTS.size());
    try {
      long t0 = System.nanoTime();
      List<Future<Long>> reads = new ArrayList<>();
      for (String account : ACCOUNTS) {
        reads.add(
            pool.submit(
                () -> {
                  try (IamClient iam = Stacks.iamClient(stack, account)) {
                    return iam
                        .getAccountAuthorizationDetailsPaginator(
                            r -> r.filter(EntityType.USER).maxItems(PAGE))
                        .stream()
                        .mapToLong(p -> p.userDetailList().size())
                        .sum();
                  }
                }));
      }
      long read = 0;
      for (Future<Long> f : reads) {
        read += f.get();
      }
      if (read < EMPLOYEES) {
        throw new IllegalStateException("direct read saw " + read + " users");
      }
      return (System.nanoTime() - t0) / 1e9;
    } finally {
      pool.shutdownNow();
    }
  }
}
