package dev.roster.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka cluster an operator command talks to: {@code --bootstrap-servers}, else the broker of
 * the local stack running from the data directory. Consumers read by assignment, without a group,
 * so that watching a cluster commits nothing and joins no group. A secured local stack is reached
 * with the admin settings it wrote into the data directory ({@link Stack#KAFKA_CLIENT_FILE}).
 */
record KafkaTarget(String bootstrapServers, Map<String, String> security) {
  /** How long a metadata or offset request may take before "not answering". */
  static final Duration API_TIMEOUT = Duration.ofSeconds(15);

  /**
   * {@code --bootstrap-servers} with the client settings of {@code --kafka-config} (none: a
   * plaintext cluster), else the local stack's broker with its own settings (or {@code
   * --kafka-config}'s).
   */
  static KafkaTarget resolve(String bootstrapOption, String configOption, Path dataDir) {
    if (bootstrapOption != null) {
      return new KafkaTarget(
          bootstrapOption, configOption == null ? Map.of() : properties(Path.of(configOption)));
    }
    if (configOption != null) {
      return new KafkaTarget(local(dataDir).bootstrapServers(), properties(Path.of(configOption)));
    }
    return local(dataDir);
  }

  private static KafkaTarget local(Path dataDir) {
    Properties state =
        Launcher.readState(dataDir)
            .orElseThrow(
                () ->
                    new LauncherException(
                        "No local stack is running from "
                            + dataDir
                            + "; start one with ./roster up or give --bootstrap-servers HOST:PORT."));
    if (!Launcher.alive(state)) {
      throw new LauncherException(
          "The stack that ran from "
              + dataDir
              + " is gone (stale roster.pid); start it with ./roster up or give"
              + " --bootstrap-servers HOST:PORT.");
    }
    String port = state.getProperty("port." + Component.KAFKA.name());
    if (port == null) {
      throw new LauncherException(
          "The state file in " + dataDir + " names no Kafka port; give --bootstrap-servers.");
    }
    return local("127.0.0.1:" + port, dataDir);
  }

  /** The broker of the stack in {@code dataDir}, with its admin settings when it is secured. */
  static KafkaTarget local(String bootstrapServers, Path dataDir) {
    return new KafkaTarget(bootstrapServers, security(dataDir));
  }

  private static Map<String, String> security(Path dataDir) {
    Path file = dataDir.resolve(Stack.KAFKA_CLIENT_FILE);
    return Files.isRegularFile(file) ? properties(file) : Map.of();
  }

  private static Map<String, String> properties(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new LauncherException("The Kafka client settings " + file + " do not exist.", 2, null);
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new LauncherException("Cannot read " + file + ": " + e.getMessage() + ".", e);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> settings.put(k, p.getProperty(k)));
    return settings;
  }

  KafkaConsumer<String, String> consumer() {
    Properties p = new Properties();
    p.putAll(security);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "roster-cli");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
    return new KafkaConsumer<>(p);
  }

  KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.putAll(security);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all"); // as hr-listener publishes
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "roster-cli");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) API_TIMEOUT.toMillis());
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
    return new KafkaProducer<>(p);
  }

  /** Without the security settings: they hold a password. */
  @Override
  public String toString() {
    return "KafkaTarget[" + bootstrapServers + (security.isEmpty() ? "" : ", SASL") + "]";
  }

  /** Every partition of the topics; a topic that does not exist is one sentence. */
  List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, List<String> topics) {
    List<TopicPartition> all = new ArrayList<>();
    for (String topic : topics) {
      List<PartitionInfo> infos;
      try {
        infos = consumer.partitionsFor(topic, API_TIMEOUT);
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        throw notAnswering(e);
      }
      if (infos == null || infos.isEmpty()) {
        throw new LauncherException(
            "The topic " + topic + " does not exist on " + bootstrapServers + ".");
      }
      infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
    }
    return all;
  }

  /**
   * Every record of the topics from their beginning up to their end at the time of the call, each
   * partition in offset order; reading longer than {@code timeout} is one sentence.
   */
  List<ConsumerRecord<String, String>> readToEnd(List<String> topics, Duration timeout) {
    List<ConsumerRecord<String, String>> all = new ArrayList<>();
    try (KafkaConsumer<String, String> c = consumer()) {
      List<TopicPartition> partitions = partitions(c, topics);
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end;
      try {
        end = c.endOffsets(partitions, API_TIMEOUT);
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        throw notAnswering(e);
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(c, end)) {
        if (System.nanoTime() > deadline) {
          throw new LauncherException(
              "Reading "
                  + String.join(", ", topics)
                  + " took more than "
                  + timeout.toSeconds()
                  + " s.");
        }
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            all.add(r);
          }
        }
      }
    }
    return all;
  }

  private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  LauncherException notAnswering(Exception e) {
    return new LauncherException(
        "Kafka at "
            + bootstrapServers
            + " is not answering ("
            + LauncherException.rootMessage(e)
            + "); check --bootstrap-servers or ./roster status.",
        e);
  }
}
