package dev.roster.provisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.events.CloudEvents;
import dev.roster.events.Topics;
import dev.roster.provisioner.DlqReason;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/** The headers the provisioner writes on what it publishes, read as a consumer would. */
class PublisherTest {

  @Test
  void ceTimeKeepsZeroSeconds() {
    Message<String> m =
        Publisher.cloudEvent(
            "E1001",
            "evt-1/outcome",
            CloudEvents.OUTCOME_TYPE,
            OffsetDateTime.parse("2026-11-28T09:00:00Z"),
            "{}");

    assertThat(header(headers(m), CloudEvents.HEADER_TIME)).isEqualTo("2026-11-28T09:00:00Z");
  }

  @Test
  void everyCloudEventsAttributeIsWritten() {
    Message<String> m =
        Publisher.cloudEvent(
            "E1001",
            "chg-1",
            CloudEvents.IAM_CHANGE_TYPE,
            OffsetDateTime.parse("2026-11-28T09:00:01.5+01:00"),
            "{}");

    Headers h = headers(m);
    assertThat(header(h, CloudEvents.HEADER_SPEC_VERSION)).isEqualTo("1.0");
    assertThat(header(h, CloudEvents.HEADER_ID)).isEqualTo("chg-1");
    assertThat(header(h, CloudEvents.HEADER_TYPE)).isEqualTo(CloudEvents.IAM_CHANGE_TYPE);
    assertThat(header(h, CloudEvents.HEADER_SOURCE)).isEqualTo(Channels.SOURCE);
    assertThat(header(h, CloudEvents.HEADER_TIME)).isEqualTo("2026-11-28T09:00:01.5+01:00");
    assertThat(header(h, CloudEvents.HEADER_SUBJECT)).isEqualTo("E1001");
    assertThat(header(h, CloudEvents.HEADER_CONTENT_TYPE)).isEqualTo("application/json");
    assertThat(m.getPayload()).isEqualTo("{}");
  }

  @Test
  void aDeadLetterKeepsTheRecordAndAddsWhyAndWhere() {
    ConsumerRecord<String, String> consumed =
        new ConsumerRecord<>(Topics.HR_EVENTS, 2, 17L, "E1001", "{\"eventId\":\"evt-1\"}");
    consumed.headers().add(CloudEvents.HEADER_ID, "evt-1".getBytes(StandardCharsets.UTF_8));

    Message<String> m =
        Publisher.deadLetterMessage(consumed, DlqReason.UNKNOWN_ROLE, "x".repeat(1200));

    Headers h = headers(m);
    assertThat(m.getPayload()).isEqualTo(consumed.value());
    assertThat(header(h, CloudEvents.HEADER_ID)).isEqualTo("evt-1");
    assertThat(header(h, "dlq_reason")).isEqualTo("unknown-role");
    assertThat(header(h, "dlq_cause")).isEqualTo("x".repeat(1000));
    assertThat(header(h, "dlq_topic")).isEqualTo("hr.events");
    assertThat(header(h, "dlq_partition")).isEqualTo("2");
    assertThat(header(h, "dlq_offset")).isEqualTo("17");
    assertThat(m.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey())
        .isEqualTo("E1001");
  }

  static Headers headers(Message<?> m) {
    return m.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getHeaders();
  }

  static String header(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
