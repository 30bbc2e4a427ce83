package dev.roster.auditor;

import static dev.roster.auditor.Fixtures.api;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.auditor.chain.EntryMapper;
import dev.roster.auditor.chain.LogEntry;
import dev.roster.auditor.chain.LogStore;
import dev.roster.events.ChangeStatus;
import dev.roster.events.IamChange;
import dev.roster.sandbox.kafka.KafkaTestResource;
import dev.roster.sandbox.postgres.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Several writers at once (as several auditor instances would be: separate connections and
 * transactions against one database) keep one gap-free chain and store each record once.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class ConcurrentWritersTest {
  private static final OffsetDateTime AT =
      OffsetDateTime.of(2026, 6, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  @Inject LogStore store;

  @Test
  void concurrentAppendsAreSerializedIntoOneChainWithoutDuplicates() throws Exception {
    String emp = Fixtures.id("E");
    int writers = 4;
    int batches = 8;
    int perBatch = 40; // half of each batch is shared by all writers
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      done.add(
          pool.submit(
              () -> {
                for (int b = 0; b < batches; b++) {
                  List<LogEntry> batch = new ArrayList<>();
                  for (int i = 0; i < perBatch; i++) {
                    String id = i % 2 == 0 ? "shared-" + b + "-" + i : writer + "-" + b + "-" + i;
                    batch.add(change(emp, id));
                  }
                  store.append(batch);
                }
              }));
    }
    for (Future<?> f : done) {
      f.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();

    int expected = batches * perBatch / 2 + writers * batches * perBatch / 2;
    try (Connection c = PostgresTestResource.server().superuserConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*), count(DISTINCT seq) FROM audit_log WHERE employee_id = '"
                        + emp
                        + "'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(expected);
    }
    JsonPath integrity = api().get("/v1/integrity").then().statusCode(200).extract().jsonPath();
    assertThat(integrity.getBoolean("ok")).isTrue();
    assertThat(integrity.getLong("entries")).isEqualTo(integrity.getLong("headSeq"));
  }

  private static LogEntry change(String emp, String id) {
    return EntryMapper.iamChange(
        new IamChange(
            emp + "-" + id,
            "evt-" + emp,
            emp,
            "111111111111",
            "AddUserToGroup",
            "u",
            id,
            ChangeStatus.APPLIED,
            null,
            null,
            AT));
  }
}
