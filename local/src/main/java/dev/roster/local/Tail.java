package dev.roster.local;

import dev.roster.events.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * {@code ./roster tail [hr|changes|dlq]}: follows topics live, one line (or JSON object) per
 * record, until Ctrl-C, {@link #stop()} or {@code --max} records.
 */
final class Tail {
  static final Set<String> SWITCHES = Set.of("--json", "--from-beginning");
  static final Set<String> VALUES =
      Set.of("--max", "--bootstrap-servers", "--kafka-config", "--data-dir");

  private final PrintStream out;
  private final KafkaTarget kafka;
  private final List<String> topics;
  private final boolean json;
  private final boolean fromBeginning;
  private final long max;
  private final CountDownLatch positioned = new CountDownLatch(1);
  private volatile KafkaConsumer<String, String> consumer;
  private volatile boolean stopped;

  Tail(
      PrintStream out,
      KafkaTarget kafka,
      List<String> topics,
      boolean json,
      boolean fromBeginning,
      long max) {
    this.out = out;
    this.kafka = kafka;
    this.topics = topics;
    this.json = json;
    this.fromBeginning = fromBeginning;
    this.max = max;
  }

  /** From {@code ./roster tail ...} (args[0] is "tail"). */
  static Tail fromArgs(PrintStream out, java.nio.file.Path root, String[] args) {
    Args a = Args.parse("tail", Help.TAIL_USAGE, args, 1, SWITCHES, VALUES);
    if (a.positional().size() > 1) {
      throw new LauncherException(
          "Unexpected argument " + a.positional().get(1) + " for 'tail'; " + Help.TAIL_USAGE + ".",
          2,
          null);
    }
    List<String> topics =
        switch (a.positional().isEmpty() ? "all" : a.positional().get(0)) {
          case "hr" -> List.of(Topics.HR_EVENTS);
          case "changes" -> List.of(Topics.IAM_CHANGES);
          case "dlq" -> List.of(Topics.HR_EVENTS_DLQ, Topics.AUDIT_DLQ);
          case "all" ->
              List.of(Topics.HR_EVENTS, Topics.IAM_CHANGES, Topics.HR_EVENTS_DLQ, Topics.AUDIT_DLQ);
          default ->
              throw new LauncherException(
                  "Unknown topic "
                      + a.positional().get(0)
                      + " for 'tail' (hr, changes or dlq); "
                      + Help.TAIL_USAGE
                      + ".",
                  2,
                  null);
        };
    java.nio.file.Path dataDir =
        a.value("--data-dir") != null
            ? java.nio.file.Path.of(a.value("--data-dir")).toAbsolutePath()
            : root.resolve(".roster");
    long max = a.positive("--max", Long.MAX_VALUE, Help.TAIL_USAGE); // usage before the stack
    return new Tail(
        out,
        KafkaTarget.resolve(a.value("--bootstrap-servers"), a.value("--kafka-config"), dataDir),
        topics,
        a.has("--json"),
        a.has("--from-beginning"),
        max);
  }

  /** Runs until stopped or {@code max} records were shown; returns the exit code. */
  int run() {
    try (KafkaConsumer<String, String> c = kafka.consumer()) {
      consumer = c;
      List<TopicPartition> partitions = kafka.partitions(c, topics);
      c.assign(partitions);
      if (fromBeginning) {
        c.seekToBeginning(partitions);
      } else {
        c.seekToEnd(partitions);
      }
      try {
        partitions.forEach(c::position); // resolve now: a record sent after this is shown
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        throw kafka.notAnswering(e);
      }
      positioned.countDown();
      // On standard error, so that standard output stays one record per line.
      System.err.println(
          "roster: following "
              + String.join(", ", topics)
              + (fromBeginning ? " from the beginning" : " from now")
              + " on "
              + kafka.bootstrapServers()
              + "; Ctrl-C stops.");
      long shown = 0;
      while (!stopped && shown < max) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          out.println(json ? RecordView.json(RecordView.fields(r)) : RecordView.line(r));
          if (++shown >= max) {
            break;
          }
        }
        out.flush();
      }
    } catch (WakeupException e) {
      // stop() or Ctrl-C: a normal end
    } finally {
      positioned.countDown();
      out.flush();
    }
    return 0;
  }

  /** Ends {@link #run()} from another thread (Ctrl-C's shutdown hook, a test). */
  void stop() {
    stopped = true;
    KafkaConsumer<String, String> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  /** Waits until every partition's start position is known (or the tail ended). */
  boolean awaitPositioned(Duration timeout) throws InterruptedException {
    return positioned.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
