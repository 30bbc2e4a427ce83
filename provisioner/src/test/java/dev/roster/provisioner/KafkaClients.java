package dev.roster.provisioner;

import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.events.Topics;
import dev.roster.sandbox.kafka.KafkaTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/** A producer for hr.events and a reader of every record of the given topics, for tests. */
final class KafkaClients implements AutoCloseable {
  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> consumer;
  private final List<ConsumerRecord<String, String>> seen = new CopyOnWriteArrayList<>();

  KafkaClients(String... topics) {
    String servers = KafkaTestResource.broker().bootstrapServers();
    Map<String, Object> producerConfig = KafkaTestResource.clientProperties();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
    Map<String, Object> consumerConfig = KafkaTestResource.clientProperties();
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  void send(String topic, String key, String eventId, String json) throws Exception {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, json);
    record.headers().add(CloudEvents.HEADER_ID, eventId.getBytes(StandardCharsets.UTF_8));
    record.headers().add(CloudEvents.HEADER_SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
    producer.send(record).get(10, TimeUnit.SECONDS);
  }

  /** Sends a CloudEvent of {@code type} (binary mode) to {@code topic}. */
  void send(String topic, String key, String id, String type, String json) throws Exception {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, json);
    record.headers().add(CloudEvents.HEADER_ID, id.getBytes(StandardCharsets.UTF_8));
    record.headers().add(CloudEvents.HEADER_SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
    record.headers().add(CloudEvents.HEADER_TYPE, type.getBytes(StandardCharsets.UTF_8));
    producer.send(record).get(10, TimeUnit.SECONDS);
  }

  /** The partition the producer's default partitioner gives {@code key} in {@code topic}. */
  int partitionOf(String topic, String key) {
    int partitions = producer.partitionsFor(topic).size();
    return org.apache.kafka.common.utils.Utils.toPositive(
            org.apache.kafka.common.utils.Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)))
        % partitions;
  }

  /** Sends an HR event JSON to hr.events keyed by its employee id; returns its event id. */
  String sendEvent(String json) throws Exception {
    var node = EventJson.mapper().readTree(json);
    String eventId = node.path("eventId").asText();
    send(Topics.HR_EVENTS, node.path("employeeId").asText(), eventId, json);
    return eventId;
  }

  /** The first provisioning outcome of the event among the records read (waits up to atMost). */
  ProvisioningOutcome awaitOutcome(String eventId, Duration atMost) {
    return Awaitility.await()
        .atMost(atMost)
        .until(
            () ->
                records().stream()
                    .filter(
                        r -> CloudEvents.OUTCOME_TYPE.equals(header(r, CloudEvents.HEADER_TYPE)))
                    .map(r -> ProvisionerFlowTest.read(r.value(), ProvisioningOutcome.class))
                    .filter(o -> eventId.equals(o.eventId()))
                    .findFirst(),
            Optional::isPresent)
        .get();
  }

  /** Every record read so far (polls once first); call inside Awaitility. */
  synchronized List<ConsumerRecord<String, String>> records() {
    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
    return List.copyOf(seen);
  }

  List<ConsumerRecord<String, String>> records(String topic, String key) {
    return records().stream().filter(r -> r.topic().equals(topic) && key.equals(r.key())).toList();
  }

  /**
   * Waits until the consumer group owns every partition of {@code topic} and no rebalance is in
   * progress. The provisioner's consumers join one by one at startup; an event in flight during one
   * of those rebalances is legitimately redelivered (at least once), which would make the exact
   * call and outcome counts of the tests depend on timing.
   */
  static void awaitStableGroup(String groupId, String topic) throws Exception {
    String servers = KafkaTestResource.broker().bootstrapServers();
    Map<String, Object> adminConfig = KafkaTestResource.clientProperties();
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    try (Admin admin = Admin.create(adminConfig)) {
      int partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .size();
      // Stable for a whole second: no member is still on its way in.
      Awaitility.await("consumer group " + groupId + " settled")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .during(Duration.ofSeconds(1))
          .until(() -> settled(admin, groupId, topic, partitions));
    }
  }

  /**
   * Joins {@code groupId} with one more consumer until it is given partitions, then leaves without
   * committing: two rebalances of the provisioner's consumers, as when an instance is added and
   * removed.
   */
  static void joinAndLeave(String groupId, String topic) {
    Map<String, Object> config = KafkaTestResource.clientProperties();
    config.put(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, String> intruder =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      intruder.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (intruder.assignment().isEmpty() && System.nanoTime() < deadline) {
        intruder.poll(Duration.ofMillis(200));
      }
      if (intruder.assignment().isEmpty()) {
        throw new IllegalStateException("the extra consumer was never given a partition");
      }
    }
  }

  private static boolean settled(Admin admin, String groupId, String topic, int partitions)
      throws Exception {
    ConsumerGroupDescription group =
        admin
            .describeConsumerGroups(List.of(groupId))
            .describedGroups()
            .get(groupId)
            .get(10, TimeUnit.SECONDS);
    long assigned =
        group.members().stream()
            .flatMap(m -> m.assignment().topicPartitions().stream())
            .filter(tp -> tp.topic().equals(topic))
            .count();
    return group.groupState() == GroupState.STABLE && assigned == partitions;
  }

  static String header(ConsumerRecord<?, ?> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close();
    consumer.close();
  }
}
