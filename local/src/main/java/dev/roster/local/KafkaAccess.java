package dev.roster.local;

import dev.roster.events.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on Roster's Kafka cluster: one principal per service, each with exactly the
 * access its part of the flow needs, so that no service (and nobody holding one service's
 * credentials) can write events another service trusts. The local stack applies these ACLs to its
 * broker; {@code deploy/k8s/base/kafka-users.yaml} grants the same to Strimzi {@code KafkaUser}s
 * and {@code deploy/compose/kafka/acls} to the compose broker (a test holds the three equal).
 *
 * <ul>
 *   <li>hr-listener: write {@code hr.events} and {@code hr.snapshots} (snapshots and approvals).
 *   <li>provisioner: read {@code hr.events} in its group, {@code hr.snapshots} in its reconcile
 *       group, write {@code iam.changes}, {@code hr.events.dlq}, {@code reconciliations} and {@code
 *       reviews}, everything on its own topics ({@code provisioner.*}: the journal and any later
 *       internal topic, which it creates).
 *   <li>auditor: read {@code hr.events}, {@code iam.changes}, {@code reconciliations} and {@code
 *       reviews} in its group, write {@code audit.dlq}, everything on its own topics ({@code
 *       audit.anchors}, which it creates).
 * </ul>
 */
public final class KafkaAccess {
  /** Prefix of the topics the provisioner owns. */
  public static final String PROVISIONER_TOPICS = "provisioner.";

  /** The provisioner's consumer group of {@code hr.events}. */
  public static final String PROVISIONER_GROUP = "roster-provisioner";

  /** The provisioner's consumer group of {@code hr.snapshots} (apart from the events'). */
  public static final String PROVISIONER_RECONCILE_GROUP = "roster-provisioner-reconcile";

  /** The auditor's consumer group (every topic it reads). */
  public static final String AUDITOR_GROUP = "roster-auditor";

  /** One permission: an operation on a resource (topic or group), by name or name prefix. */
  public record Grant(
      ResourceType resource, String name, PatternType pattern, AclOperation operation) {
    static Grant topic(String name, AclOperation op) {
      return new Grant(ResourceType.TOPIC, name, PatternType.LITERAL, op);
    }

    static Grant topicPrefix(String prefix, AclOperation op) {
      return new Grant(ResourceType.TOPIC, prefix, PatternType.PREFIXED, op);
    }

    static Grant group(String name) {
      return new Grant(ResourceType.GROUP, name, PatternType.LITERAL, AclOperation.READ);
    }
  }

  private static final Map<Component, List<Grant>> GRANTS =
      Map.of(
          Component.HR_LISTENER,
          List.of(
              Grant.topic(Topics.HR_EVENTS, AclOperation.WRITE),
              Grant.topic(Topics.HR_SNAPSHOTS, AclOperation.WRITE)),
          Component.PROVISIONER,
          List.of(
              Grant.topic(Topics.HR_EVENTS, AclOperation.READ),
              Grant.group(PROVISIONER_GROUP),
              Grant.topic(Topics.HR_SNAPSHOTS, AclOperation.READ),
              Grant.group(PROVISIONER_RECONCILE_GROUP),
              Grant.topic(Topics.IAM_CHANGES, AclOperation.WRITE),
              Grant.topic(Topics.HR_EVENTS_DLQ, AclOperation.WRITE),
              Grant.topic(Topics.RECONCILIATIONS, AclOperation.WRITE),
              Grant.topic(Topics.REVIEWS, AclOperation.WRITE),
              Grant.topicPrefix(PROVISIONER_TOPICS, AclOperation.ALL)),
          Component.AUDITOR,
          List.of(
              Grant.topic(Topics.HR_EVENTS, AclOperation.READ),
              Grant.topic(Topics.IAM_CHANGES, AclOperation.READ),
              Grant.topic(Topics.RECONCILIATIONS, AclOperation.READ),
              Grant.topic(Topics.REVIEWS, AclOperation.READ),
              Grant.group(AUDITOR_GROUP),
              Grant.topic(Topics.AUDIT_DLQ, AclOperation.WRITE),
              Grant.topic(Topics.AUDIT_ANCHORS, AclOperation.ALL)));

  private KafkaAccess() {}

  /** The SASL user name of a service, e.g. {@code roster-provisioner}. */
  public static String user(Component service) {
    requireService(service);
    return "roster-" + service.displayName();
  }

  /** What a service may do. */
  public static List<Grant> grants(Component service) {
    requireService(service);
    return GRANTS.get(service);
  }

  /** The ACL bindings that give a service its grants, from any host. */
  public static List<AclBinding> bindings(Component service) {
    String principal = "User:" + user(service);
    return grants(service).stream()
        .map(
            g ->
                new AclBinding(
                    new ResourcePattern(g.resource(), g.name(), g.pattern()),
                    new AccessControlEntry(principal, "*", g.operation(), AclPermissionType.ALLOW)))
        .toList();
  }

  private static void requireService(Component c) {
    if (!c.isService()) {
      throw new IllegalArgumentException(c.displayName() + " is not a service");
    }
  }
}
