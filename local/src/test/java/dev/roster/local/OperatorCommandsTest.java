package dev.roster.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.events.CloudEvents;
import dev.roster.events.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tail, dlq and --help without a cluster: usage, the replayed record, the human line. */
class OperatorCommandsTest {
  @TempDir Path dir;

  @Test
  void helpOfEveryCommandGoesToStandardOutputWithExitCode0() {
    for (String[] args :
        List.of(
            new String[] {"--help"},
            new String[] {"-h"},
            new String[] {"up", "--help"},
            new String[] {"down", "--help"},
            new String[] {"status", "--help"},
            new String[] {"post", "--help"},
            new String[] {"tail", "--help"},
            new String[] {"dlq", "--help"},
            new String[] {"dlq", "replay", "--help"},
            new String[] {"review", "--help"},
            new String[] {"review", "--run", "--help"})) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      int code = new Launcher(new PrintStream(buf, true, StandardCharsets.UTF_8), dir).run(args);
      String out = buf.toString(StandardCharsets.UTF_8);
      assertThat(code).as(String.join(" ", args)).isZero();
      assertThat(out).as(String.join(" ", args)).contains("usage: ./roster");
    }
  }

  @Test
  void unknownFlagsAndArgumentsOfTailAndDlqAreOneSentenceAndExit2() {
    assertUsage(new String[] {"tail", "--follow"}, "Unknown option --follow for 'tail'");
    assertUsage(new String[] {"tail", "payroll"}, "Unknown topic payroll for 'tail'");
    assertUsage(new String[] {"tail", "hr", "--max", "0"}, "--max needs a positive number");
    assertUsage(new String[] {"tail", "--bootstrap-servers"}, "--bootstrap-servers needs a value");
    assertUsage(new String[] {"dlq"}, "dlq needs a sub-command");
    assertUsage(new String[] {"dlq", "purge"}, "Unknown dlq sub-command purge");
    assertUsage(new String[] {"dlq", "list", "--all"}, "Unknown option --all for 'dlq list'");
    assertUsage(new String[] {"dlq", "show"}, "dlq show needs an ID");
    assertUsage(new String[] {"dlq", "replay"}, "dlq replay needs either an ID or --reason R");
    assertUsage(
        new String[] {"dlq", "list", "--topic", "hr.events"}, "--topic must be hr.events.dlq");
    assertUsage(new String[] {"nope", "--help"}, "Unknown command nope");
  }

  @Test
  void withoutAStackOrBootstrapServersTailSaysWhatToDo() {
    assertThatThrownBy(() -> run("tail", "hr", "--data-dir", dir.toString()))
        .isInstanceOfSatisfying(LauncherException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
        .hasMessage(
            "No local stack is running from "
                + dir
                + "; start one with ./roster up or give --bootstrap-servers HOST:PORT.");
  }

  @Test
  void aStaleStateFileIsOneSentenceInsteadOfWaitingForABrokerThatIsGone() throws Exception {
    java.nio.file.Files.writeString(
        dir.resolve(Launcher.STATE_FILE), "pid=999999999\nport.KAFKA=1\n");
    assertThatThrownBy(() -> run("dlq", "list", "--data-dir", dir.toString()))
        .isInstanceOf(LauncherException.class)
        .hasMessageContaining("is gone (stale roster.pid)");
  }

  @Test
  void aReplayedRecordIsTheOriginalWithoutDlqHeadersPlusWhereAndWhenItCameFrom() {
    ConsumerRecord<String, String> dead =
        new ConsumerRecord<>(Topics.HR_EVENTS_DLQ, 2, 7, "E1", "{\"eventId\":\"evt-1\"}");
    add(dead, CloudEvents.HEADER_ID, "evt-1");
    add(dead, CloudEvents.HEADER_TYPE, "dev.roster.hr.hire");
    add(dead, CloudEvents.HEADER_DLQ_REASON, "retries-exhausted");
    add(dead, CloudEvents.HEADER_DLQ_CAUSE, "GetUser: ServiceFailure");
    add(dead, CloudEvents.HEADER_DLQ_TOPIC, Topics.HR_EVENTS);
    add(dead, CloudEvents.HEADER_DLQ_PARTITION, "4");
    add(dead, CloudEvents.HEADER_DLQ_OFFSET, "12");
    add(dead, RecordView.HEADER_REPLAYED_FROM, "hr.events.dlq/2@1");
    Instant at = Instant.parse("2026-12-01T10:00:00Z");

    ProducerRecord<String, String> replay =
        DeadLetterQueue.replayRecord(dead, Topics.HR_EVENTS, at);

    assertThat(replay.topic()).isEqualTo(Topics.HR_EVENTS);
    assertThat(replay.key()).isEqualTo("E1");
    assertThat(replay.value()).isEqualTo("{\"eventId\":\"evt-1\"}");
    assertThat(replay.partition()).as("the key picks the partition, as for hr-listener").isNull();
    List<String> headers = new ArrayList<>();
    for (Header h : replay.headers()) {
      headers.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8));
    }
    assertThat(headers)
        .containsExactly(
            "ce_id=evt-1",
            "ce_type=dev.roster.hr.hire",
            "roster_replayed_from=hr.events.dlq/2@7",
            "roster_replayed_at=2026-12-01T10:00:00Z");
  }

  @Test
  void deadLettersAreFoundByCoordinatesOrEventId() {
    ConsumerRecord<String, String> a =
        new ConsumerRecord<>(Topics.HR_EVENTS_DLQ, 0, 3, "E1", "{\"eventId\":\"evt-a\"}");
    ConsumerRecord<String, String> b =
        new ConsumerRecord<>(Topics.AUDIT_DLQ, 0, 3, "E2", "not json");
    add(b, CloudEvents.HEADER_ID, "evt-b");
    List<ConsumerRecord<String, String>> all = List.of(a, b);
    assertThat(DeadLetterQueue.select(all, "evt-a")).containsExactly(a);
    assertThat(DeadLetterQueue.select(all, "evt-b")).containsExactly(b);
    assertThat(DeadLetterQueue.select(all, "audit.dlq/0@3")).containsExactly(b);
    assertThatThrownBy(() -> DeadLetterQueue.select(all, "0@3"))
        .hasMessageContaining("is in both dead-letter topics");
    assertThatThrownBy(() -> DeadLetterQueue.select(all, "evt-zz"))
        .hasMessage("No dead letter matches evt-zz; see ./roster dlq list.");
  }

  @Test
  void aDeadLetterShowsItsReasonAsOutcomeInTheHumanLine() {
    ConsumerRecord<String, String> r =
        new ConsumerRecord<>(
            Topics.HR_EVENTS_DLQ,
            0,
            0,
            "E7",
            "{\"eventId\":\"evt-7\",\"type\":\"hire\",\"employeeId\":\"E7\"}");
    add(r, CloudEvents.HEADER_DLQ_REASON, "unknown-role");
    assertThat(RecordView.line(r).split("\\s+"))
        .containsSubsequence("hr.events.dlq", "evt-7", "E7", "hire", "-", "dlq:unknown-role");
    assertThat(RecordView.json(RecordView.fields(r)))
        .contains("\"eventId\":\"evt-7\"", "\"dlqReason\":\"unknown-role\"");
  }

  private static void add(ConsumerRecord<String, String> r, String key, String value) {
    r.headers().add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private void assertUsage(String[] args, String message) {
    assertThatThrownBy(() -> run(args))
        .as(String.join(" ", args))
        .isInstanceOfSatisfying(
            LauncherException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(2);
              assertThat(e.getMessage()).contains(message).doesNotContain("\n");
            });
  }

  private int run(String... args) {
    return new Launcher(new PrintStream(new ByteArrayOutputStream()), dir).run(args);
  }
}
