package dev.roster.auditor.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.auditor.chain.AccountOutcome;
import dev.roster.auditor.chain.EntryMapper;
import dev.roster.auditor.chain.LogEntry;
import dev.roster.auditor.reconciliation.ReconciliationDraft;
import dev.roster.auditor.review.ReviewDraft;
import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.events.Reconciliation;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.Review;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Kafka records (CloudEvents binary mode) to log entry drafts, by topic and {@code ce_type}. */
public final class RecordDecoder {
  private static final ObjectMapper JSON = EventJson.mapper();
  // Readers keep their root deserializer: the two types of every backlog record.
  private static final ObjectReader HR_EVENT = JSON.readerFor(HrEvent.class);
  private static final ObjectReader IAM_CHANGE = JSON.readerFor(IamChange.class);

  private RecordDecoder() {}

  /** Thrown for a record the auditor cannot read; the message says why. */
  public static final class UnreadableRecord extends Exception {
    private final DlqReason reason;

    public UnreadableRecord(DlqReason reason, String message, Throwable cause) {
      super(message, cause);
      this.reason = reason;
    }

    public DlqReason reason() {
      return reason;
    }
  }

  /** A record of {@code hr.events}, by its {@code ce_type} header (null if none) and value. */
  public static LogEntry hrEvent(String type, String value) throws UnreadableRecord {
    if (type != null && !type.startsWith(CloudEvents.HR_TYPE_PREFIX)) {
      throw new UnreadableRecord(
          DlqReason.UNKNOWN_TYPE, "unexpected ce_type " + type + " on hr.events", null);
    }
    return map(value, () -> EntryMapper.hrEvent(HR_EVENT.readValue(value)));
  }

  /**
   * A record of {@code iam.changes}: an IAM change or a provisioning outcome, by {@code ce_type}.
   */
  public static LogEntry iamChange(String type, String value) throws UnreadableRecord {
    if (CloudEvents.IAM_CHANGE_TYPE.equals(type)) {
      return map(value, () -> EntryMapper.iamChange(IAM_CHANGE.readValue(value)));
    }
    if (CloudEvents.OUTCOME_TYPE.equals(type)) {
      return map(value, () -> outcome(value));
    }
    throw new UnreadableRecord(
        DlqReason.UNKNOWN_TYPE, "unknown ce_type " + type + " on iam.changes", null);
  }

  /**
   * An outcome, whether or not {@link ProvisioningOutcome} already has the contract's {@code
   * cutOffAt} and {@code accounts}: both are read from the JSON and taken out of it before the rest
   * is bound strictly, so the auditor stores them with either version of the events module.
   */
  static LogEntry outcome(String json) throws IOException {
    JsonNode tree = JSON.readTree(json);
    if (!(tree instanceof ObjectNode object)) {
      throw new IllegalArgumentException("an outcome must be a JSON object");
    }
    JsonNode cutOff = object.remove(CUT_OFF_AT);
    JsonNode accounts = object.remove(ACCOUNTS);
    OffsetDateTime cutOffAt = null;
    if (cutOff != null && !cutOff.isNull()) {
      try {
        cutOffAt = OffsetDateTime.parse(cutOff.asText());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(CUT_OFF_AT + ": not an ISO-8601 timestamp", e);
      }
    }
    List<AccountOutcome> perAccount =
        accounts == null || accounts.isNull() ? null : AccountOutcome.fromJson(accounts);
    return EntryMapper.outcome(
        JSON.treeToValue(object, ProvisioningOutcome.class), cutOffAt, perAccount);
  }

  /**
   * A record of {@code reconciliations}: a status ({@link Reconciliation}) or a difference ({@link
   * Reconciliation.Difference}), bound strictly (an unknown field, status, mode or kind is {@code
   * malformed}); the reconciliation id, status and source, or id, kind and account, are required,
   * and a record key other than the reconciliation id is refused.
   */
  public static ReconciliationDraft reconciliation(ConsumerRecord<String, String> record)
      throws UnreadableRecord {
    String type = header(record, CloudEvents.HEADER_TYPE);
    if (CloudEvents.RECONCILIATION_TYPE.equals(type)) {
      return map(record, () -> status(record));
    }
    if (CloudEvents.DIFFERENCE_TYPE.equals(type)) {
      return map(record, () -> difference(record));
    }
    throw new UnreadableRecord(
        DlqReason.UNKNOWN_TYPE, "unknown ce_type " + type + " on reconciliations", null);
  }

  private static ReconciliationDraft.Status status(ConsumerRecord<String, String> record)
      throws IOException {
    Reconciliation r = JSON.readValue(record.value(), Reconciliation.class);
    String id = reconciliationId(record, r.reconciliationId());
    require(r.status(), "status");
    if (!Reconciliation.SOURCE_SNAPSHOT.equals(r.source())
        && !Reconciliation.SOURCE_DRIFT.equals(r.source())) {
      throw new IllegalArgumentException(
          "source: expected snapshot or drift, got " + (r.source() == null ? "none" : r.source()));
    }
    return new ReconciliationDraft.Status(
        id,
        r.status(),
        r.source(),
        r.mode(),
        r.startedAt() == null ? null : r.startedAt().toInstant(),
        r.completedAt() == null ? null : r.completedAt().toInstant(),
        r.employees(),
        jsonOrNull(r.accounts()),
        jsonOrNull(r.counts()),
        jsonOrNull(r.countsByAccount()),
        r.deactivations(),
        r.reason(),
        record.partition(),
        record.offset());
  }

