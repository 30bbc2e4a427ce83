package dev.roster.provisioner.review;

import dev.roster.events.Review;
import java.util.List;

/** Where a review's records go (Kafka); each call returns once the broker acknowledged. */
public interface ReviewSink {
  void status(Review review);

  void findings(List<Review.Finding> findings);
}
