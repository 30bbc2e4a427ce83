package dev.roster.auditor.chain;

import static dev.roster.auditor.Fixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.roster.auditor.AuditorDatabase;
import dev.roster.auditor.Fixtures;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.sandbox.kafka.KafkaTestResource;
import dev.roster.sandbox.postgres.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chain lock is bounded: a writer waits at most {@code lock_timeout} (then its batch is
 * retried), and a holder that goes silent or dies mid-transaction does not stop the others.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class ChainLockTest {
  @Inject LogStore store;

  private static HrEvent hire() {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return Fixtures.hrEvent(Fixtures.id("E"), EventType.HIRE, now, now);
  }

  private static void awaitStored(HrEvent e) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> api().get("/v1/hr-events/" + e.eventId()).statusCode() == 200);
  }

  @Test
  void aWriterWaitsNoLongerThanTheLockTimeoutAndTheBatchIsStoredOnceTheLockIsFree()
      throws Exception {
    HrEvent consumed = hire();
    try (Connection holder = PostgresTestResource.server().superuserConnection();
        Statement s = holder.createStatement()) {
      s.execute("SELECT pg_advisory_lock(" + LogStore.CHAIN_LOCK_KEY + ")");
      Fixtures.publish(consumed);

      long started = System.nanoTime();
      assertThatThrownBy(() -> store.append(List.of(EntryMapper.hrEvent(hire()))))
          .hasStackTraceContaining("lock timeout");
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("waited the configured lock_timeout (10 s), then gave up")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(9));
      assertThat(api().get("/v1/hr-events/" + consumed.eventId()).statusCode())
          .as("not stored while the lock is held")
          .isEqualTo(404);
      s.execute("SELECT pg_advisory_unlock(" + LogStore.CHAIN_LOCK_KEY + ")");
    }
    awaitStored(consumed);
  }

  @Test
  void aLockHolderThatGoesSilentIsDisconnectedAndWritersGoOn() throws Exception {
    HrEvent waiting = hire();
    try (Connection holder =
        DriverManager.getConnection(
            PostgresTestResource.server().jdbcUrl(),
            AuditorDatabase.APP_ROLE,
            AuditorDatabase.APP_PASSWORD)) {
      holder.setAutoCommit(false);
      store.lockHead(holder); // as a frozen auditor would have it: locked, then nothing
      Fixtures.publish(waiting);
      awaitStored(waiting);
      assertThatThrownBy(() -> holder.createStatement().execute("SELECT 1"))
          .as("the server ended the silent holder's session (idle_in_transaction 5 s in tests)")
          .isInstanceOf(SQLException.class);
    }
  }

  @Test
  void aLockHolderKilledMidTransactionReleasesTheLock() throws Exception {
    HrEvent waiting = hire();
    try (Connection holder =
        DriverManager.getConnection(
            PostgresTestResource.server().jdbcUrl(),
            AuditorDatabase.APP_ROLE,
            AuditorDatabase.APP_PASSWORD)) {
      holder.setAutoCommit(false);
      store.lockHead(holder);
      int pid;
      try (var rs = holder.createStatement().executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        pid = rs.getInt(1);
      }
      Fixtures.publish(waiting);
      // The process holding the lock dies: its connection goes, the server rolls back.
      PostgresTestResource.server().executeAsSuperuser("SELECT pg_terminate_backend(" + pid + ")");
      awaitStored(waiting);
    }
  }
}
