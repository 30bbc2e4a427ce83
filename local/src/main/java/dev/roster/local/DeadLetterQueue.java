package dev.roster.local;

import dev.roster.events.CloudEvents;
import dev.roster.events.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@code ./roster dlq list|show|replay} over {@code hr.events.dlq} and {@code audit.dlq}. A dead
 * letter is the consumed record as it came plus the {@code dlq_*} headers the provisioner and the
 * auditor add; a replay sends that record back to the topic it was consumed from once its cause is
 * fixed, so the services process it as any other record (both are idempotent on its id).
 */
final class DeadLetterQueue {
  static final Set<String> SWITCHES = Set.of("--json");
  static final Set<String> VALUES =
      Set.of("--reason", "--topic", "--bootstrap-servers", "--kafka-config", "--data-dir");
  static final List<String> TOPICS = List.of(Topics.HR_EVENTS_DLQ, Topics.AUDIT_DLQ);

  /** Where replays are appended, inside the data directory. */
  static final String REPLAY_LOG = "logs/dlq-replay.log";

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final PrintStream out;
  private final KafkaTarget kafka;
  private final Path dataDir;

  DeadLetterQueue(PrintStream out, KafkaTarget kafka, Path dataDir) {
    this.out = out;
    this.kafka = kafka;
    this.dataDir = dataDir;
  }

  /** {@code ./roster dlq ...} (args[0] is "dlq"). */
  static int run(PrintStream out, Path root, String[] args) {
    if (args.length < 2 || args[1].startsWith("-")) {
      throw new LauncherException(
          (args.length < 2 ? "dlq needs a sub-command" : "Unknown option " + args[1] + " for 'dlq'")
              + "; "
              + Help.DLQ_USAGE
              + ".",
          2,
          null);
    }
    String sub = args[1];
    if (!List.of("list", "show", "replay").contains(sub)) {
      throw new LauncherException(
          "Unknown dlq sub-command " + sub + "; " + Help.DLQ_USAGE + ".", 2, null);
    }
    Args a = Args.parse("dlq " + sub, Help.DLQ_USAGE, args, 2, SWITCHES, VALUES);
    String topic = a.value("--topic");
    if (topic != null && !TOPICS.contains(topic)) {
      throw new LauncherException(
          "--topic must be " + String.join(" or ", TOPICS) + ", not " + topic + ".", 2, null);
    }
    int maxPositional = sub.equals("list") ? 0 : 1;
    if (a.positional().size() > maxPositional) {
      throw new LauncherException(
          "Unexpected argument "
              + a.positional().get(maxPositional)
              + " for 'dlq "
              + sub
              + "'; "
              + Help.DLQ_USAGE
              + ".",
          2,
          null);
    }
    String id = a.positional().isEmpty() ? null : a.positional().get(0);
    String reason = a.value("--reason");
    if (sub.equals("show") && id == null) {
      throw new LauncherException("dlq show needs an ID; " + Help.DLQ_USAGE + ".", 2, null);
    }
    if (sub.equals("replay") && (id == null) == (reason == null)) {
      throw new LauncherException(
          "dlq replay needs either an ID or --reason R; " + Help.DLQ_USAGE + ".", 2, null);
    }
    if (sub.equals("show") && reason != null) {
      throw new LauncherException(
          "The option --reason does not apply to 'dlq show'; " + Help.DLQ_USAGE + ".", 2, null);
    }
    Path dataDir =
        a.value("--data-dir") != null
            ? Path.of(a.value("--data-dir")).toAbsolutePath()
            : root.resolve(".roster");
    DeadLetterQueue dlq =
        new DeadLetterQueue(
            out,
            KafkaTarget.resolve(a.value("--bootstrap-servers"), a.value("--kafka-config"), dataDir),
            dataDir);
    List<String> topics = topic == null ? TOPICS : List.of(topic);
    return switch (sub) {
      case "list" -> dlq.list(topics, reason, a.has("--json"));
      case "show" -> dlq.show(topics, id, a.has("--json"));
      default -> dlq.replay(topics, id, reason);
    };
  }

  // --- list / show ------------------------------------------------------------------------------

