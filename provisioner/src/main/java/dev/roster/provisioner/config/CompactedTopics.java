package dev.roster.provisioner.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the provisioner's own state topics (journal, schedule, reviews): compacted, since each
 * keeps only the latest value per key. Another instance may create the same topic at the same
 * moment, so an existing topic is not an error.
 */
public final class CompactedTopics {
  private CompactedTopics() {}

  /**
   * @param partitions empty: the broker's default
   * @return true if this call created the topic, false if it existed already
   */
  public static boolean create(
      Admin admin, String topic, Optional<Integer> partitions, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    NewTopic compacted =
        new NewTopic(topic, partitions, Optional.empty())
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try {
      admin.createTopics(List.of(compacted)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false;
      }
      throw e;
    }
  }
}