  private static ReconciliationDraft.Difference difference(ConsumerRecord<String, String> record)
      throws IOException {
    Reconciliation.Difference d = JSON.readValue(record.value(), Reconciliation.Difference.class);
    String id = reconciliationId(record, d.reconciliationId());
    require(d.kind(), "kind");
    if (d.account() == null || d.account().isBlank()) {
      throw new IllegalArgumentException("account: required");
    }
    return new ReconciliationDraft.Difference(
        id,
        d.kind(),
        d.account(),
        d.employeeId(),
        d.userName(),
        d.detail(),
        d.repaired(),
        d.eventId(),
        record.partition(),
        record.offset());
  }

  private static String reconciliationId(ConsumerRecord<String, String> record, String id) {
    return keyId(record, id, "reconciliationId");
  }

  /**
   * The id the records of a run are keyed by ({@code field}), required and equal to the record key:
   * another key would put the record on another partition, where its order against the run's other
   * records is lost.
   */
  private static String keyId(ConsumerRecord<String, String> record, String id, String field) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(field + ": required");
    }
    if (record.key() != null && !record.key().equals(id)) {
      throw new IllegalArgumentException(
          "record key " + record.key() + " is not the " + field + " " + id);
    }
    return id;
  }

  /**
   * A record of {@code reviews}: a status ({@link Review}) or a finding ({@link Review.Finding}),
   * bound strictly (an unknown field, status or kind is {@code malformed}). A status needs the
   * review id, {@code status} (not {@code held}) and {@code startedAt} (the order of reviews),
   * {@code completed} also {@code completedAt} (the resolution time of what it no longer reports);
   * a finding needs the review id, {@code findingId}, {@code kind} and {@code observedAt}. A record
   * key other than the review id is refused.
   */
  public static ReviewDraft review(ConsumerRecord<String, String> record) throws UnreadableRecord {
    String type = header(record, CloudEvents.HEADER_TYPE);
    if (CloudEvents.REVIEW_TYPE.equals(type)) {
      return map(record, () -> reviewStatus(record));
    }
    if (CloudEvents.FINDING_TYPE.equals(type)) {
      return map(record, () -> finding(record));
    }
    throw new UnreadableRecord(
        DlqReason.UNKNOWN_TYPE, "unknown ce_type " + type + " on reviews", null);
  }

  private static ReviewDraft.Status reviewStatus(ConsumerRecord<String, String> record)
      throws IOException {
    Review r = JSON.readValue(record.value(), Review.class);
    String id = keyId(record, r.reviewId(), "reviewId");
    require(r.status(), "status");
    if (r.status() == ReconciliationStatus.HELD) {
      throw new IllegalArgumentException("status: a review is never held");
    }
    require(r.startedAt(), "startedAt");
    if (r.status() == ReconciliationStatus.COMPLETED) {
      require(r.completedAt(), "completedAt");
    }
    return new ReviewDraft.Status(
        id,
        r.status(),
        r.startedAt().toInstant(),
        r.completedAt() == null ? null : r.completedAt().toInstant(),
        jsonOrNull(r.accounts()),
        jsonOrNull(r.counts()),
        r.reason(),
        record.partition(),
        record.offset());
  }

  private static ReviewDraft.Finding finding(ConsumerRecord<String, String> record)
      throws IOException {
    Review.Finding f = JSON.readValue(record.value(), Review.Finding.class);
    String id = keyId(record, f.reviewId(), "reviewId");
    if (f.findingId() == null || f.findingId().isBlank()) {
      throw new IllegalArgumentException("findingId: required");
    }
    require(f.kind(), "kind");
    require(f.observedAt(), "observedAt");
    return new ReviewDraft.Finding(
        id,
        f.findingId(),
        f.kind(),
        f.account(),
        f.employeeId(),
        f.userName(),
        f.subject(),
        f.detail(),
        f.observedAt().toInstant(),
        record.partition(),
        record.offset());
  }

  private static void require(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": required");
    }
  }

  private static String jsonOrNull(Object value) throws IOException {
    return value == null ? null : JSON.writeValueAsString(value);
  }

  private static final String CUT_OFF_AT = "cutOffAt";
  private static final String ACCOUNTS = "accounts";

  private interface Mapping<T> {
    T map() throws IOException;
  }

  private static <T> T map(ConsumerRecord<String, String> record, Mapping<T> mapping)
      throws UnreadableRecord {
    return map(record.value(), mapping);
  }

  private static <T> T map(String value, Mapping<T> mapping) throws UnreadableRecord {
    if (value == null) {
      throw new UnreadableRecord(DlqReason.MALFORMED, "empty value", null);
    }
    try {
      return mapping.map();
    } catch (IOException | IllegalArgumentException e) {
      throw new UnreadableRecord(DlqReason.MALFORMED, e.getMessage(), e);
    }
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