  int list(List<String> topics, String reason, boolean json) {
    List<ConsumerRecord<String, String>> all = read(topics);
    Map<String, Integer> perReason = new TreeMap<>();
    int shown = 0;
    for (ConsumerRecord<String, String> r : all) {
      String why = RecordView.header(r, CloudEvents.HEADER_DLQ_REASON);
      if (reason != null && !reason.equals(why)) {
        continue;
      }
      shown++;
      perReason.merge(r.topic() + " " + why, 1, Integer::sum);
      Map<String, Object> f = RecordView.fields(r);
      if (json) {
        out.println(RecordView.json(f));
      } else {
        out.printf(
            "%-22s %-24s %-36s %-10s %-18s %s%n",
            coordinates(r),
            f.get("time"),
            f.getOrDefault("eventId", "-"),
            f.getOrDefault("employeeId", "-"),
            why,
            oneLine(RecordView.header(r, CloudEvents.HEADER_DLQ_CAUSE))
                + (f.containsKey("replayedFrom")
                    ? " (dead again after the replay of " + f.get("replayedFrom") + ")"
                    : ""));
      }
    }
    if (!json) {
      StringBuilder s = new StringBuilder(shown + " dead letter" + (shown == 1 ? "" : "s"));
      if (!perReason.isEmpty()) {
        s.append(": ");
        List<String> parts = new ArrayList<>();
        perReason.forEach((k, n) -> parts.add(k + " " + n));
        s.append(String.join(", ", parts));
      }
      out.println(s + ".");
    }
    return 0;
  }

  int show(List<String> topics, String id, boolean json) {
    List<ConsumerRecord<String, String>> matches = select(read(topics), id);
    for (ConsumerRecord<String, String> r : matches) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("dlq", coordinates(r));
      f.put("time", Instant.ofEpochMilli(r.timestamp()).toString());
      f.put("key", r.key());
      Map<String, String> headers = new LinkedHashMap<>();
      for (Header h : r.headers()) {
        headers.put(
            h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
      }
      f.put("headers", headers);
      f.put("value", r.value());
      if (json) {
        out.println(RecordView.json(f));
      } else {
        out.println("dead letter " + f.get("dlq") + " at " + f.get("time"));
        out.println("  key      " + r.key());
        headers.forEach((k, v) -> out.printf("  %-22s %s%n", k, v));
        out.println("  value    " + r.value());
      }
    }
    return 0;
  }

  // --- replay -----------------------------------------------------------------------------------

  int replay(List<String> topics, String id, String reason) {
    List<ConsumerRecord<String, String>> all = read(topics);
    List<ConsumerRecord<String, String>> chosen;
    if (id != null) {
      List<ConsumerRecord<String, String>> m = select(all, id);
      chosen = List.of(m.get(m.size() - 1)); // the latest dead letter of that event
    } else {
      // The latest per event: a record replayed too early and dead-lettered again is sent once.
      Map<String, ConsumerRecord<String, String>> latest = new LinkedHashMap<>();
      for (ConsumerRecord<String, String> r : all) {
        if (reason.equals(RecordView.header(r, CloudEvents.HEADER_DLQ_REASON))) {
          latest.remove(identity(r));
          latest.put(identity(r), r);
        }
      }
      chosen = new ArrayList<>(latest.values());
      if (chosen.isEmpty()) {
        out.println("roster: no dead letter has reason " + reason + "; nothing replayed.");
        return 0;
      }
    }
    try (KafkaProducer<String, String> producer = kafka.producer()) {
      for (ConsumerRecord<String, String> r : chosen) {
        String source = RecordView.header(r, CloudEvents.HEADER_DLQ_TOPIC);
        if (source == null || source.isBlank()) {
          throw new LauncherException(
              "The dead letter "
                  + coordinates(r)
                  + " has no dlq_topic header; it cannot be replayed.");
        }
        Instant at = Instant.now();
        RecordMetadata sent = send(producer, replayRecord(r, source, at));
        String line =
            String.format(
                "%s replayed %s (event %s, employee %s, reason %s) to %s/%d@%d",
                at,
                coordinates(r),
                RecordView.fields(r).getOrDefault("eventId", "-"),
                r.key(),
                RecordView.header(r, CloudEvents.HEADER_DLQ_REASON),
                sent.topic(),
                sent.partition(),
                sent.offset());
        out.println("roster: " + line);
        appendToLog(line);
      }
    }
    out.println(
        "roster: "
            + chosen.size()
            + " replayed; follow them with ./roster tail changes, check ./roster dlq list.");
    return 0;
  }

