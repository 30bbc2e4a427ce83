package dev.roster.provisioner.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.events.Outcome;
import dev.roster.events.Topics;
import dev.roster.sandbox.kafka.EmbeddedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schedule lives in Kafka only: what one instance held is found by the next owner of the
 * partition — after the first instance is gone without a word (kill -9: nothing of its memory
 * survives) and after a broker restart.
 */
class ScheduleDurabilityTest {
  static EmbeddedKafka broker;

  @BeforeAll
  static void start() {
    broker = EmbeddedKafka.builder().build().start();
    broker.createTopics(3, List.of(Topics.HR_EVENTS));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  static KafkaScheduleStore store() {
    return new KafkaScheduleStore(
        Map.of("bootstrap.servers", broker.bootstrapServers()), Duration.ofSeconds(30));
  }

  @Test
  void aHeldEventSurvivesTheInstanceAndABrokerRestartAndIsFoundByTheNextOwner() {
    Instant due = Instant.now().plusSeconds(3);
    Pending leave = new Pending("ev-leave", Pending.Kind.EVENT, due, 41, "leave", "{}");
    Pending hire =
        new Pending("ev-hire", Pending.Kind.EVENT, due.plusSeconds(60), 40, "hire", "{}");
    KafkaScheduleStore first = store();
    Schedule a = new Schedule(first);
    a.assigned(List.of(0, 1, 2), 3);
    a.put(
        1,
        EmployeeSchedule.empty("E1")
            .with(hire)
            .with(leave)
            .closing(new Closed("ev-old", Outcome.CANCELLED, "cancelled by ev-c")));
    a.put(2, EmployeeSchedule.empty("E2").with(Pending.retention("ev-l2", due, 7)));
    a.put(2, EmployeeSchedule.empty("E2")); // nothing left for E2: a tombstone
    first.close(); // the instance is gone; its memory with it

    broker.stop();
    broker.start();

    KafkaScheduleStore second = store();
    try {
      Schedule b = new Schedule(second);
      assertThat(b.loaded(1)).isFalse();
      b.assigned(List.of(1, 2), 3);

      EmployeeSchedule e1 = b.of(1, "E1");
      assertThat(e1.pending()).as("in due order").containsExactly(leave, hire);
      assertThat(e1.closed(("ev-old"))).isPresent();
      assertThat(b.of(2, "E2").pending()).isEmpty();
      assertThat(b.due(due.minusSeconds(1))).isEmpty();
      assertThat(b.due(due)).containsExactly(1);
      assertThat(b.dueIn(1, due)).extracting(EmployeeSchedule::employeeId).containsExactly("E1");
      assertThat(b.of(1, "E1").firstDue(due)).contains(leave);
    } finally {
      second.close();
    }
  }
}
