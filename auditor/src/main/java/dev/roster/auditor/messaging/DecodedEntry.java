package dev.roster.auditor.messaging;

import dev.roster.auditor.chain.LogEntry;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A record of {@code hr.events} or {@code iam.changes} as its value deserializer left it: the value
 * as consumed (what {@code audit.dlq} gets) and the log entry draft read from it, or why it cannot
 * be read. The deserializers run on the consumer's polling thread, so the next batch is decoded
 * while the previous one is being stored.
 *
 * @param value the record's value, UTF-8 decoded as {@code StringDeserializer} does; null for none
 * @param entry the draft, or null when it cannot be read
 * @param unreadable why it cannot be read (to {@code audit.dlq}), or null
 * @param failure anything else the decoder threw, rethrown on the consuming thread as before
 */
public record DecodedEntry(
    String value,
    LogEntry entry,
    RecordDecoder.UnreadableRecord unreadable,
    RuntimeException failure) {

  private interface Decoder {
    LogEntry decode(String ceType, String value) throws RecordDecoder.UnreadableRecord;
  }

  /** The draft, or the reason to dead-letter the record. */
  public LogEntry entryOrThrow() throws RecordDecoder.UnreadableRecord {
    if (failure != null) {
      throw failure;
    }
    if (unreadable != null) {
      throw unreadable;
    }
    return entry;
  }

  private static DecodedEntry decode(Headers headers, byte[] data, Decoder decoder) {
    String value = data == null ? null : new String(data, StandardCharsets.UTF_8);
    try {
      return new DecodedEntry(value, decoder.decode(ceType(headers), value), null, null);
    } catch (RecordDecoder.UnreadableRecord e) {
      return new DecodedEntry(value, null, e, null);
    } catch (RuntimeException e) {
      return new DecodedEntry(value, null, null, e);
    }
  }

  private static String ceType(Headers headers) {
    Header h =
        headers == null ? null : headers.lastHeader(dev.roster.events.CloudEvents.HEADER_TYPE);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** A value deserializer of one of the log's channels, by the decoder of its topic. */
  private abstract static class ByTopic implements Deserializer<DecodedEntry> {
    private final Decoder decoder;

    ByTopic(Decoder decoder) {
      this.decoder = decoder;
    }

    @Override
    public DecodedEntry deserialize(String topic, byte[] data) {
      return deserialize(topic, null, data);
    }

    @Override
    public DecodedEntry deserialize(String topic, Headers headers, byte[] data) {
      return decode(headers, data, decoder);
    }
  }

  /** {@code value.deserializer} of the {@code hr-events} channel. */
  public static final class HrEvents extends ByTopic {
    public HrEvents() {
      super(RecordDecoder::hrEvent);
    }
  }

  /** {@code value.deserializer} of the {@code iam-changes} channel. */
  public static final class IamChanges extends ByTopic {
    public IamChanges() {
      super(RecordDecoder::iamChange);
    }
  }
}
