package dev.roster.provisioner.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.roster.events.CloudEvents;
import dev.roster.events.EventJson;
import dev.roster.events.Review;
import dev.roster.provisioner.ChangeIds;
import dev.roster.provisioner.review.ReviewSink;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes reviews on {@code reviews}, keyed by review id (CloudEvents binary mode, as {@link
 * Publisher#cloudEvent}), and waits for the broker's acknowledgement (acks=all, idempotent
 * producer). One key per review keeps its findings before its final status (one partition).
 */
@ApplicationScoped
public class ReviewPublisher implements ReviewSink {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

  private final MutinyEmitter<String> reviews;

  public ReviewPublisher(@Channel(Channels.REVIEWS) MutinyEmitter<String> reviews) {
    this.reviews = reviews;
  }

  @Override
  public void status(Review r) {
    reviews
        .sendMessage(
            Publisher.cloudEvent(
                r.reviewId(),
                ChangeIds.of(r.reviewId(), "", "review", r.status().wireName()),
                CloudEvents.REVIEW_TYPE,
                r.completedAt() != null ? r.completedAt() : r.startedAt(),
                json(r)))
        .await()
        .atMost(ACK_TIMEOUT);
  }

  @Override
  public void findings(List<Review.Finding> findings) {
    List<Uni<Void>> sends = new ArrayList<>();
    for (Review.Finding f : findings) {
      sends.add(
          reviews.sendMessage(
              Publisher.cloudEvent(
                  f.reviewId(),
                  ChangeIds.of(f.reviewId(), "", "finding", f.findingId()),
                  CloudEvents.FINDING_TYPE,
                  f.observedAt(),
                  json(f))));
    }
    if (!sends.isEmpty()) {
      Uni.join().all(sends).andFailFast().replaceWithVoid().await().atMost(ACK_TIMEOUT);
    }
  }

  private static String json(Object value) {
    try {
      return EventJson.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }
}
