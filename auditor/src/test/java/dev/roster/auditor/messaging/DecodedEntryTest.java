package dev.roster.auditor.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.auditor.Fixtures;
import dev.roster.auditor.chain.EntryMapper;
import dev.roster.events.ChangeStatus;
import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The log channels' value deserializers: the entry, or the reason to dead-letter, and the value.
 */
class DecodedEntryTest {
  private static final OffsetDateTime T0 =
      OffsetDateTime.of(2026, 3, 1, 8, 0, 0, 0, ZoneOffset.ofHours(1));

  @Test
  void aRecordIsDecodedIntoTheEntryTheMapperMakesAndKeepsItsValue() throws Exception {
    HrEvent hire = Fixtures.hrEvent("E1", EventType.HIRE, T0, T0);
    IamChange change =
        Fixtures.change(hire, "111111111111", "CreateUser", "u", ChangeStatus.APPLIED, T0);
    ProvisioningOutcome done = Fixtures.outcome(hire, Outcome.COMPLETED, T0, T0, 1, 0);

    DecodedEntry event = hrEvents(hire.type().cloudEventType(), json(hire));
    DecodedEntry changed = iamChanges(CloudEvents.IAM_CHANGE_TYPE, json(change));
    DecodedEntry outcome = iamChanges(CloudEvents.OUTCOME_TYPE, json(done));

    assertThat(event.entryOrThrow()).isEqualTo(EntryMapper.hrEvent(hire));
    assertThat(event.value()).isEqualTo(json(hire));
    assertThat(changed.entryOrThrow()).isEqualTo(EntryMapper.iamChange(change));
    assertThat(changed.value()).isEqualTo(json(change));
    assertThat(outcome.entryOrThrow())
        .isEqualTo(EntryMapper.outcome(done, null, null))
        .isEqualTo(RecordDecoder.outcome(json(done)));
  }

  @Test
  void anUnreadableRecordKeepsItsValueAndTheReasonToDeadLetterIt() {
    DecodedEntry badJson = iamChanges(CloudEvents.IAM_CHANGE_TYPE, "{not json");
    DecodedEntry unknownType = iamChanges("dev.roster.unknown", "{}");
    DecodedEntry notHr = hrEvents(CloudEvents.IAM_CHANGE_TYPE, "{}");
    DecodedEntry empty =
        new DecodedEntry.IamChanges()
            .deserialize(Topics.IAM_CHANGES, headers(CloudEvents.IAM_CHANGE_TYPE), (byte[]) null);

    assertThat(badJson.value()).isEqualTo("{not json");
    assertThat(badJson.entry()).isNull();
    assertThat(badJson.unreadable().reason()).isEqualTo(DlqReason.MALFORMED);
    assertThatThrownBy(badJson::entryOrThrow).isSameAs(badJson.unreadable());
    assertThat(unknownType.unreadable().reason()).isEqualTo(DlqReason.UNKNOWN_TYPE);
    assertThat(unknownType.unreadable().getMessage()).contains("dev.roster.unknown");
    assertThat(notHr.unreadable().reason()).isEqualTo(DlqReason.UNKNOWN_TYPE);
    assertThat(empty.value()).isNull();
    assertThat(empty.unreadable().reason()).isEqualTo(DlqReason.MALFORMED);
    assertThat(empty.unreadable().getMessage()).isEqualTo("empty value");
  }

  private static DecodedEntry hrEvents(String type, String value) {
    return new DecodedEntry.HrEvents().deserialize(Topics.HR_EVENTS, headers(type), bytes(value));
  }

  private static DecodedEntry iamChanges(String type, String value) {
    return new DecodedEntry.IamChanges()
        .deserialize(Topics.IAM_CHANGES, headers(type), bytes(value));
  }

  private static RecordHeaders headers(String type) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(CloudEvents.HEADER_TYPE, bytes(type));
    return headers;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String json(Object value) throws Exception {
    return EventJson.mapper().writeValueAsString(value);
  }
}
