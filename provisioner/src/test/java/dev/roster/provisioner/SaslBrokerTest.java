package dev.roster.provisioner;

import static dev.roster.provisioner.ProvisionerFlowTest.at;
import static dev.roster.provisioner.ProvisionerFlowTest.event;
import static dev.roster.provisioner.SeededIamSandbox.PROD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.events.Topics;
import dev.roster.provisioner.journal.Intent;
import dev.roster.provisioner.journal.JournaledOp;
import dev.roster.provisioner.plan.Tags;
import dev.roster.sandbox.iam.IamSandboxTestResource;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against a broker that lets in SASL-authenticated clients only, every Kafka client of the
 * provisioner works: the consumer, the outcome and DLQ producers, and the journal's own producer,
 * consumer and admin client, all built from the one {@code kafka.*} configuration.
 */
@QuarkusTest
@WithTestResource(
    value = KafkaTestResource.class,
    initArgs = @ResourceArg(name = "sasl", value = "true"))
@WithTestResource(SeededIamSandbox.class)
class SaslBrokerTest {
  static final Duration TIMEOUT = Duration.ofSeconds(90);
  static KafkaClients kafka;

  @BeforeAll
  static void clients() throws Exception {
    assertThat(KafkaTestResource.broker().isSasl()).isTrue();
    kafka = new KafkaClients(Topics.IAM_CHANGES, Topics.HR_EVENTS_DLQ, Topics.PROVISIONER_JOURNAL);
    KafkaClients.awaitStableGroup("roster-provisioner", Topics.HR_EVENTS);
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  @Test
  void hireAndLeaveRunThroughConsumerJournalAndProducersOverSasl() throws Exception {
    String hire = kafka.sendEvent(event("hire", "E-SASL", "sasl.one", at(1), "sre"));
    assertThat(kafka.awaitOutcome(hire, TIMEOUT).outcome()).isEqualTo(Outcome.COMPLETED);
    String leave = kafka.sendEvent(event("leave", "E-SASL", "sasl.one", at(2)));
    ProvisioningOutcome left = kafka.awaitOutcome(leave, TIMEOUT);

    assertThat(left.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(left.cutOffAt()).isNotNull();
    JsonNode prodUser = IamSandboxTestResource.sandbox().state(PROD).path("users").path("sasl.one");
    assertThat(prodUser.path("inlinePolicies").has(Tags.DENY_ALL_POLICY)).isTrue();
    // The journal's producer wrote the intent and its tombstone over SASL. A leave's intent is
    // written under its one key with each account's deny-all before it is put (the cut-off comes
    // before the full read; dev and prod are cut, each as soon as its own read decided it, so one
    // write or two: an account whose read ends while the other's write is in flight rides on the
    // next), then extended with the cleanup; the tombstone comes last.
    List<ConsumerRecord<String, String>> journal =
        await()
            .atMost(TIMEOUT)
            .until(
                () -> kafka.records(Topics.PROVISIONER_JOURNAL, leave),
                l -> !l.isEmpty() && l.get(l.size() - 1).value() == null);
    assertThat(journal).hasSizeBetween(3, 4);
    ObjectMapper json = new ObjectMapper();
    List<Intent> intents = new java.util.ArrayList<>();
    for (ConsumerRecord<String, String> r : journal.subList(0, journal.size() - 1)) {
      intents.add(json.readValue(r.value(), Intent.class));
    }
    Intent cut = intents.get(intents.size() - 2);
    Intent extended = intents.get(intents.size() - 1);
    assertThat(cut.operations())
        .extracting(JournaledOp::target)
        .containsExactly(Tags.DENY_ALL_POLICY, Tags.DENY_ALL_POLICY);
    for (int i = 1; i < intents.size(); i++) {
      assertThat(intents.get(i).operations()).containsAll(intents.get(i - 1).operations());
    }
    assertThat(extended.operations()).hasSizeGreaterThan(cut.operations().size());
  }

  @Test
  void aMalformedRecordReachesTheDlqOverSasl() throws Exception {
    kafka.send(Topics.HR_EVENTS, "E-SASL-BAD", "bad-1", "{not json");

    await()
        .atMost(TIMEOUT)
        .until(() -> kafka.records(Topics.HR_EVENTS_DLQ, "E-SASL-BAD"), l -> !l.isEmpty());
  }
}