  /**
   * The record as the source topic first carried it: same key, value and headers, minus the {@code
   * dlq_*} headers and any earlier replay mark, plus where and when it was replayed from.
   */
  static ProducerRecord<String, String> replayRecord(
      ConsumerRecord<String, String> deadLetter, String sourceTopic, Instant at) {
    RecordHeaders headers = new RecordHeaders();
    for (Header h : deadLetter.headers()) {
      if (!h.key().startsWith("dlq_")
          && !h.key().equals(RecordView.HEADER_REPLAYED_FROM)
          && !h.key().equals(RecordView.HEADER_REPLAYED_AT)) {
        headers.add(h);
      }
    }
    headers.add(RecordView.HEADER_REPLAYED_FROM, bytes(coordinates(deadLetter)));
    headers.add(RecordView.HEADER_REPLAYED_AT, bytes(at.toString()));
    return new ProducerRecord<>(sourceTopic, null, deadLetter.key(), deadLetter.value(), headers);
  }

  private RecordMetadata send(
      KafkaProducer<String, String> producer, ProducerRecord<String, String> r) {
    try {
      return producer.send(r).get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new LauncherException(
          "The replay to "
              + r.topic()
              + " was not acknowledged: "
              + LauncherException.rootMessage(e)
              + ".",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LauncherException("Interrupted while replaying.");
    }
  }

  private void appendToLog(String line) {
    if (!Files.isDirectory(dataDir)) {
      return; // a remote cluster without a local data directory: the printed line is the record
    }
    Path log = dataDir.resolve(REPLAY_LOG);
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new LauncherException(
          "Replayed, but cannot append to " + log + ": " + e.getMessage() + ".");
    }
  }

  // --- reading ----------------------------------------------------------------------------------

  /** Every record of the topics up to their end at the time of the call, oldest first. */
  List<ConsumerRecord<String, String>> read(List<String> topics) {
    List<ConsumerRecord<String, String>> all =
        new ArrayList<>(kafka.readToEnd(topics, READ_TIMEOUT));
    all.sort(
        java.util.Comparator.<ConsumerRecord<String, String>>comparingLong(
                ConsumerRecord::timestamp)
            .thenComparing(ConsumerRecord::topic)
            .thenComparingInt(ConsumerRecord::partition)
            .thenComparingLong(ConsumerRecord::offset));
    return all;
  }

  /**
   * The dead letters an ID names: {@code TOPIC/PARTITION@OFFSET}, {@code PARTITION@OFFSET} (in the
   * topics read), or an event id; none is one sentence.
   */
  static List<ConsumerRecord<String, String>> select(
      List<ConsumerRecord<String, String>> all, String id) {
    List<ConsumerRecord<String, String>> m = new ArrayList<>();
    boolean coordinates = id.matches("([^/]+/)?\\d+@\\d+");
    for (ConsumerRecord<String, String> r : all) {
      boolean hit =
          coordinates
              ? (id.contains("/")
                  ? coordinates(r).equals(id)
                  : (r.partition() + "@" + r.offset()).equals(id))
              : id.equals(identity(r)) || id.equals(RecordView.fields(r).get("eventId"));
      if (hit) {
        m.add(r);
      }
    }
    if (m.isEmpty()) {
      throw new LauncherException("No dead letter matches " + id + "; see ./roster dlq list.");
    }
    if (coordinates && m.size() > 1) {
      throw new LauncherException(
          id + " is in both dead-letter topics; say which with --topic or TOPIC/" + id + ".");
    }
    return m;
  }

  /** The event (or change) id a dead letter carries: its ce_id, else the value's eventId. */
  private static String identity(ConsumerRecord<String, String> r) {
    String ce = RecordView.header(r, CloudEvents.HEADER_ID);
    return ce != null ? ce : String.valueOf(RecordView.fields(r).get("eventId"));
  }

  static String coordinates(ConsumerRecord<?, ?> r) {
    return r.topic() + "/" + r.partition() + "@" + r.offset();
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "-";
    }
    String one = s.replaceAll("\\s+", " ");
    return one.length() <= 120 ? one : one.substring(0, 117) + "...";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
