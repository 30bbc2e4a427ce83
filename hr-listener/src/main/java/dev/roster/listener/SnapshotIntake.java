package dev.roster.listener;

import dev.roster.events.SnapshotEmployee;
import dev.roster.events.SnapshotMode;
import dev.roster.events.SnapshotPart;
import dev.roster.listener.messaging.PublishException;
import dev.roster.listener.messaging.SnapshotPublisher;
import dev.roster.listener.snapshot.Row;
import dev.roster.listener.snapshot.RowReader;
import dev.roster.listener.snapshot.SnapshotCheck;
import dev.roster.listener.snapshot.SnapshotFormat;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * What happens to a snapshot body once it is spooled and its signature verified: every row checked
 * in a first pass over the file ({@link SnapshotCheck}), then, if all are valid, the file read
 * again and published part by part. Memory does not grow with the snapshot: one row is read at a
 * time, one part is built at a time, a few parts wait for their acknowledgement, and duplicate
 * detection keeps 16 bytes a row.
 */
@ApplicationScoped
public class SnapshotIntake {
  private final SnapshotPublisher publisher;
  private final ListenerMetrics metrics;

  public SnapshotIntake(SnapshotPublisher publisher, ListenerMetrics metrics) {
    this.publisher = publisher;
    this.metrics = metrics;
  }

  /** The snapshot once every part is acknowledged. */
  public record Accepted(String snapshotId, int rows, int parts) {}

  /**
   * Checks and publishes a spooled, signature-verified body.
   *
   * @throws Rejection for any invalid row (all listed) or when Kafka did not acknowledge
   */
  public Accepted accept(Path body, SnapshotFormat format, SnapshotMode mode) throws IOException {
    RowReader.Source source =
        () -> format.open(new BufferedInputStream(Files.newInputStream(body), 64 * 1024));
    SnapshotCheck.Plan plan = SnapshotCheck.check(source);
    String snapshotId = UUID.randomUUID().toString();
    OffsetDateTime receivedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    try (RowReader rows = source.open()) {
      publisher.publish(new Parts(rows, plan, snapshotId, mode, receivedAt));
    } catch (PublishException e) {
      Log.warnf(
          "snapshot %s rows=%d mode=%s outcome=not_accepted (%s)",
          snapshotId, plan.total(), mode.wireName(), e.getMessage());
      throw new Rejection(
          RejectReason.KAFKA_UNAVAILABLE,
          "Kafka did not acknowledge the snapshot in time; it is not accepted, retry later (the"
              + " retry gets a new snapshotId; a snapshot without its last part is never used)");
    }
    metrics.snapshotAccepted(mode, plan.total());
    Log.infof(
        "snapshot %s rows=%d parts=%d mode=%s outcome=accepted",
        snapshotId, plan.total(), plan.parts(), mode.wireName());
    return new Accepted(snapshotId, plan.total(), plan.parts());
  }

  /** The parts of a checked body, built one at a time as the publisher asks for them. */
  private static final class Parts implements Iterator<SnapshotPart> {
    private final RowReader rows;
    private final SnapshotCheck.Plan plan;
    private final String snapshotId;
    private final SnapshotMode mode;
    private final OffsetDateTime receivedAt;
    private int next;

    Parts(
        RowReader rows,
        SnapshotCheck.Plan plan,
        String snapshotId,
        SnapshotMode mode,
        OffsetDateTime receivedAt) {
      this.rows = rows;
      this.plan = plan;
      this.snapshotId = snapshotId;
      this.mode = mode;
      this.receivedAt = receivedAt;
    }

    @Override
    public boolean hasNext() {
      return next < plan.parts();
    }

    @Override
    public SnapshotPart next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int size = plan.partSizes()[next];
      List<SnapshotEmployee> employees = new ArrayList<>(size);
      try {
        while (employees.size() < size) {
          Row row = rows.next();
          if (row == null) {
            throw new IllegalStateException("the snapshot body ended before its last part");
          }
          employees.add(SnapshotCheck.employee(row));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new SnapshotPart(
          snapshotId, mode, receivedAt, next++, plan.parts(), plan.total(), employees);
    }
  }
}
