package dev.roster.listener;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.events.EventValidator;
import dev.roster.events.FieldError;
import dev.roster.events.SignatureVerdict;
import dev.roster.events.SnapshotApproval;
import dev.roster.events.WebhookSignature;
import dev.roster.listener.messaging.PublishException;
import dev.roster.listener.messaging.SnapshotPublisher;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A signed approval of a reconciliation the mass-change guard held: id, signature, body, then
 * Kafka. The body must name the snapshot again ({@code {"snapshotId": "<id>"}}): the signature
 * covers the body only, so without it a captured approval of one snapshot could be replayed, within
 * the signature tolerance, for another.
 */
@ApplicationScoped
public class ApprovalIntake {
  /** {@code approvedBy} is this prefix and the signing secret's {@link WebhookSignature#keyId}. */
  public static final String APPROVED_BY_PREFIX = "webhook-key:";

  private static final Pattern ID = Pattern.compile(EventValidator.EVENT_ID_RULE);

  private final WebhookSignature signature;
  private final SnapshotPublisher publisher;
  private final ListenerMetrics metrics;

  public ApprovalIntake(
      WebhookSignature signature, SnapshotPublisher publisher, ListenerMetrics metrics) {
    this.signature = signature;
    this.publisher = publisher;
    this.metrics = metrics;
  }

  /** Returns the approval once Kafka acknowledged it. */
  public SnapshotApproval approve(String id, String signatureHeader, byte[] body) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new Rejection(
          RejectReason.INVALID_PARAMETER,
          "the snapshot id in the path is not one",
          List.of(new FieldError("id", "must match " + EventValidator.EVENT_ID_RULE)));
    }
    WebhookSignature.Check check = signature.begin(signatureHeader);
    check.update(body, 0, body.length);
    WebhookSignature.Result verified = check.finish();
    if (verified.verdict() != SignatureVerdict.VALID) {
      throw Rejection.signature(verified.verdict());
    }
    checkBody(id, body);
    SnapshotApproval approval =
        new SnapshotApproval(
            id,
            OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS),
            APPROVED_BY_PREFIX + verified.keyId());
    try {
      publisher.publish(approval);
    } catch (PublishException e) {
      Log.warnf("approval of snapshot %s outcome=not_accepted (%s)", id, e.getMessage());
      throw new Rejection(
          RejectReason.KAFKA_UNAVAILABLE,
          "Kafka did not acknowledge the approval in time; it is not accepted, retry later");
    }
    metrics.approvalAccepted();
    Log.infof(
        "approval of snapshot %s by %s outcome=accepted",
        approval.snapshotId(), approval.approvedBy());
    return approval;
  }

  private static void checkBody(String id, byte[] body) {
    JsonNode json;
    try {
      json = EventValidator.readTree(body);
    } catch (JsonProcessingException e) {
      FieldError error = EventValidator.malformed(e);
      throw new Rejection(RejectReason.MALFORMED_JSON, error.reason(), List.of(error));
    }
    List<FieldError> errors = new ArrayList<>();
    if (!json.isObject()) {
      errors.add(new FieldError("", "must be a JSON object naming the snapshotId"));
    } else {
      for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals("snapshotId")) {
          errors.add(new FieldError("/" + FieldError.token(name), "unknown field"));
        }
      }
      JsonNode named = json.get("snapshotId");
      if (named == null || named.isNull()) {
        errors.add(new FieldError("/snapshotId", "is required"));
      } else if (!named.isTextual() || !named.textValue().equals(id)) {
        errors.add(new FieldError("/snapshotId", "must be the id in the path"));
      }
    }
    if (!errors.isEmpty()) {
      throw new Rejection(
          RejectReason.INVALID_APPROVAL,
          "the body must be {\"snapshotId\": \"" + id + "\"}",
          errors);
    }
  }
}
