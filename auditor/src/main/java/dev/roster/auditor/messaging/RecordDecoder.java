package dev.roster.auditor.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.auditor.chain.EntryMapper;
import dev.roster.auditor.chain.LogEntry;
import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.events.ProvisioningOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Kafka records (CloudEvents binary mode) to log entry drafts, by topic and {@code ce_type}. */
public final class RecordDecoder {
  private static final ObjectMapper JSON = EventJson.mapper();

  private RecordDecoder() {}

  /** Thrown for a record the auditor cannot read; the message says why. */
  public static final class UnreadableRecord extends Exception {
    public UnreadableRecord(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A record of {@code hr.events}. */
  public static LogEntry hrEvent(ConsumerRecord<String, String> record) throws UnreadableRecord {
    String type = header(record, CloudEvents.HEADER_TYPE);
    if (type != null && !type.startsWith(CloudEvents.HR_TYPE_PREFIX)) {
      throw new UnreadableRecord("unexpected ce_type " + type + " on hr.events", null);
    }
    return map(record, () -> EntryMapper.hrEvent(JSON.readValue(record.value(), HrEvent.class)));
  }

  /** A record of {@code iam.changes}: an IAM change or a provisioning outcome. */
  public static LogEntry iamChange(ConsumerRecord<String, String> record) throws UnreadableRecord {
    String type = header(record, CloudEvents.HEADER_TYPE);
    if (CloudEvents.IAM_CHANGE_TYPE.equals(type)) {
      return map(
          record, () -> EntryMapper.iamChange(JSON.readValue(record.value(), IamChange.class)));
    }
    if (CloudEvents.OUTCOME_TYPE.equals(type)) {
      return map(
          record,
          () -> EntryMapper.outcome(JSON.readValue(record.value(), ProvisioningOutcome.class)));
    }
    throw new UnreadableRecord("unknown ce_type " + type + " on iam.changes", null);
  }

  private interface Mapping {
    LogEntry map() throws IOException;
  }

  private static LogEntry map(ConsumerRecord<String, String> record, Mapping mapping)
      throws UnreadableRecord {
    if (record.value() == null) {
      throw new UnreadableRecord("empty value", null);
    }
    try {
      return mapping.map();
    } catch (IOException | IllegalArgumentException e) {
      throw new UnreadableRecord(e.getMessage(), e);
    }
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
