package dev.roster.bench.stack;

import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Cpu;
import dev.roster.bench.Figure;
import dev.roster.bench.Latency;
import dev.roster.bench.ProcessMemory;
import dev.roster.bench.Report;
import dev.roster.bench.Stacks;
import dev.roster.bench.load.Events;
import dev.roster.bench.load.HttpLoad;
import dev.roster.local.Component;
import dev.roster.local.Stack;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Hires, role changes and leaves at 200 events/s for 60 s through the whole stack: p99 from HR's
 * 202 to the event's outcome being in the audit log, lost and duplicated events (must be 0), and
 * each service's memory. Baseline for the latency: a bare Kafka produce → consume round trip on the
 * same broker at the same rate (Roster's path has two such hops plus the work between them).
 */
public final class MixedBenchmark implements Benchmark {
  static final double RATE = 200;
  static final int CAP_SECONDS = 120;
  static final Set<String> MUTATIONS =
      Set.of(
          "CreateUser",
          "TagUser",
          "UntagUser",
          "AddUserToGroup",
          "RemoveUserFromGroup",
          "DeleteLoginProfile",
          "UpdateAccessKey",
          "UpdateSSHPublicKey",
          "UpdateServiceSpecificCredential",
          "UpdateSigningCertificate",
          "DeactivateMFADevice",
          "DetachUserPolicy",
          "DeleteUserPolicy",
          "PutUserPolicy");

  @Override
  public String name() {
    return "mixed";
  }

  /** Below this idle share before the run, the figures would measure the other load. */
  static final double MIN_IDLE = 0.5;

  @Override
  public String description() {
    return "hires, role changes and leaves at 200 events/s for 60 s: p99 intended send →"
        + " audit-visible (idle machine only),"
        + " lost, duplicated, RSS per service";
  }

  @Override
  public void run(Context ctx, Report report) throws Exception {
    Stack built = Stacks.builder(ctx, name()).build();
    if (!built.unpackaged().isEmpty()) {
      report.add(
          Figure.missing(
              "intended send → audit-visible p99", "ms", "the three services are not all built"));
      return;
    }
    Duration duration = ctx.seconds(60);
    // Only on an idle machine: the others' load is sampled before anything of ours starts.
    Cpu.Machine before0 = Cpu.Machine.now();
    Thread.sleep(5_000);
    double idleBefore = Cpu.Machine.now().idleSince(before0);
    report.note("machine idle share before the run: " + Report.number(idleBefore * 100) + " %");
    if (!(idleBefore >= MIN_IDLE) && !Boolean.getBoolean("bench.mixed.anyLoad")) {
      report.add(
          Figure.missing(
              "intended send → audit-visible p99",
              "ms",
              "refused: the machine was only "
                  + Report.number(idleBefore * 100)
                  + " % idle before the run (needs ≥ 50 %; -Dbench.mixed.anyLoad=true runs anyway,"
                  + " for a smoke test)"));
      return;
    }
    Cpu.Machine runStart = Cpu.Machine.now();
    try (Stack stack = built.start();
        Connection db = Stacks.jdbc(stack)) {
      Hr hr = new Hr(stack.port(Component.HR_LISTENER));
      Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
      AtomicLong n = new AtomicLong();
      long wallOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
      var before = stack.iamSandbox().callCounts();
      HttpLoad.Result posted;
      try (HttpLoad load = new HttpLoad("127.0.0.1", stack.port(Component.HR_LISTENER))) {
        posted =
            load.openLoop(
                RATE,
                32,
                Duration.ZERO,
                duration,
                () -> next(hr, n.getAndIncrement()),
                (request, status, intended, completed) -> {
                  if (status == 202) {
                    // From the intended send: a stalled hr-listener is charged for every request
                    // it delayed (the HTTP wait is part of what the HR system feels).
                    acceptedAt.put((String) request.tag(), (intended + wallOffset) / 1_000_000L);
                  }
                });
      }
      List<String> ids = new ArrayList<>(acceptedAt.keySet());
      // Wait for the pipeline to drain, at most CAP_SECONDS: a backlog beyond that is reported,
      // and told apart from loss by whether outcomes were still arriving at the end.
      var seen = Outcomes.await(db, ids, 30, CAP_SECONDS);
      int atCap = seen.size();
      if (seen.size() < ids.size()) {
        Thread.sleep(5_000);
        seen = Outcomes.read(db, ids);
      }
      boolean stillArriving = seen.size() > atCap;
      var calls = Outcomes.delta(before, stack.iamSandbox().callCounts());

      Latency visible = new Latency();
      int failed = 0;
      for (String id : ids) {
        Outcomes.Seen s = seen.get(id);
        if (s != null && s.recordedAt() != null) {
          visible.recordMillis(s.recordedAt().toEpochMilli() - acceptedAt.get(id));
          if (!"completed".equals(s.outcome())) {
            failed++;
          }
        }
      }
      long missing = ids.size() - seen.size();
      long nowMs = System.currentTimeMillis();
      for (String id : ids) {
        if (!seen.containsKey(id)) {
          visible.recordMillis(nowMs - acceptedAt.get(id)); // at least this late: lower bound
        }
      }
      long hrStored =
          Stacks.count(
              db,
              "SELECT count(*) FROM audit_log WHERE kind = 'hr_event' AND event_id LIKE 'evt-mix-%'");
      long duplicatedEvents =
          Stacks.count(
                  db,
                  "SELECT count(*) FROM (SELECT event_id FROM audit_log WHERE kind = 'hr_event'"
                      + " GROUP BY event_id HAVING count(*) > 1) d")
              + Stacks.count(
                  db,
                  "SELECT count(*) FROM (SELECT event_id FROM audit_log WHERE kind ="
                      + " 'provisioning_outcome' GROUP BY event_id HAVING count(*) > 1) d");
      // Read right after the sandbox's counters: mutations and logged changes from the same moment
      // (give or take the changes in flight between IAM and the auditor).
      long appliedChanges =
          Stacks.count(
              db,
              "SELECT count(*) FROM audit_log WHERE kind = 'iam_change' AND status = 'applied'");
      long sandboxMutations =
          calls.entrySet().stream()
              .filter(e -> MUTATIONS.contains(e.getKey()))
              .mapToLong(Map.Entry::getValue)
              .sum();
      Latency.Summary v = visible.summary();
      Latency.Summary kafka = kafkaRoundTrip(stack, ctx.seconds(20));

      report.note(
          "posted: "
              + posted.statuses()
              + " in "
              + posted.seconds()
              + " s; accepted "
              + ids.size()
              + "; HTTP "
              + posted.latency());
      report.note(
          "outcomes seen "
              + seen.size()
              + " ("
              + failed
              + " not completed); HR events stored "
              + hrStored);
      report.note("accepted → outcome in audit log: " + v);
      report.note("Kafka produce → consume round trip at " + RATE + "/s: " + kafka);
      report.note("IAM calls during the run by action: " + calls);
      report.add(
          Figure.of("intended send → audit-visible p99", "ms", v.p99())
              .vs("bare Kafka round trip p99", kafka.p99())
              .targetBelow(2000));
      report.add(
          Figure.of("intended send → audit-visible p50", "ms", v.p50())
              .vs("bare Kafka round trip p50", kafka.p50()));
      report.add(
          Figure.of("events accepted", "events", ids.size())
              .vs("events posted", posted.requests()));
      report.add(
          Figure.of(
                  stillArriving
                      ? "backlog (accepted, outcome not yet in the audit log after "
                          + CAP_SECONDS
                          + " s, still arriving)"
                      : "lost (accepted, no outcome in the audit log)",
                  "events",
                  missing)
              .targetEquals(0));
      report.add(
          Figure.of("duplicated HR events or outcomes in the audit log", "events", duplicatedEvents)
              .targetEquals(0));
      report.add(
          Figure.of("IAM mutations in the sandbox", "calls", sandboxMutations)
              .vs("applied changes in the audit log", appliedChanges)
              .note(
                  "ratio 1.00 means no mutation was applied twice and none is missing from the log"));
      Cpu.Machine runEnd = Cpu.Machine.now();
      report.add(
          Figure.of("machine idle share during the run", "%", runEnd.idleSince(runStart) * 100)
              .note("steal " + Report.number(runEnd.stealSince(runStart) * 100) + " %"));
      for (Component c : List.of(Component.HR_LISTENER, Component.PROVISIONER, Component.AUDITOR)) {
        long pid = stack.pid(c);
        double heap = ProcessMemory.heapUsedMiB(pid);
        report.add(
            Figure.of("RSS " + c.displayName() + " (peak)", "MiB", ProcessMemory.peakRssMiB(pid))
                .note(
                    "-Xmx"
                        + Stacks.XMX
                        + "; RSS now "
                        + Report.number(ProcessMemory.rssMiB(pid))
                        + " MiB, heap used now "
                        + Report.number(heap)
                        + " MiB"));
      }
    }
  }

  /**
   * The story: event i is a hire of a new employee, or (every third) a role change of someone hired
   * ~1.5 s earlier, or a leave of someone hired ~3 s earlier.
   */
  static HttpLoad.Request next(Hr hr, long i) {
    long j = i / 3;
    int slot = (int) (i % 3);
    String id = "evt-mix-" + i;
    if (slot == 1 && j >= 100) {
      return hr.single(id, Events.roleChange(id, "M" + (j - 100), "qa-engineer", "developer"));
    }
    if (slot == 2 && j >= 200) {
      return hr.single(id, Events.leave(id, "M" + (j - 200)));
    }
    String emp = slot == 0 ? "M" + j : "X" + i;
    return hr.single(id, Events.hire(id, emp, "mix." + emp.toLowerCase(), "developer"));
  }

  /** Produce at the same rate with acks=all, consume, time each record's round trip. */
  static Latency.Summary kafkaRoundTrip(Stack stack, Duration duration) {
    String topic = "bench.roundtrip";
    stack.kafka().createTopics(6, List.of(topic));
    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
    pp.put(ProducerConfig.ACKS_CONFIG, "all");
    pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-roundtrip");
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    Latency latency = new Latency();
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (consumer.assignment().isEmpty()) {
        consumer.poll(Duration.ofMillis(100));
      }
      long interval = (long) (1e9 / RATE);
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      long nextSend = start;
      long sent = 0;
      long received = 0;
      while (System.nanoTime() < end || received < sent) {
        long now = System.nanoTime();
        while (nextSend <= now && nextSend < end) {
          byte[] stamp = java.nio.ByteBuffer.allocate(8).putLong(nextSend).array();
          producer.send(new ProducerRecord<>(topic, Long.toString(sent).getBytes(), stamp));
          sent++;
          nextSend += interval;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(1))) {
          latency.recordNanos(System.nanoTime() - java.nio.ByteBuffer.wrap(r.value()).getLong());
          received++;
        }
        if (System.nanoTime() > end + 30_000_000_000L) {
          break;
        }
      }
    }
    return latency.summary();
  }
}
